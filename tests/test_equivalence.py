"""The optimised paths (render skeleton cache, analysis caches) change nothing.

Runs every sample campaign and public conformance case twice, once with the
optimisations switched off (what CREEPCHECK_UNOPTIMISED=1 does), and compares the
findings and per-message specificity one for one; `--jobs 2` must match `--jobs 1`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import creepcheck
from creepcheck import tuning
from creepcheck.run import CheckOptions
from creepcheck.run import check as run_check
from tests.paths import CONFORMANCE_CASES, FIXTURES, SAMPLE_CAMPAIGNS

# A real-looking audience (260 profiles): a name, a link token and picks in every
# message, names that are words ("Hope", "Call", "Order"), digits beside values (points,
# prices, phone- and card-shaped picks and tokens), enough for the shared-render caches
# to switch themselves off part-way.
REALISTIC = FIXTURES / "realistic"
TARGETS = [SAMPLE_CAMPAIGNS, REALISTIC] + sorted(
    p for p in CONFORMANCE_CASES.iterdir() if p.is_dir()
)


def outcome(target: Path, monkeypatch: pytest.MonkeyPatch, optimise: bool,
            jobs: int = 1) -> tuple[list[object], list[object]]:
    monkeypatch.setattr(tuning, "OPTIMISE", optimise)
    monkeypatch.chdir(target)
    result = run_check(CheckOptions(paths=(Path("."),), jobs=jobs))
    return result.findings, result.messages


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.name)
def test_optimised_and_plain_paths_agree(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(target, monkeypatch, True) == outcome(target, monkeypatch, False)


def test_jobs_give_the_same_findings_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    target = SAMPLE_CAMPAIGNS
    one = outcome(target, monkeypatch, True, jobs=1)
    assert outcome(target, monkeypatch, True, jobs=2) == one
    assert creepcheck.check([str(target)]).findings == one[0]
