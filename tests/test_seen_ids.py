"""The repeated-id check: exact, though it keeps only fingerprints until a hit."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from creepcheck.loaders import seen_ids
from creepcheck.loaders.profiles import iter_profiles
from creepcheck.loaders.records import RecordProblem
from creepcheck.loaders.seen_ids import FingerprintTable, SeenIds, fingerprint


def test_table_holds_what_was_added_across_growth() -> None:
    table = FingerprintTable(capacity=4)
    draw = random.Random(7)
    numbers = list({draw.getrandbits(64) | 1 for _ in range(5000)})
    assert all(table.add(n) for n in numbers)
    assert len(table) == len(numbers) > 4900
    assert all(n in table for n in numbers)
    assert not any(table.add(n) for n in numbers[:100])  # already there
    others = {draw.getrandbits(64) | 1 for _ in range(2000)} - set(numbers)
    assert not any(n in table for n in others)


def test_fingerprint_is_never_the_empty_slot() -> None:
    assert fingerprint("") != 0 and fingerprint("c00000001") != fingerprint("c00000002")


def _records(ids: list[str]) -> list[tuple[int | None, dict[str, str]]]:
    return [(line, {"id": profile_id}) for line, profile_id in enumerate(ids, start=1)]


def _problems(ids: list[str]) -> list[str]:
    records = _records(ids)
    seen = SeenIds(lambda: iter(records))
    out = []
    for line, record in records:
        problem = seen.repeat(record["id"], "p.jsonl", line)
        if problem is not None:
            out.append(str(problem))
    return out


IDS = ["a", "b", "c", "a", "d", "b", "e", "a"]
EXPECTED = [
    'p.jsonl:4: duplicate id "a" (first on line 1)',
    'p.jsonl:6: duplicate id "b" (first on line 2)',
    'p.jsonl:8: duplicate id "a" (first on line 1)',
]


def test_repeats_are_reported_with_the_first_line() -> None:
    assert _problems(IDS) == EXPECTED
    assert _problems(["x", "y", "z"]) == []


def test_ids_sharing_a_fingerprint_are_not_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every id gets the same fingerprint: each hit is checked against the ids themselves.
    monkeypatch.setattr(seen_ids, "fingerprint", lambda profile_id: 42)
    assert _problems(["x", "y", "z"]) == []
    assert _problems(IDS) == EXPECTED


def test_without_lines_the_records_read_so_far_are_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(seen_ids, "fingerprint", lambda profile_id: 42)
    records = [(None, {"id": i}) for i in ["x", "y", "x", "z"]]
    seen = SeenIds(lambda: iter(records))
    problems = [seen.repeat(r["id"], "rows", None) for _, r in records]
    assert [str(p) if isinstance(p, RecordProblem) else None for p in problems] == [
        None,
        None,
        'rows: duplicate id "x"',
        None,
    ]


def test_a_file_with_colliding_ids_reads_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("p.jsonl")
    lines = [json.dumps({"id": i}) for i in ["a", "b", "a", "c"]] + ["{broken", '{"id": "b"}']
    path.write_text("\n".join(lines) + "\n")
    plain = [str(p) if isinstance(p, RecordProblem) else p.id for p in iter_profiles(path)]
    monkeypatch.setattr(seen_ids, "fingerprint", lambda profile_id: 42)
    colliding = [str(p) if isinstance(p, RecordProblem) else p.id for p in iter_profiles(path)]
    assert colliding == plain
    assert 'p.jsonl:3: duplicate id "a" (first on line 1)' in plain
    assert 'p.jsonl:6: duplicate id "b" (first on line 2)' in plain
