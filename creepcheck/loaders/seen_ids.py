"""The profile ids read so far, to reject a repeated one with the line of the first.

An audience of millions must not be held in memory to find its repeats. A set of the
id strings costs about a hundred bytes an id; here each id is kept as a 64-bit
fingerprint in an open-addressing table of machine words, at most half full: 8 to 16
bytes an id. A fingerprint seen before is not yet a repeat (two ids may share one), so
at the first such hit the records read so far are read again, once, and from then on
the ids themselves are kept with the line of each one's first record, exactly. An
audience without repeats never pays for that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from hashlib import blake2b
from typing import Any

from creepcheck.loaders.records import RecordProblem
from creepcheck.loaders.yamlio import describe

# The records of the file from the start, as (line, record), to read again.
Reread = Callable[[], Iterable[tuple[int | None, Any]]]


def fingerprint(profile_id: str) -> int:
    """A 64-bit fingerprint of an id; never 0, which marks an empty slot."""
    digest = blake2b(profile_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


class FingerprintTable:
    """A set of nonzero 64-bit numbers in one flat table, grown by doubling."""

    def __init__(self, capacity: int = 1024) -> None:
        self._slots = memoryview(bytearray(8 * capacity)).cast("Q")
        self._mask = capacity - 1  # capacity is a power of two
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, number: int) -> bool:
        """Add `number`; False when it was there already."""
        index = self._slot(number)
        if self._slots[index]:
            return False
        self._slots[index] = number
        self._size += 1
        if 2 * self._size > self._mask + 1:
            self._grow()
        return True

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self._slots[self._slot(number)] != 0

    def _slot(self, number: int) -> int:
        """Where `number` is, or the empty slot where it would go (linear probing: the
        fingerprints are uniform, so runs stay short at half full)."""
        slots, mask = self._slots, self._mask
        index = number & mask
        while slots[index] != 0 and slots[index] != number:
            index = (index + 1) & mask
        return index

    def _grow(self) -> None:
        grown = FingerprintTable(2 * len(self._slots))
        for number in self._slots:
            if number:
                grown.add(number)
        self._slots, self._mask = grown._slots, grown._mask


class SeenIds:
    """Ids in the order their records are read: the problem to report for a repeat."""

    def __init__(self, reread: Reread) -> None:
        self._reread = reread
        self._fingerprints = FingerprintTable()
        self._count = 0  # ids recorded so far
        self._lines: dict[str, int | None] | None = None  # exact, after the first hit

    def repeat(self, profile_id: str, file: str, line: int | None) -> RecordProblem | None:
        """Record the id; the problem to report when it was read before."""
        if self._lines is None:
            if self._fingerprints.add(fingerprint(profile_id)):
                self._count += 1
                return None
            self._lines = self._first_lines(before=line)
        self._count += 1
        if profile_id not in self._lines:
            self._lines[profile_id] = line
            return None
        first = self._lines[profile_id]
        where = f" (first on line {first})" if first else ""
        return RecordProblem(file, line, f"duplicate id {describe(profile_id)}{where}")

    def _first_lines(self, before: int | None) -> dict[str, int | None]:
        """Each id read so far with the line of its first record, read again: the records
        before line `before`, or as many records with an id as were recorded."""
        lines: dict[str, int | None] = {}
        remaining = self._count
        for line, record in self._reread():
            if before is not None and line is not None and line >= before:
                break
            if before is None and remaining == 0:
                break
            key = record_id(record)
            if key is not None:
                remaining -= 1
                lines.setdefault(key, line)
        return lines


def record_id(record: Any) -> str | None:
    """A record's id as a profile's, None when it has no usable one."""
    if not isinstance(record, dict):
        return None
    raw_id = record.get("id")
    if raw_id is None or raw_id == "" or isinstance(raw_id, bool):
        return None
    return str(raw_id) if isinstance(raw_id, str | int) else None
