"""`creepcheck init [DIR]`: scaffold a campaign repository.

The files come from `creepcheck/scaffold/` (package data). Names there spell a leading
dot as `dot-` (`dot-github/`, `dot-pre-commit-config.yaml`) so that packaging tools do
not skip them as hidden files. Existing files are never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from creepcheck.errors import Problem, UserError
from creepcheck.loaders.yamlio import display_path

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DOT = "dot-"


def scaffold_files() -> list[tuple[PurePosixPath, str]]:
    """(path in the new repository, text) for every scaffold file, sorted by path."""
    root = resources.files("creepcheck").joinpath("scaffold")
    files = [(_target(parts), item.read_text(encoding="utf-8")) for parts, item in _walk(root, ())]
    return sorted(files, key=lambda pair: (len(pair[0].parts) > 1, str(pair[0])))


def _walk(
    node: Traversable, parts: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    for item in node.iterdir():
        if item.name.startswith((".", "__")) or item.name.endswith((".pyc", ".py")):
            continue
        if item.is_dir():
            yield from _walk(item, (*parts, item.name))
        else:
            yield (*parts, item.name), item


def _target(parts: tuple[str, ...]) -> PurePosixPath:
    return PurePosixPath(*(f".{p[len(DOT) :]}" if p.startswith(DOT) else p for p in parts))


def run_init(folder: Path) -> str:
    """Write the scaffold into `folder`; the report of what was created and skipped."""
    if folder.exists() and not folder.is_dir():
        raise UserError(Problem(display_path(folder), "exists and is not a folder"))
    created: list[str] = []
    skipped: list[str] = []
    for relative, text in scaffold_files():
        path = folder / relative
        if path.exists() or path.is_symlink():
            skipped.append(relative.as_posix())
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        except OSError as exc:
            message = f"cannot write: {exc.strerror or exc}"
            raise UserError(Problem(display_path(path), message)) from None
        created.append(relative.as_posix())
    lines = [f"created {name}" for name in created]
    lines += [f"skipped {name} (already exists)" for name in skipped]
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {display_path(folder)} && "
    lines.append(f"next: {where}creepcheck check")
    return "\n".join(lines) + "\n"
