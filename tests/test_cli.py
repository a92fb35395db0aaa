"""The command line as a user meets it: exit codes, formats, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from creepcheck.cli import main
from tests.paths import SAMPLE_CAMPAIGNS as SAMPLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def retail(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(SAMPLES / "spring-sale", target / "spring-sale")
    (target / "creepcheck.yaml").write_text("policy: builtin:default\n")
    return target


def run(runner: CliRunner, *args: str, cwd: Path | None = None):
    if cwd is None:
        return runner.invoke(main, list(args))
    with runner.isolated_filesystem(temp_dir=cwd):
        pass
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.output.startswith("creepcheck, version ")


def test_samples_exit_1_with_findings(runner: CliRunner) -> None:
    result = run(runner, "check", str(SAMPLES), "--no-progress")
    assert result.exit_code == 1, result.output
    assert "CC401" in result.output and "deceased-recipient" in result.output
    assert "Findings by rule" in result.output


def test_json_format_follows_the_schema(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--format", "json", "--no-progress", cwd=retail)
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["version"] == 1
    assert set(data["summary"]) >= {"campaigns", "messages", "findings", "by_severity"}
    assert data["summary"]["campaigns"] == 1
    keys = {
        "rule",
        "code",
        "severity",
        "campaign",
        "channel",
        "profile",
        "file",
        "line",
        "column",
        "message",
        "evidence",
        "fix",
        "fields",
        "fingerprint",
    }
    assert data["findings"] and all(keys <= set(f) for f in data["findings"])
    assert all(
        set(m) == {"campaign", "channel", "profile", "specificity"} for m in data["messages"]
    )
    deceased = [f for f in data["findings"] if f["code"] == "CC401"]
    assert deceased[0]["profile"] == "ns-date-of-death" and deceased[0]["channel"] is None
    assert deceased[0]["file"] == "spring-sale/campaign.yaml"


def test_no_messages_drops_the_message_list(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--format", "json", "--no-messages", cwd=retail)
    assert "messages" not in json.loads(result.output)


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 1), ("info", 1)])
def test_fail_on_sets_the_exit_code(
    runner: CliRunner, retail: Path, fail_on: str, code: int
) -> None:
    result = run(runner, "check", ".", "--fail-on", fail_on, cwd=retail)
    assert result.exit_code == code, result.output


def test_select_limits_rules(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--format", "json", "--select", "CC401", cwd=retail)
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert codes == {"CC401"}


def test_ignore_drops_rules(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--format", "json", "--ignore", "CC4,CC106", cwd=retail)
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert codes and not any(c.startswith("CC4") or c == "CC106" for c in codes)


def test_only_warnings_below_fail_on_error_exit_0(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--select", "quiet-hours", cwd=retail)
    assert result.exit_code == 0, result.output
    assert "CC105" in result.output


def test_unknown_rule_in_select_exits_2(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", "--select", "purchase-recal", cwd=retail)
    assert result.exit_code == 2
    assert 'unknown rule "purchase-recal" (did you mean "purchase-recall"?)' in result.output


def test_bad_policy_exits_2_naming_the_file(runner: CliRunner, retail: Path) -> None:
    (retail / "policy.yaml").write_text(
        "extends: [builtin:default]\nrules:\n  purchase-recal: {max_items: 1}\n"
        "  channel-blast: {max_channels: two}\n"
    )
    (retail / "creepcheck.yaml").write_text("policy: policy.yaml\n")
    result = run(runner, "check", ".", cwd=retail)
    assert result.exit_code == 2
    assert "policy.yaml:3" in result.output and "purchase-recal" in result.output
    assert "policy.yaml:4" in result.output and "max_channels" in result.output
    assert "Traceback" not in result.output


def test_missing_path_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_folder_without_campaigns_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "check", str(tmp_path))
    assert result.exit_code == 2
    assert "no campaigns found" in result.output


def test_output_file_is_written(runner: CliRunner, retail: Path) -> None:
    result = run(
        runner, "check", ".", "--format", "json", "--output", "out/report.json", cwd=retail
    )
    assert result.exit_code == 1
    assert json.loads((retail / "out" / "report.json").read_text())["findings"]


def test_rules_lists_every_code(runner: CliRunner) -> None:
    result = run(runner, "rules")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 18
    assert result.output.splitlines()[0].startswith("CC101  unconsented-channel")


def test_explain_prints_the_rule_page(runner: CliRunner) -> None:
    result = run(runner, "explain", "CC403")
    assert result.exit_code == 0
    assert "suppressed-recipient" in result.output and "Bad:" in result.output
    assert "min_age: 16" in result.output


def test_explain_unknown_rule(runner: CliRunner) -> None:
    result = run(runner, "explain", "quiet-hour")
    assert result.exit_code == 2
    assert 'unknown rule "quiet-hour" (did you mean "quiet-hours"?)' in result.output


def test_text_output_has_no_colour_when_not_a_terminal(runner: CliRunner, retail: Path) -> None:
    result = run(runner, "check", ".", cwd=retail)
    assert "\x1b[" not in result.output


def test_pii_is_masked_unless_asked(runner: CliRunner, retail: Path) -> None:
    masked = run(runner, "check", ".", "--format", "json", cwd=retail).output
    assert "laura.bianchi@example.org" not in masked and "l***@e***.org" in masked
    shown = run(runner, "check", ".", "--format", "json", "--show-pii", cwd=retail).output
    assert "laura.bianchi@example.org" in shown
