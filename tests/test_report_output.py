"""Reports are streamed to their file and land whole, or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from creepcheck.commands.check import _write_file
from creepcheck.engine import CheckOptions, check
from creepcheck.models import RunResult
from creepcheck.reporters.base import ReportOptions
from creepcheck.reporters.json import JsonReporter
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
