"""The hostile corpus: every input ends in exit 0, 1 or 2 as expected, quickly.

Each folder under tests/hostile/ is a small campaign repository with an expect.yaml:

- `about`: what the attack is; `exit`: the exit code; `stderr_contains`: a fragment;
- `args` (optional): extra arguments for `creepcheck check`; `format` (default json);
- `codes` (optional): rule codes that must be among the findings (json format);
- `outside` (optional): files written beside the repository (name: text) before the
  run, so that a link or a path can point outside it; none of their text may appear
  in any output;
- `must_not_contain` (optional): strings that may appear in no output (stdout, stderr,
  or the `--output` file when `args` names one).

The check runs in a subprocess under a time limit and a 3 GiB address-space limit;
nothing may print a traceback, no workflow command (`::name`) may appear outside the
`github` format, and no file may be created by an escape attempt.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.paths import checkout_env

CORPUS = Path(__file__).parent / "hostile"
TIME_LIMIT = 30
MEMORY_LIMIT = 3 * 1024**3
WORKFLOW_COMMAND = re.compile(r"^::[a-z-]+", re.MULTILINE)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("case", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_hostile_input(case: str, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / case, repo, symlinks=True)
    expect = yaml.safe_load((repo / "expect.yaml").read_text(encoding="utf-8"))
    outside: dict[str, str] = expect.get("outside") or {}
    for name, text in outside.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    output_format = expect.get("format", "json")
    proc = subprocess.run(
        [sys.executable, "-m", "creepcheck", "check", ".", "--format", output_format,
         "--no-progress", "--fail-on", "error", *map(str, expect.get("args") or [])],
        cwd=repo, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory,
        env=checkout_env(NO_COLOR="1"), stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == expect["exit"], (expect["about"], proc.stderr[-1000:])
    assert expect["stderr_contains"] in proc.stderr, proc.stderr[-1000:]
    if expect.get("codes"):
        found = {f["code"] for f in json.loads(proc.stdout)["findings"]}
        assert set(expect["codes"]) <= found, (expect["about"], found)
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    args = [str(a) for a in expect.get("args") or []]
    if "--output" in args:
        written = repo / args[args.index("--output") + 1]
        if written.is_file():
            outputs["output"] = written.read_text(encoding="utf-8", errors="replace")
    forbidden = [*expect.get("must_not_contain", []), *(t.strip() for t in outside.values())]
    for name, text in outputs.items():
        for secret in filter(None, forbidden):
            assert secret not in text, (expect["about"], name, secret)
        if output_format != "github":
            assert not WORKFLOW_COMMAND.search(text), (expect["about"], name, text[-1000:])
    created = {p for p in set(tmp_path.rglob("*")) - before if p.name != "__pycache__"}
    assert not any(p.name == "pwned" for p in created)
    assert not Path("pwned").exists()
