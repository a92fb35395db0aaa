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


NIGHT_TEXTS = """\
- id: p1
  first_name: Ana
  timezone: Central
  last_verified: 03/11/2019
  contact_points: {sms: [{value: "+1 212 555 0101", source: customer}]}
  consents: {sms: {status: granted, purposes: [marketing]}}
- id: p2
  first_name: Ben
  timezone: America/Chicagoo
  contact_points: {sms: [{value: "+1 212 555 0102", source: customer}]}
  consents: {sms: {status: granted, purposes: [marketing]}}
- id: p3
  first_name: Cy
  contact_points: {sms: [{value: "+1 212 555 0103", source: customer}]}
  consents: {sms: {status: granted, purposes: [marketing]}}
- id: p4
  first_name: Di
  timezone: America/Chicago
  last_verified: 2025-11-01
  contact_points: {sms: [{value: "+1 212 555 0104", source: customer}]}
  consents: {sms: {status: granted, purposes: [marketing]}}
"""


@pytest.fixture
def night_texts(tmp_path: Path) -> Path:
    """A text sent at 22:00 in Chicago, to profiles whose zone or date cannot be read."""
    (tmp_path / "campaign.yaml").write_text(
        "id: night\nsend_at: 2026-03-03T04:00:00Z\nprofiles: profiles.yaml\nmessages:\n"
        "  - {channel: sms, body: 'Hi {{ first_name }}. Reply STOP to opt out'}\n"
    )
    (tmp_path / "profiles.yaml").write_text(NIGHT_TEXTS)
    return tmp_path


def test_checks_unreadable_values_kept_from_running_are_counted(
    runner: CliRunner, night_texts: Path
) -> None:
    result = run(runner, "check", ".", "--no-progress", "--fail-on", "error", cwd=night_texts)
    assert result.exit_code == 0, result.output
    assert (
        "4 checks not run: quiet-hours for 1 profile (no time zone), quiet-hours for 2 "
        "profiles (unknown time zone), stale-record for 1 profile (unreadable date)"
    ) in result.output
    assert 'profiles.yaml:7: profile p2: timezone: unknown time zone "America/Chicagoo" ' in (
        result.output
    )
    assert 'did you mean "America/Chicago"?' in result.output
    assert 'did you mean "US/Central"?' in result.output
    assert 'last_verified: unreadable date "03/11/2019": expected an ISO 8601 date' in (
        result.output
    )
    assert "quiet-hours not checked for 1 profile of profiles.yaml without a timezone" in (
        result.output
    )
    assert "CC105" in result.output  # the one readable zone is still judged


def test_json_summary_lists_the_checks_not_run(runner: CliRunner, night_texts: Path) -> None:
    result = run(runner, "check", ".", "--no-progress", "--format", "json", cwd=night_texts)
    document = json.loads(result.stdout)
    assert document["summary"]["skipped"] == [
        {"check": "quiet-hours", "reason": "no time zone", "profiles": 1},
        {"check": "quiet-hours", "reason": "unknown time zone", "profiles": 2},
        {"check": "stale-record", "reason": "unreadable date", "profiles": 1},
    ]
    skipped = [e["message"] for e in document["errors"] if "not checked" in e["message"]]
    assert len(skipped) == 4


def test_a_disabled_rule_is_not_counted_as_skipped(runner: CliRunner, night_texts: Path) -> None:
    result = run(
        runner,
        "check",
        ".",
        "--no-progress",
        "--select",
        "CC402",
        "--format",
        "json",
        cwd=night_texts,
    )
    document = json.loads(result.stdout)
    assert document["summary"]["skipped"] == [
        {"check": "stale-record", "reason": "unreadable date", "profiles": 1}
    ]


def test_strict_inputs_turns_input_warnings_into_exit_2(
    runner: CliRunner, night_texts: Path
) -> None:
    args = ("check", ".", "--no-progress", "--fail-on", "never")
    assert run(runner, *args, cwd=night_texts).exit_code == 0
    result = run(runner, *args, "--strict-inputs", cwd=night_texts)
    assert result.exit_code == 2, result.output
    assert "4 input problems and strict inputs (--strict-inputs or strict_inputs: true)" in (
        result.output
    )
    (night_texts / "creepcheck.yaml").write_text("strict_inputs: true\n")
    assert run(runner, *args, cwd=night_texts).exit_code == 2


def test_strict_inputs_without_input_problems_changes_nothing(
    runner: CliRunner, retail: Path
) -> None:
    result = run(runner, "check", ".", "--no-progress", "--strict-inputs", cwd=retail)
    assert result.exit_code == 1, result.output


def test_a_missing_template_is_reported_at_its_line_with_a_close_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "campaign.yaml").write_text(
        "id: c\nsend_at: 2026-03-02T15:00:00Z\nprofiles: profiles.yaml\nmessages:\n"
        "  - channel: sms\n    subject: x\n    template: sms.txt\n"
    )
    (tmp_path / "sms.txt.j2").write_text("Hi. Reply STOP to opt out\n")
    (tmp_path / "profiles.yaml").write_text(NIGHT_TEXTS)
    result = run(runner, "check", ".", "--no-progress", "--format", "json", cwd=tmp_path)
    (error,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CC901"]
    assert (error["file"], error["line"]) == ("campaign.yaml", 7)
    assert error["message"] == "template file 'sms.txt' not found (did you mean \"sms.txt.j2\"?)"


@pytest.mark.parametrize(
    ("output_format", "expected"),
    [
        ("github", "; 4 checks not run: quiet-hours for 1 profile (no time zone), "),
        ("markdown", "| Checks not run | quiet-hours for 1 profile (no time zone), "),
        ("html", "<tr><th>Checks not run</th><td>quiet-hours for 1 profile (no time zone), "),
    ],
)
def test_every_summary_says_which_checks_did_not_run(
    runner: CliRunner, night_texts: Path, output_format: str, expected: str
) -> None:
    result = run(runner, "check", ".", "--no-progress", "--format", output_format, cwd=night_texts)
    assert expected in result.stdout
    assert "stale-record for 1 profile (unreadable date)" in result.stdout


def test_checks_not_run_are_counted_on_workers_too(runner: CliRunner, night_texts: Path) -> None:
    import yaml

    profiles = yaml.safe_load(NIGHT_TEXTS)
    (night_texts / "profiles.jsonl").write_text(
        "".join(json.dumps(p, default=str) + "\n" for p in profiles)
    )
    campaign = night_texts / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("profiles.yaml", "profiles.jsonl"))
    args = ("check", ".", "--no-progress", "--format", "json", "--jobs", "2")
    document = json.loads(run(runner, *args, cwd=night_texts).stdout)
    assert sum(s["profiles"] for s in document["summary"]["skipped"]) == 4
