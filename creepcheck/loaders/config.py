"""The project config: `creepcheck.yaml`, `creepcheck.yml` or `[tool.creepcheck]`.

The config is searched for in the start folder and then its parents, stopping at a
folder that holds `.git` (the repository root) or at the filesystem root, as ruff
does. In each folder `creepcheck.yaml` wins over `creepcheck.yml`, which wins over
`pyproject.toml` (only when it has a `[tool.creepcheck]` table). Keys may be written
with underscores or hyphens (`fail_on` or `fail-on`). Relative paths in the config are
relative to the folder of the config file, and may not lead out of it (confine.py).
What each key may be is written in creepcheck/schemas/config.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from creepcheck.confine import is_inside, outside_message, project_root
from creepcheck.errors import ConfigError, Problem, UserError
from creepcheck.loaders.warehouse import query_setting
from creepcheck.loaders.yamlio import (
    LineDict,
    decode_bytes,
    describe,
    display_path,
    load_yaml_file,
    read_bytes,
)
from creepcheck.models import DatabaseQuery, ProfileSource
from creepcheck.schemas import validate

CONFIG_NAMES = ("creepcheck.yaml", "creepcheck.yml")


@dataclass(frozen=True)
class ProjectConfig:
    root: Path  # folder of the config file, or the start folder when none
    file: Path | None
    policy: str = "builtin:default"  # 'builtin:NAME' or an absolute path
    profiles: ProfileSource | None = None  # a file, or a query on a DuckDB database
    language: str = "en"
    fail_on: str = "error"
    format: str = "text"
    baseline: Path | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)  # CRM column -> field path
    spacy_model: str | None = None  # an installed trained spaCy pipeline
    exclude: tuple[str, ...] = ()  # glob patterns of paths not searched for campaigns
    strict_inputs: bool = False  # every input problem, even one that is not fatal, exits 2

    def repository_root(self, folder: Path | None = None) -> Path:
        """The repository root that files in `folder` (default: the start folder) may
        not leave: the config's folder, else the git checkout or working folder."""
        return project_root(self.root if self.file else None, folder or self.root)


@dataclass(frozen=True)
class _Source:
    """Settings read from one config file, before validation."""

    path: Path
    settings: Mapping[Any, Any]
    lines: Mapping[Any, int]


def load_project_config(start: Path) -> ProjectConfig:
    """The config that applies to `start` (a folder, or a file in one)."""
    folder = _start_folder(start)
    source = find_config(folder)
    if source is None:
        return ProjectConfig(root=folder, file=None)
    return _validate(source)


def _start_folder(start: Path) -> Path:
    start = Path(start).absolute()
    return start if start.is_dir() else start.parent


def find_config(folder: Path) -> _Source | None:
    """The first config file in `folder` or its parents, read but not validated."""
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file():
                return _read_yaml(path)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            source = _read_pyproject(pyproject)
            if source is not None:
                return source
        if (candidate / ".git").exists():
            return None
    return None


def _read_yaml(path: Path) -> _Source:
    try:
        settings = load_yaml_file(path, what="config file", allow_empty=True)
    except ConfigError:
        raise
    except UserError as exc:
        raise ConfigError(exc.problems) from None
    if settings is None:
        settings = LineDict()
    if not isinstance(settings, LineDict):
        message = f"expected a mapping of settings, got {describe(settings)}"
        raise ConfigError(Problem(display_path(path), message, 1))
    return _Source(path, settings, settings.key_lines)


