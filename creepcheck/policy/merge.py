"""Overlaying validated policy files: mappings merge deeply, everything else replaces.

Leaves of the validated data are final values (a severity name, an option value, a
`ConsentRule`, a `FieldClass`, a tuple of terms), so a list or a field's whole
classification is replaced, never spliced. Each leaf remembers the file that set it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def merge_layers(
    layers: Iterable[tuple[str, Mapping[str, Any]]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The merged data of `(origin, data)` layers, base first, and each leaf's origin.

    Origins are keyed by dotted path: `rules.purchase-recall.max_items`,
    `consent.marketing.sms`, `fields.inferred.pregnancy_score`.
    """
    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for origin, data in layers:
        _merge_into(merged, data, (), origin, origins)
    return merged, origins


def _merge_into(
    target: dict[str, Any],
    data: Mapping[str, Any],
    prefix: tuple[str, ...],
    origin: str,
    origins: dict[str, str],
) -> None:
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping):
            existing = target.get(key)
            if not isinstance(existing, dict):
                existing = target[key] = {}
            _merge_into(existing, value, path, origin, origins)
        else:
            target[key] = value
            origins[".".join(path)] = origin
