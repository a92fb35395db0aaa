"""One copy of each text that a run's findings repeat.

A full audience's findings say the same few things thousands of times: a rule's
message, its fix, the campaign file, evidence such as "status: deceased", the same
field paths. Each finding is made with its own copies of those texts (and, from
`--jobs` workers, unpickled into new ones), which would make them most of what a large
run keeps. The findings kept for the report share one copy of each instead; the
profile id, different for each, is left as it is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from creepcheck.models import Finding

_T = TypeVar("_T")

# Distinct texts remembered: enough for every message, fix and field list of a run;
# evidence that differs for each profile stops being remembered once it is full.
LIMIT = 4096
SHARED_FIELDS = (
    "rule",
    "code",
    "message",
    "fix",
    "campaign",
    "channel",
    "file",
    "evidence",
    "fields",
)


class SharedTexts:
    def __init__(self, limit: int = LIMIT) -> None:
        self._held: dict[object, object] = {}
        self._limit = limit

    def finding(self, finding: Finding) -> Finding:
        """`finding`, or an equal one whose repeated texts are the shared copies."""
        swapped = {}
        for name in SHARED_FIELDS:
            value = getattr(finding, name)
            held = self._one(value)
            if held is not value:
                swapped[name] = held
        return replace(finding, **swapped) if swapped else finding

    def _one(self, value: _T) -> _T:
        held = self._held.get(value)
        if held is not None:
            return held  # type: ignore[return-value]  # equal to `value`, so of its type
        if value is not None and len(self._held) < self._limit:
            self._held[value] = value
        return value