def _read_pyproject(path: Path) -> _Source | None:
    file = display_path(path)
    try:
        text = decode_bytes(read_bytes(path, what="pyproject.toml"), file)
    except UserError as exc:
        raise ConfigError(exc.problems) from None
    if "creepcheck" not in text:
        return None
    table = _parse_toml(text, file).get("tool", {})
    table = table.get("creepcheck") if isinstance(table, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(Problem(file, "[tool.creepcheck]: expected a table of settings"))
    return _Source(path, table, _toml_key_lines(text))


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ModuleNotFoundError:
            if "[tool.creepcheck" not in text:
                return {}
            message = "reading [tool.creepcheck] needs Python 3.11 or the tomli package"
            raise ConfigError(Problem(file, message)) from None
    try:
        return tomllib.loads(text)  # type: ignore[no-any-return]
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(Problem(file, f"invalid TOML: {reason}", line)) from None


def _toml_key_lines(text: str) -> dict[str, int]:
    """Lines of the keys of [tool.creepcheck] (tomllib keeps no positions)."""
    lines: dict[str, int] = {}
    inside = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*tool\s*\.\s*creepcheck\s*(?:\.\s*([\w\"-]+)\s*)?\]", line)
        if header:
            inside = header.group(1) is None
            if header.group(1):
                lines.setdefault(header.group(1).strip('"'), number)
            continue
        if line.startswith("["):
            inside = False
        key = re.match(r'^"?([\w-]+)"?\s*=', line) if inside else None
        if key:
            lines.setdefault(key.group(1), number)
    return lines


def _validate(source: _Source) -> ProjectConfig:
    """Settings checked against the config schema (creepcheck/schemas/config.yaml),
    then where the paths they name lead, which a schema cannot say."""
    file = display_path(source.path)
    root = source.path.parent
    settings = LineDict()
    settings.line = getattr(source.settings, "line", 0) or 1
    written: dict[str, Any] = {}
    problems: list[Problem] = []
    for raw_key, value in source.settings.items():
        line = source.lines.get(raw_key)
        key = str(raw_key).replace("-", "_")
        if key in settings:
            message = f"{key}: set twice (as {key} and as {key.replace('_', '-')})"
            problems.append(Problem(file, message, line))
            continue
        settings[key] = value
        settings.key_lines[key] = line or 0
        written[key] = raw_key
    checked = validate("config", settings, file, key_names=written)
    problems.extend(checked.problems)
    values: dict[str, Any] = {}
    for key, check in _PATH_CHECKS.items():
        value = settings.get(key)
        if value is None or checked.failed_at(key):
            continue
        try:
            values[key] = check(value, root)
        except _Invalid as exc:
            problems.append(Problem(file, f"{key}: {exc}", settings.line_of(key)))
    for key in ("language", "fail_on", "format", "spacy_model"):
        if settings.get(key) is not None and not checked.failed_at(key):
            values[key] = settings[key]
    if settings.get("mapping") and not checked.failed_at("mapping"):
        values["mapping"] = MappingProxyType({str(k): v for k, v in settings["mapping"].items()})
    exclude = settings.get("exclude")
    if exclude is not None and not checked.failed_at("exclude"):
        values["exclude"] = (exclude,) if isinstance(exclude, str) else tuple(exclude)
    if settings.get("strict_inputs") is not None and not checked.failed_at("strict_inputs"):
        values["strict_inputs"] = bool(settings["strict_inputs"])  # yes/no too (YamlWord)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line or 0))
    return ProjectConfig(root=root, file=source.path, **values)


class _Invalid(ValueError):
    """A value the schema allows that leads somewhere it may not."""


def _policy(value: str, root: Path) -> str:
    if value.startswith("builtin:"):
        return value
    return str(_inside(value, root))


def _path(value: Any, root: Path) -> Path:
    return _inside(str(value), root)


def _inside(value: str, root: Path) -> Path:
    """`value` relative to the config's folder, which it may not leave (confine.py)."""
    path = root / value
    if not is_inside(path, root):
        raise _Invalid(outside_message(value, root, root))
    return path


def _profiles(value: Any, root: Path) -> ProfileSource | None:
    """A profile file, or `{database: FILE, query: SELECT ...}`."""
    if not isinstance(value, Mapping):
        return _inside(value, root)
    try:
        database, query = query_setting(value)
    except ValueError as exc:
        raise _Invalid(str(exc)) from None
    return DatabaseQuery(_inside(database, root), query)


_PATH_CHECKS: dict[str, Callable[[Any, Path], Any]] = {
    "policy": _policy,
    "profiles": _profiles,
    "baseline": _path,
}
