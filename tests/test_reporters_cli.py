"""`creepcheck check --format F` for the CI and report formats: output and exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from creepcheck.cli import main
from tests.paths import CONFORMANCE_CASES

CASE = CONFORMANCE_CASES / "mix-retail-spring-sale"


def _check(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(CASE)
    result = CliRunner().invoke(main, ["check", ".", "--no-progress", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("sarif", '"version": "2.1.0"'),
        ("junit", "<testsuites"),
        ("github", "::error file=campaign.yaml"),
        ("markdown", "# creepcheck compliance report"),
        ("html", "<!DOCTYPE html>"),
    ],
)
def test_each_format_prints_and_fails_on_errors(
    monkeypatch: pytest.MonkeyPatch, fmt: str, marker: str
) -> None:
    code, output = _check(monkeypatch, "--format", fmt)
    assert code == 1
    assert marker in output


def test_fail_on_never_passes_and_junit_has_no_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _check(monkeypatch, "--format", "junit", "--fail-on", "never")
    assert code == 0
    assert ET.fromstring(output).get("failures") == "0"


def test_output_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.sarif"
    code, _ = _check(monkeypatch, "--format", "sarif", "--output", str(target))
    assert code == 1
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["runs"][0]["results"]
