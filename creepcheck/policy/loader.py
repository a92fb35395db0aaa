"""Finding policy files, following `extends:`, and producing the effective `Policy`.

`load_policy` reads a policy (a file or `builtin:NAME`) and everything it extends,
depth first, so a file's bases come before it. A file reached twice (two overlays that
both extend `builtin:default`) is merged once, at its first place. Every problem in
every file is collected and raised together as one `PolicyError`.

The policy named on the command line may be anywhere; what a policy file `extends:`
is confined (confine.py) to the repository, or, for a file outside it, to that
file's own folder tree.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.confine import boundary, is_inside, outside_message
from creepcheck.errors import PolicyError, Problem, UserError
from creepcheck.loaders.yamlio import decode_bytes, line_of, load_yaml_text, read_bytes
from creepcheck.policy.merge import merge_layers
from creepcheck.policy.model import Policy
from creepcheck.policy.validate import (
    CategoryRef,
    LayerValidator,
    build_policy,
    check_categories,
    show,
)

if TYPE_CHECKING:
    from importlib.abc import Traversable

BUILTIN = "builtin:"
_FIRST_PRESETS = ("default", "strict")  # listed first; overlays follow by name


@dataclass(frozen=True)
class Source:
    """A policy to read: a file, or a preset shipped in the package."""

    name: str  # how messages and origins name it: `policies/house.yaml`, `builtin:gdpr`
    key: str  # identity for cycles and de-duplication
    path: Path | None = None  # None for a built-in


def _presets() -> Traversable:
    return resources.files("creepcheck.policy").joinpath("presets")


def _preset_names() -> list[str]:
    names = sorted(p.name[:-5] for p in _presets().iterdir() if p.name.endswith(".yaml"))
    first = [n for n in _FIRST_PRESETS if n in names]
    return first + [n for n in names if n not in first]


def builtin_policies() -> list[tuple[str, str]]:
    """Each built-in policy as (NAME, its one-line description); select it as `builtin:NAME`."""
    out = []
    for name in _preset_names():
        data = _read_preset(name)
        description = data.get("description", "") if isinstance(data, dict) else ""
        out.append((name, " ".join(str(description).split())))
    return out


def _read_preset(name: str) -> Any:
    file = BUILTIN + name
    return load_yaml_text(_presets().joinpath(f"{name}.yaml").read_text("utf-8"), file)


def load_policy(spec: str | Path, base_dir: Path, *, root: Path | None = None) -> Policy:
    """The effective policy named by `spec`: `builtin:NAME` or a path relative to base_dir.

    `root` is the repository root that `extends:` may not leave (default: base_dir).
    """
    resolver = _Resolver(Path(base_dir), Path(root or base_dir))
    top = resolver.source(str(spec), base_dir=Path(base_dir))
    if top is None:
        raise PolicyError(resolver.problems)
    resolver.visit(top, [])
    validators = [LayerValidator(source.name) for source, _ in resolver.layers]
    normalised = [
        v.validate(data) for v, (_, data) in zip(validators, resolver.layers, strict=True)
    ]
    merged, origins = merge_layers(
        (source.name, data) for (source, _), data in zip(resolver.layers, normalised, strict=True)
    )
    problems = resolver.problems + [p for v in validators for p in v.problems]
    refs: list[CategoryRef] = [r for v in validators for r in v.category_refs]
    problems += check_categories(refs, merged.get("categories", {}))
    if problems:
        raise PolicyError(_in_file_order(problems))
    merged.pop("description", None)
    origins.pop("description", None)
    return build_policy(merged, origins, [source.name for source, _ in resolver.layers])


@dataclass
class _Resolver:
    base_dir: Path
    root: Path  # what a file inside it may extend; a file outside may extend its own folder
    problems: list[Problem] = field(default_factory=list)
    layers: list[tuple[Source, Any]] = field(default_factory=list)
    done: set[str] = field(default_factory=set)

    def source(
        self, spec: str, base_dir: Path, by: Source | None = None, line: int | None = None
    ) -> Source | None:
        """The policy `spec` names, or None (with a problem) when there is no such policy.

        `by` and `line` say which file's `extends:` named it, for the message.
        """
        spec = spec.strip()
        if spec.startswith(BUILTIN):
            return self._builtin(spec, by, line)
        path = Path(os.path.abspath(base_dir / Path(spec).expanduser()))
        if by is not None and by.path is not None:
            within = boundary(by.path, self.root)
            if not is_inside(path, within):
                self.report(by, line, outside_message(spec, within, self.root))
                return None
        try:
            source = Source(self.display(path), str(path.resolve()), path)
            if path.is_file():
                return source
            what = "is a folder, expected a policy file" if path.is_dir() else "not found"
        except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
            source, what = Source(self.display(path), str(path)), "cannot be opened"
        if by is None:
            self.problems.append(Problem(source.name, f"policy file {what}"))
        else:
            self.report(by, line, f'policy file "{source.name}" {what}')
        return None

    def _builtin(self, spec: str, by: Source | None, line: int | None) -> Source | None:
        name, known = spec[len(BUILTIN) :].strip(), _preset_names()
        if name in known:
            return Source(BUILTIN + name, BUILTIN + name)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        choices = ", ".join(BUILTIN + n for n in known)
        hint = f'did you mean "{BUILTIN}{close[0]}"?' if close else f"expected one of: {choices}"
        if by is None:
            self.problems.append(Problem(spec, f"unknown built-in policy ({hint})"))
        else:
            self.report(by, line, f'unknown built-in policy "{spec}" ({hint})')
        return None

    def report(self, by: Source, line: int | None, message: str) -> None:
        self.problems.append(Problem(by.name, f"extends: {message}", line))

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(os.path.abspath(self.base_dir)).as_posix()
        except ValueError:
            return str(path)

    def visit(self, source: Source, stack: list[tuple[Source, int | None]]) -> None:
        """Read `source` and, depth first, what it extends; then append it to the layers."""
        data = self.read(source)
        if data is None:
            return
        for entry, line in self.extends(source, data):
            base_dir = source.path.parent if source.path is not None else self.base_dir
            base = self.source(entry, base_dir, by=source, line=line)
            if base is None or base.key in self.done:
                continue
            chain = [*stack, (source, line)]
            keys = [s.key for s, _ in chain]
            if base.key in keys:
                start, start_line = chain[keys.index(base.key)]
                names = [s.name for s, _ in chain[keys.index(base.key) :]] + [base.name]
                self.problems.append(
                    Problem(start.name, f"extends: cycle {' -> '.join(names)}", start_line)
                )
                continue
            self.visit(base, chain)
        if source.key not in self.done:
            self.done.add(source.key)
            self.layers.append((source, data))

    def read(self, source: Source) -> Any:
        """The file's YAML (an empty file is an empty policy), or None after a problem."""
        try:
            if source.path is None:
                data = _read_preset(source.name[len(BUILTIN) :])
            else:
                text = decode_bytes(read_bytes(source.path, what="policy file"), source.name)
                data = load_yaml_text(text, source.name)
        except UserError as exc:
            self.problems.extend(exc.problems)
            return None
        return {} if data is None else data

    def extends(self, source: Source, data: Any) -> list[tuple[str, int | None]]:
        """The `extends:` entries of a file with their lines; problems for bad ones."""
        if not isinstance(data, dict) or data.get("extends") is None:
            return []
        value, line = data["extends"], line_of(data, "extends")
        items = value if isinstance(value, list) else [value]
        entries = []
        for index, item in enumerate(items):
            item_line = line_of(value, index) if isinstance(value, list) else line
            if isinstance(item, str) and item.strip():
                entries.append((item, item_line or line))
            else:
                where = f"extends[{index}]" if isinstance(value, list) else "extends"
                self.problems.append(
                    Problem(
                        source.name,
                        f'{where}: expected a policy file or "builtin:NAME", got {show(item)}',
                        item_line or line,
                    )
                )
        return entries


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (in the order files were first named), then by line."""
    rank: dict[str, int] = {}
    for problem in problems:
        rank.setdefault(problem.file, len(rank))
    return sorted(problems, key=lambda p: (rank[p.file], p.line or 0))
