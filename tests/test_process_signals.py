"""Runs that lose a worker, are interrupted, or find their stdout closed end quickly and
cleanly: a clear message and the right exit code, no traceback, no hang.

Each run is a `creepcheck check` subprocess in its own process group on a JSON Lines
audience long enough to still be running when the test acts on it; a timeout turns a
hang into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPRING = ROOT / "sample_campaigns" / "spring-sale"
AUDIENCE = 30_000  # far more than a run checks before the test acts on it
STARTUP_LIMIT = 90  # seconds for a run to reach its profiles on a loaded machine
END_LIMIT = 30  # seconds for a run to end once acted on


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spring sample with its fictional profiles repeated under new ids."""
    folder = tmp_path_factory.mktemp("signals") / "spring-sale"
    shutil.copytree(SPRING, folder)
    profiles = yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))
    with (folder / "profiles.jsonl").open("w", encoding="utf-8") as stream:
        for number in range(AUDIENCE):
            profile = profiles[number % len(profiles)]
            record = {**profile, "id": f"{profile['id']}-{number}"}
            stream.write(json.dumps(record, default=str) + "\n")
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    (folder / "campaign.yaml").write_text(
        text.replace("profiles: profiles.yaml", "profiles: profiles.jsonl"), encoding="utf-8"
    )
    return folder


def start(folder: Path, *args: str, stdout: int = subprocess.DEVNULL) -> subprocess.Popen[str]:
    return start_command("check", str(folder), "--no-progress", *args, stdout=stdout)


def start_command(*args: str, stdout: int = subprocess.DEVNULL) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "creepcheck", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a shell job is
    )


