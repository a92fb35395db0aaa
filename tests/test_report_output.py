"""Reports are streamed to their file and land whole, or not at all."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest

from creepcheck.commands.check import _write_file
from creepcheck.errors import UserError
from creepcheck.findings.result import RunResult
from creepcheck.reporters.base import ReportOptions
from creepcheck.reporters.json import JsonReporter
from creepcheck.run import CheckOptions, check
from tests.paths import SAMPLE_CAMPAIGNS as SAMPLES


def test_streamed_json_is_the_document_json_would_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES)
    result = check(CheckOptions(paths=(Path("."),)))
    text = JsonReporter(ReportOptions()).render(result)
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert len(document["findings"]) == len(result.findings)
    assert len(document["messages"]) == len(result.messages) > 0


def test_empty_lists_stay_empty_lists() -> None:
    document = json.loads(JsonReporter(ReportOptions()).render(RunResult()))
    assert document["findings"] == [] and document["messages"] == [] and document["errors"] == []


class Failing(JsonReporter):
    def write(self, result: RunResult, stream: object) -> None:
        stream.write('{"version": 1, "findi')  # type: ignore[attr-defined]
        raise RuntimeError("disk full")


def test_a_failed_write_keeps_the_previous_report_and_leaves_no_partial(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.json"
    _write_file(JsonReporter(ReportOptions()), RunResult(), report)
    before = report.read_text()
    with pytest.raises(RuntimeError):
        _write_file(Failing(ReportOptions()), RunResult(), report)
    assert report.read_text() == before
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_written_in_place(tmp_path: Path) -> None:
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()))
    reader.start()
    _write_file(JsonReporter(ReportOptions()), RunResult(), pipe)
    reader.join(timeout=10)
    assert json.loads(received[0])["version"] == 1
    assert pipe.exists() and not pipe.is_file()


class _Writes(JsonReporter):
    """Writes `text`, calling `during` halfway (with the stream) to act mid-write."""

    def __init__(self, text: str, during: Callable[[TextIO], None] = lambda stream: None) -> None:
        super().__init__(ReportOptions())
        self.text, self.during = text, during

    def write(self, result: RunResult, stream: TextIO) -> None:
        stream.write(self.text[:5])
        self.during(stream)
        stream.write(self.text[5:])


def test_two_runs_writing_one_report_each_write_their_own_temporary_file(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.json"
    masked, unmasked = "masked report: j***@e***.org\n", "show-pii report: jane@example.org\n"

    def other_run(stream: TextIO) -> None:
        _write_file(_Writes(unmasked), RunResult(), report)

    _write_file(_Writes(masked, during=other_run), RunResult(), report)
    assert report.read_text() == masked  # the last run to finish wins, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_the_temporary_file_is_private_and_the_report_gets_the_usual_mode(
    tmp_path: Path,
) -> None:
    modes: list[int] = []

    def note_mode(stream: TextIO) -> None:
        modes.append(stat.S_IMODE(os.fstat(stream.fileno()).st_mode))

    previous = os.umask(0o022)
    try:
        _write_file(_Writes("report text", during=note_mode), RunResult(), tmp_path / "r.json")
    finally:
        os.umask(previous)
    assert modes == [0o600]
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644


def test_a_full_disk_is_a_clear_error_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    report = tmp_path / "report.json"

    def disk_full(stream: TextIO) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(UserError) as caught:
        _write_file(_Writes("report text", during=disk_full), RunResult(), report)
    assert str(caught.value) == f"{report}: cannot write the report: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from creepcheck.cli import main

    def disk_full(self: JsonReporter, result: RunResult, stream: TextIO) -> None:
        stream.write("{")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(JsonReporter, "write", disk_full)
    monkeypatch.chdir(SAMPLES)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["check", ".", "--format", "json", "--output", str(out), "--no-progress"]
    )
    assert result.exit_code == 2
    assert f"{out}: cannot write the report: No space left on device" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
