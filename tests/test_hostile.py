"""The hostile corpus: every input ends in exit 0, 1 or 2 as expected, quickly.

Each folder under tests/hostile/ is a small campaign repository with an expect.yaml
(`exit`, a `stderr_contains` fragment, `about`). The check runs in a subprocess under a
time limit and a 3 GiB address-space limit; nothing may print a traceback, and no file
may be created by an escape attempt.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "hostile"
TIME_LIMIT = 30
MEMORY_LIMIT = 3 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("case", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_hostile_input(case: str, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / case, repo, symlinks=True)
    expect = yaml.safe_load((repo / "expect.yaml").read_text(encoding="utf-8"))
    before = set(tmp_path.rglob("*"))
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", ".", "--format", "json", "--no-progress",
         "--fail-on", "error"],
        cwd=repo, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == expect["exit"], (expect["about"], proc.stderr[-1000:])
    assert expect["stderr_contains"] in proc.stderr, proc.stderr[-1000:]
    if expect.get("codes"):
        found = {f["code"] for f in json.loads(proc.stdout)["findings"]}
        assert set(expect["codes"]) <= found, (expect["about"], found)
    created = {p for p in set(tmp_path.rglob("*")) - before if p.name != "__pycache__"}
    assert not any(p.name == "pwned" for p in created)
    assert not Path("pwned").exists()