def finish(run: subprocess.Popen[str]) -> str:
    """The run's stderr once it has ended; a run still going after END_LIMIT is a hang."""
    try:
        _, stderr = run.communicate(timeout=END_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail(f"the run did not end within {END_LIMIT} s")
    return stderr


def wait_for(run: subprocess.Popen[str], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while not condition():
        if run.poll() is not None:
            pytest.fail(f"the run ended (exit {run.returncode}) before {what}: {finish(run)}")
        if time.monotonic() > deadline:
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
            pytest.fail(f"no {what} within {STARTUP_LIMIT} s")
        time.sleep(0.05)


def workers(pid: int) -> list[int]:
    """The worker processes of a run: its children running its own command line."""
    try:
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
        children = [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
        return [child for child in children if Path(f"/proc/{child}/cmdline").read_bytes() == own]
    except (FileNotFoundError, ProcessLookupError):
        return []


def reading(pid: int, path: Path) -> bool:
    """Whether the process has the file open: the run has reached its profiles."""
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return False


def checking(run: subprocess.Popen[str], campaign: Path, jobs: int) -> list[int]:
    """Wait until the run checks profiles (on `jobs` workers when more than one)."""
    profiles = campaign / "profiles.jsonl"
    wait_for(run, lambda: reading(run.pid, profiles), "reading of the profiles")
    if jobs == 1:
        return []
    wait_for(run, lambda: len(workers(run.pid)) >= jobs, f"{jobs} worker processes")
    return workers(run.pid)


def gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + END_LIMIT
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")


def test_a_killed_worker_ends_the_run_with_a_clear_error(campaign: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = start(campaign, "--jobs", "2", "--format", "json", "--output", str(report))
    pool = checking(run, campaign, jobs=2)
    os.kill(pool[0], signal.SIGKILL)
    stderr = finish(run)
    assert run.returncode == 2, stderr
    assert "a worker process died (killed by signal 9, maybe out of memory)" in stderr
    assert "profiles.jsonl; run with --jobs 1 or with more memory" in stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert not report.exists()
    assert gone(pool), "workers outlived the run"


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_interrupts_quietly_with_exit_130(campaign: Path, tmp_path: Path, jobs: int) -> None:
    report = tmp_path / "report.json"
    run = start(campaign, "--jobs", str(jobs), "--format", "json", "--output", str(report))
    pool = checking(run, campaign, jobs)
    os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C does: the run and its workers
    stderr = finish(run)
    assert run.returncode == 130, stderr
    assert stderr.strip() == "interrupted"
    assert list(tmp_path.iterdir()) == []  # no report, no partial file
    assert gone(pool), "workers outlived the run"


def test_sigterm_interrupts_quietly_with_exit_143(campaign: Path) -> None:
    run = start(campaign, "--jobs", "2", "--format", "json")
    pool = checking(run, campaign, jobs=2)
    run.send_signal(signal.SIGTERM)  # the main process only, as `kill` does
    stderr = finish(run)
    assert run.returncode == 143, stderr
    assert stderr.strip() == "interrupted"
    assert gone(pool), "workers outlived the run"


@pytest.mark.parametrize("read", [0, 100], ids=["pipe-to-true", "pipe-to-head"])
def test_a_closed_stdout_ends_quietly_with_the_findings_exit_code(
    campaign: Path, read: int
) -> None:
    # 300 profiles make a JSON report far larger than a pipe's buffer.
    run = start(campaign, "--format", "json", "--sample", "300", stdout=subprocess.PIPE)
    assert run.stdout is not None
    assert len(run.stdout.read(read)) == read
    run.stdout.close()
    stderr = finish(run)
    for noise in ("internal error", "BrokenPipe", "Traceback", "Exception ignored"):
        assert noise not in stderr
    assert run.returncode == 1, stderr  # the spring sample's findings fail the run


def test_a_closed_stdout_ends_a_preview_quietly() -> None:
    run = start_command("preview", str(SPRING), "--profile", "ns-clean", stdout=subprocess.PIPE)
    assert run.stdout is not None
    run.stdout.close()
    stderr = finish(run)
    for noise in ("internal error", "BrokenPipe", "Traceback", "Exception ignored"):
        assert noise not in stderr
    assert run.returncode == 0, stderr


def test_an_interrupt_while_writing_a_baseline_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creepcheck import atomicwrite
    from creepcheck.findings import baseline

    def interrupted(source: str, target: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomicwrite.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        baseline.write_baseline(tmp_path / "baseline.json", [])
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_check_stops_its_workers_and_restores_the_collector(
    campaign: Path,
) -> None:
    import gc
    import multiprocessing

    from creepcheck.run import CheckOptions, check

    def interrupt(checked: int) -> None:
        raise KeyboardInterrupt

    settings = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    options = CheckOptions(paths=(campaign,), jobs=2, sample=2000, progress=interrupt)
    with pytest.raises(KeyboardInterrupt):
        check(options)
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == settings
    assert multiprocessing.active_children() == []


def test_stopping_the_workers_does_not_hang_on_a_half_sent_result() -> None:
    """A worker stopped in the middle of sending a result leaves the pool's thread
    waiting for the rest; stopping must still end (here the half-sent result is
    written by hand, so the race is hit every time)."""
    import multiprocessing
    import struct
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from creepcheck.run.parallel import _stop

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    executor = ProcessPoolExecutor(2, context)
    assert executor.submit(abs, -1).result(timeout=60) == 1
    writer = executor._result_queue._writer  # type: ignore[attr-defined]
    os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"half a result")
    stopper = threading.Thread(target=_stop, args=(executor,), daemon=True)
    stopper.start()
    stopper.join(timeout=60)
    if stopper.is_alive():  # let the test process end, then fail
        writer.close()
    assert not stopper.is_alive()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("exit_codes", "told"),
    [
        ([-15, -9], "killed by signal 9, maybe out of memory"),
        ([-15, -11], "killed by signal 11"),
        ([-15, -15], "killed by signal 15"),
        ([3], "exited with code 3"),
        ([], "ended unexpectedly"),
    ],
)
def test_how_a_worker_ended_names_the_likeliest_cause(exit_codes: list[int], told: str) -> None:
    from creepcheck.run.parallel import _how_it_ended

    assert _how_it_ended(exit_codes) == told
