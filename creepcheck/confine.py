"""Which files creepcheck may open because a file of the repository named them.

creepcheck runs in CI on repositories from untrusted pull requests, so one rule holds
for every path a repository file names: the config's `policy:`, `profiles:` and
`baseline:`, a policy's `extends:`, a campaign's `profiles:` and `template:`, what a
template `include`s, `import`s or `extends`, and the campaign files a folder search
finds:

- The path is resolved through `..` and every symlink, then must lie inside the
  *boundary* of the file that named it. That boundary is the repository root
  (`project_root`) when the naming file is inside it. A file outside the root is only
  read because the user named it on the command line; what it names must lie in its
  own folder or below (so `--policy ../shared/team.yaml` may extend its siblings).
- Templates, and everything they include, may not lie in a hidden folder (`.git`,
  `.github`, any folder whose name starts with a dot) below the root: no template
  belongs there, and `.git` holds credentials.
- Paths typed on the command line (`--policy`, `--profiles`, `--baseline`, PATH
  arguments) are the user's own choice and are not confined.
- Built-in policies are named `builtin:NAME` and never read the file system.

A path outside is a problem at the file and line of the key that named it; the
message quotes the path, never anything read from the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from creepcheck.errors import excerpt

OUTSIDE = "outside the campaign repository"
HIDDEN = "in a hidden folder: templates may not be read from folders starting with a dot"
_PATH_CHARS = 120  # a path is quoted up to this length


def resolved(path: Path | str) -> Path:
    """`path` made absolute with `..` and symlinks resolved (a symlink loop stays as is)."""
    return Path(os.path.realpath(path))


def project_root(config_root: Path | None, folder: Path) -> Path:
    """The repository `folder` belongs to.

    The folder of creepcheck.yaml (`config_root`, when a config file was found); else
    the enclosing git checkout; else the working folder; the first of these that holds
    `folder`, else `folder` itself.
    """
    here = resolved(folder)
    candidates = [resolved(config_root)] if config_root is not None else []
    candidates += [p for p in (here, *here.parents) if (p / ".git").exists()][:1]
    candidates.append(resolved(Path.cwd()))
    return next((root for root in candidates if here.is_relative_to(root)), here)


def boundary(named_by: Path, root: Path) -> Path:
    """The folder tree within which the file `named_by` may name other files."""
    folder = resolved(named_by).parent
    root = resolved(root)
    return root if folder.is_relative_to(root) else folder


def is_inside(path: Path | str, within: Path) -> bool:
    return resolved(path).is_relative_to(resolved(within))


def in_hidden_folder(path: Path | str, root: Path) -> bool:
    """Whether `path` (resolved) lies in a dot-folder below `root`."""
    relative = resolved(path).relative_to(resolved(root))
    return any(part.startswith(".") for part in relative.parts[:-1])


def quote_path(written: Path | str) -> str:
    return f'"{excerpt(str(written), _PATH_CHARS)}"'


def outside_message(written: Path | str, within: Path, root: Path) -> str:
    """`"../secret.yaml" is outside the campaign repository (...)`, for a located problem."""
    where = "" if resolved(within) == resolved(root) else f" (may name files under {within})"
    return f"{quote_path(written)} is {OUTSIDE}{where}"


def template_problem(written: str, path: Path, root: Path) -> str | None:
    """Why the template `path` (as `written`) may not be read, or None when it may."""
    if not is_inside(path, root):
        return f"template {quote_path(written)} is {OUTSIDE}"
    if in_hidden_folder(path, root):
        return f"template {quote_path(written)} is {HIDDEN}"
    return None
