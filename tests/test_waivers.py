"""Waivers in campaign files: what they cover, their scope, and expiry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import creepcheck
from creepcheck.cli import main
from tests.paths import CONFORMANCE_CASES as CASES

RULES = "--select=unconsented-channel,suppressed-recipient"
WAIVER_LINE = 18  # the campaign file has 16 lines; `waivers:` is line 17


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CASES / "mix-pharmacy-wellness", target)
    (target / ".git").mkdir()
    monkeypatch.chdir(target)
    return target


def waive(case: Path, rule: str, *, expires: str = "2099-12-31", extra: str = "") -> None:
    campaign = case / "campaign.yaml"
    text = campaign.read_text()
    assert text.count("\n") == WAIVER_LINE - 2
    campaign.write_text(
        f"{text}waivers:\n"
        f"  - rule: {rule}\n"
        "    reason: Asked us to confirm the withdrawal by email\n"
        "    approved_by: dpo@bluebell.example\n"
        f"    expires: {expires}\n{extra}"
    )


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--no-progress", RULES, *args])


def report(*args: str) -> dict[str, Any]:
    result = run("--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def by_rule(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in document["findings"] if f["rule"] == rule]


@pytest.mark.parametrize("rule", ["unconsented-channel", "CC101", "cc101"])
def test_waiver_matches_by_slug_or_code(case: Path, rule: str) -> None:
    waive(case, rule)
    document = report()
    [finding] = by_rule(document, "unconsented-channel")
    assert finding["waiver"] == {
        "reason": "Asked us to confirm the withdrawal by email",
        "approved_by": "dpo@bluebell.example",
        "expires": "2099-12-31",
    }
    assert document["summary"]["findings"] == 1  # the suppressed-recipient error only
    assert document["summary"]["waived"] == 1


def test_waived_finding_is_shown_but_does_not_fail(case: Path) -> None:
    waive(case, "unconsented-channel")
    result = CliRunner().invoke(main, ["check", "--no-progress", "--select=CC101"])
    assert result.exit_code == 0, result.output
    assert (
        "campaign.yaml:9: CC101 [error] email consent is withdrawn, so this marketing email "
        "may not be sent (unconsented-channel)  waived: Asked us to confirm the withdrawal "
        "by email\n"
    ) in result.stdout


@pytest.mark.parametrize(
    ("scope", "waived"),
    [
        ("    profiles: [rx-email-withdrawn]\n", True),
        ("    profiles: [rx-clean]\n", False),
        ("    channels: [email]\n", True),
        ("    channels: [sms, push]\n", False),
        ("    profiles: [rx-email-withdrawn]\n    channels: [sms]\n", False),
    ],
)
def test_waiver_scope(case: Path, scope: str, waived: bool) -> None:
    waive(case, "unconsented-channel", extra=scope)
    [finding] = by_rule(report(), "unconsented-channel")
    assert ("waiver" in finding) is waived


def test_channel_scoped_waiver_does_not_cover_profile_findings(case: Path) -> None:
    # suppressed-recipient is about the person, not a channel: channel null.
    waive(case, "suppressed-recipient", extra="    channels: [email]\n")
    [finding] = by_rule(report(), "suppressed-recipient")
    assert finding["channel"] is None and "waiver" not in finding
    waive_all = (case / "campaign.yaml").read_text().replace("    channels: [email]\n", "")
    (case / "campaign.yaml").write_text(waive_all)
    [finding] = by_rule(report(), "suppressed-recipient")
    assert "waiver" in finding


def test_expired_waiver_stops_applying_and_is_reported(case: Path) -> None:
    waive(case, "unconsented-channel", expires="2020-01-31")
    document = report()
    [finding, expired] = sorted(by_rule(document, "unconsented-channel"), key=lambda f: f["line"])
    assert "waiver" not in finding and finding["severity"] == "error"
    assert {
        key: expired[key]
        for key in ("code", "severity", "channel", "profile", "file", "line", "message", "evidence")
    } == {
        "code": "CC101",
        "severity": "warning",
        "channel": None,
        "profile": None,
        "file": "campaign.yaml",
        "line": WAIVER_LINE,
        "message": "waiver for unconsented-channel expired on 2020-01-31; the findings it "
        "covered count again",
        "evidence": "reason: Asked us to confirm the withdrawal by email; approved by "
        "dpo@bluebell.example",
    }
    text = run("--select=CC101")
    assert text.exit_code == 1
    assert (
        "campaign.yaml:18: CC101 [warning] waiver for unconsented-channel expired on "
        "2020-01-31; the findings it covered count again (unconsented-channel)\n"
    ) in text.stdout


def test_waiver_expiring_before_the_send_date_is_expired(case: Path) -> None:
    campaign = case / "campaign.yaml"
    campaign.write_text(
        campaign.read_text().replace("2026-05-12T16:00:00Z", "2099-06-01T16:00:00Z")
    )
    waive(case, "unconsented-channel", expires="2099-05-31")
    [finding, expired] = sorted(by_rule(report(), "unconsented-channel"), key=lambda f: f["line"])
    assert "waiver" not in finding
    assert expired["message"].startswith("waiver for unconsented-channel expired on 2099-05-31")


def test_run_result_lists_waivers_with_status(case: Path) -> None:
    waive(
        case,
        "unconsented-channel",
        expires="2020-01-31",
        extra="  - rule: suppressed-recipient\n    reason: Test record\n"
        "    approved_by: dpo@bluebell.example\n",
    )
    result = creepcheck.check(["."], select=["CC101", "CC403"])
    entries = [
        (campaign, waiver.rule, entry.status, entry.applied)
        for entry in result.waivers
        for campaign, waiver in [entry]
    ]
    assert entries == [
        ("wellness-week-2026", "unconsented-channel", "expired", 0),
        ("wellness-week-2026", "suppressed-recipient", "active", 1),
    ]


def test_unknown_waiver_rule_exits_2(case: Path) -> None:
    waive(case, "purchse-recall")
    result = run()
    assert result.exit_code == 2
    assert result.stderr == (
        'error: campaign.yaml:18: waivers: unknown rule "purchse-recall" '
        '(did you mean "purchase-recall"?); see `creepcheck rules`\n'
    )
