"""The optimised paths (render skeleton cache, analysis caches) change nothing.

Runs every sample campaign and public conformance case twice, once with
CREEPCHECK_UNOPTIMISED=1, and compares the JSON reports finding for finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "conformance" / "cases"
TARGETS = [ROOT / "sample_campaigns"] + (sorted(p for p in CASES.iterdir() if p.is_dir())
                                         if CASES.is_dir() else [])


def report(target: Path, unoptimised: bool, jobs: int = 1) -> dict[str, object]:
    env = {**os.environ, "NO_COLOR": "1"}
    if unoptimised:
        env["CREEPCHECK_UNOPTIMISED"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", ".", "--format", "json", "--no-progress",
         "--fail-on", "never", "--jobs", str(jobs)],
        cwd=target, capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("target", TARGETS, ids=lambda p: p.name)
def test_optimised_and_plain_paths_agree(target: Path) -> None:
    fast, plain = report(target, False), report(target, True)
    assert fast["findings"] == plain["findings"]
    assert fast["messages"] == plain["messages"]


def test_jobs_give_the_same_report_in_the_same_order() -> None:
    target = ROOT / "sample_campaigns"
    assert report(target, False, jobs=2) == report(target, False, jobs=1)
