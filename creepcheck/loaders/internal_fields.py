"""Which profile fields are internal (CRM notes, segments, scores: the policy's
`internal_fields` globs), and which of their values are distinctive enough that finding
them in the copy is no coincidence."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from creepcheck.caching import Derived, memoised
from creepcheck.models import Profile, dotted_path

CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")


@memoised(maxsize=8192)
def is_internal(path: str, globs: tuple[str, ...]) -> bool:
    """Whether a field path matches an internal-field glob; list indexes are ignored.

    A glob without a dot also matches the last part of a path (`notes` matches
    `crm.notes`), its singular (`segment`), and a qualified top-level CRM column
    (`agent_notes`, `customer_segment`).
    """
    return _is_internal(dotted_path(path), globs)


@memoised(maxsize=4096)
def _is_internal(dotted: str, globs: tuple[str, ...]) -> bool:
    leaf = dotted.rsplit(".", 1)[-1]
    for glob in globs:
        if fnmatch.fnmatchcase(dotted, glob) or dotted.startswith(glob + "."):
            return True
        if glob.startswith(dotted + "."):  # the whole `inferred` mapping printed at once
            return True
        if "." in glob:
            continue
        names = {glob, glob[:-1]} if glob.endswith("s") and len(glob) > 3 else {glob}
        if any(fnmatch.fnmatchcase(leaf, name) for name in names):
            return True
        if "." not in dotted and any(fnmatch.fnmatchcase(leaf, f"*_{n}") for n in names):
            return True
    return False


def leaf_values(profile: Profile, path: str) -> list[Any]:
    head, pattern = _leaf_pattern(path)
    return [
        value for leaf, value in profile.leaves if leaf.startswith(head) and pattern.fullmatch(leaf)
    ]


@memoised(maxsize=1024)
def _leaf_pattern(path: str) -> tuple[str, re.Pattern[str]]:
    """The leaves under `path` (`[]` for any index), and the literal text they start with."""
    pattern = re.escape(path).replace(r"\[\]", r"\[\d+\]")
    return path.partition("[")[0], re.compile(pattern + r"(?:[.\[].*)?")


def find_internal_values(profile: Profile, globs: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    found: list[tuple[str, float | str]] = []
    _distinctive_leaves(profile.data, "", found)
    stripped: dict[str, str] = {}  # one copy of a value shared by many leaves (a YAML alias)
    for path, value in found:
        if not is_internal(path, globs):
            continue
        if isinstance(value, float):
            yield path, f"{value:g}"
        else:
            shown = stripped.get(value)
            if shown is None:
                shown = stripped[value] = value.strip()
            yield path, shown


INTERNAL_VALUES: Derived[tuple[tuple[str, str], ...]] = Derived(
    lambda profile, globs: tuple(find_internal_values(profile, globs))
)


def _distinctive_leaves(node: Any, prefix: str, found: list[tuple[str, float | str]]) -> None:
    """`Profile.leaves`, in the same order, narrowed to values distinctive enough to
    count (see `_find_internal_values`); paths are built only for those and for
    containers. One function, checks inlined: it runs on every node of every profile,
    so the exact types loaded from JSON or YAML are told apart by `type()` first."""
    kind = type(node)
    if kind is dict:
        pairs: Iterable[tuple[Any, Any]] = node.items()
        mapping = True
    elif kind is list:
        pairs, mapping = enumerate(node), False
    elif not isinstance(node, _SCALARS) and isinstance(node, Mapping):
        pairs, mapping = node.items(), True
    elif isinstance(node, list):
        pairs, mapping = enumerate(node), False
    else:
        return
    for key, value in pairs:
        kind = type(value)
        if kind is str:
            # Short of 20 characters and without "_", a string is neither a code nor a note.
            if len(value) < 20 and "_" not in value or not distinctive(value):
                continue
            leaf = True
        elif kind is dict or kind is list:
            leaf = False
        elif kind in _PLAIN:
            continue
        elif kind is float:
            if value.is_integer():  # a score such as 0.87 is distinctive, 2.0 is not
                continue
            leaf = True
        else:
            classified = _classify(value)
            if classified is None:
                continue
            leaf = classified
        path = (f"{prefix}.{key}" if prefix else str(key)) if mapping else f"{prefix}[{key}]"
        if leaf:
            found.append((path, value))
        else:
            _distinctive_leaves(value, path, found)


_SCALARS = (str, int, float)
_PLAIN = frozenset({int, bool, type(None)})  # never distinctive, never containers


def _classify(value: Any) -> bool | None:
    """For other types (subclasses, other mappings, dates): True for a distinctive leaf,
    False for a container, None for anything to skip."""
    if isinstance(value, str):
        return True if distinctive(value) else None
    if isinstance(value, float):
        return None if value.is_integer() else True
    if isinstance(value, dict | list) or (
        not isinstance(value, _SCALARS) and isinstance(value, Mapping)
    ):
        return False
    return None  # another scalar: ints, booleans, dates


def distinctive(value: str) -> bool:
    value = value.strip()
    if "_" in value and CODE.fullmatch(value):
        return len(value) >= 5  # a code: lapsed_high_value, seg_042
    # a sentence: an agent's note (four words are enough to know; a long text is not split whole)
    return len(value) >= 20 and len(value.split(maxsplit=3)) >= 4
