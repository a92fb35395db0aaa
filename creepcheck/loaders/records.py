"""What a loader makes of one record: a RecordProblem, or a profile record built from
named columns (a CSV header's, a table's), with cell texts read as values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders.yamlio import NUL_MESSAGE, describe
from creepcheck.values import flag

LIST_FIELDS = ("purposes", "segments", "consented_uses")
BOOL_FIELDS = ("do_not_contact", "erasure_requested")
NUMBER_FIELDS = ("amount", "price", "total", "score", "value_score")


@dataclass(frozen=True)
class RecordProblem:
    """One bad record; the rest of the file is still read."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return str(Problem(self.file, self.message, self.line))


def csv_columns(
    header: list[str], mapping: Mapping[str, str], file: str
) -> list[tuple[str, ...] | None]:
    """Each column's field path (split on dots) after `mapping`; None for unnamed columns."""
    if any("\x00" in name for name in header):
        raise ProfileError(Problem(file, NUL_MESSAGE, 1))
    columns: list[tuple[str, ...] | None] = []
    conflicts = _ColumnConflicts(file)
    for name in header:
        target = mapping.get(name.strip(), name.strip())
        parts = tuple(part.strip() for part in target.split(".")) if target else None
        if parts is not None and "" in parts:
            raise ProfileError(
                Problem(file, f"column {describe(name)}: {describe(target)} is not a field path", 1)
            )
        if parts is not None:
            conflicts.add(parts, name)
        columns.append(parts)
    return columns


class _ColumnConflicts:
    """Rejects two columns that set the same field, or a field and one inside it
    (`consents.email` and `consents.email.status`), in time linear in the header: each
    column's path and its prefixes are looked up in sets, never compared pairwise."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.paths: dict[tuple[str, ...], str] = {}  # a column's path -> its name
        self.prefixes: dict[tuple[str, ...], str] = {}  # a proper prefix -> a column under it

    def add(self, parts: tuple[str, ...], name: str) -> None:
        for length in range(1, len(parts) + 1):
            other = self.paths.get(parts[:length])
            if other is not None:
                self._fail(other, name, parts[:length])
        if parts in self.prefixes:
            self._fail(self.prefixes[parts], name, parts)
        self.paths[parts] = name
        for length in range(1, len(parts)):
            self.prefixes.setdefault(parts[:length], name)

    def _fail(self, other: str, name: str, shared: tuple[str, ...]) -> None:
        message = f"columns {describe(other)} and {describe(name)} both set {'.'.join(shared)}"
        raise ProfileError(Problem(self.file, message, 1))


def put_path(tree: dict[Any, Any], parts: tuple[str, ...], value: Any) -> None:
    node = tree
    for part in parts[:-1]:
        node = node.setdefault(_key(part), {})
    node[_key(parts[-1])] = value


def _key(part: str) -> str | int:
    return int(part) if part.isascii() and part.isdigit() else part


def as_lists(node: Any) -> Any:
    """Turn mappings keyed only by numbers into lists, in index order, without gaps."""
    if not isinstance(node, dict):
        return node
    items = {key: as_lists(value) for key, value in node.items()}
    if items and all(isinstance(key, int) for key in items):
        return [items[key] for key in sorted(items)]
    return {str(key): value for key, value in items.items()}


def csv_value(field: str, cell: str) -> Any:
    """A CSV cell as a value: lists for `*purposes`/`*segments`/`*consented_uses`
    (`[a, b]`, `a;b` or `a, b`), booleans for do_not_contact / erasure_requested,
    numbers for amount/price/total and `*score` columns; everything else stays text
    (dates stay ISO strings, ids and phone numbers keep their leading zeros)."""
    text = cell.strip()
    if field.endswith(LIST_FIELDS):
        return [item.strip() for item in re.split(r"[;,]", text.strip("[]")) if item.strip()]
    if field in BOOL_FIELDS and text and flag(text) is not None:
        return flag(text)
    if field in NUMBER_FIELDS or field.endswith("_score"):
        return _number(text)
    return text


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
