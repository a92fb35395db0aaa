"""Baselines: write, apply, and fingerprints that survive moved lines and reordered profiles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from creepcheck.cli import main
from tests.paths import CONFORMANCE_CASES as CASES

# Rules whose findings in the pharmacy case are settled; other rules may grow findings.
RULES = "--select=unconsented-channel,suppressed-recipient,missing-data,missing-opt-out"


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CASES / "mix-pharmacy-wellness", target)
    (target / ".git").mkdir()  # stop the config search here
    monkeypatch.chdir(target)
    return target


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--no-progress", *args])


def findings(*args: str) -> list[dict[str, Any]]:
    result = run("--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def fingerprints(*args: str) -> set[str]:
    return {f["fingerprint"] for f in findings(*args)}


def test_round_trip(case: Path) -> None:
    written = run(RULES, "--write-baseline", "base.json")
    assert written.exit_code == 0, written.output
    assert written.stderr == "creepcheck: wrote baseline to base.json (2 findings)\n"
    assert written.stdout.endswith("0 findings in 1 campaign, 15 messages, 5 profiles checked\n")

    clean = run(RULES, "--baseline", "base.json", "--format", "json", "--fail-on", "info")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout)["findings"] == []
    assert clean.stderr == "creepcheck: 2 findings in baseline base.json not shown\n"

    sms = case / "sms.txt.j2"
    sms.write_text(sms.read_text() + "\nYour code: {{ promo_code }}\n")
    new = run(RULES, "--baseline", "base.json", "--format", "json", "--fail-on", "warning")
    assert new.exit_code == 1
    reported = json.loads(new.stdout)["findings"]
    assert {(f["rule"], f["file"], f["line"]) for f in reported} == {
        ("missing-data", "sms.txt.j2", 3)
    }
    # One per profile, and one for the template: no profile has promo_code.
    assert sorted(str(f["profile"]) for f in reported) == sorted(
        ["None", "rx-clean", "rx-high-pregnancy-score", "rx-glucose-strips",
         "rx-email-withdrawn", "rx-erasure-requested"]
    )


def test_baseline_file_is_sorted_and_free_of_personal_data(case: Path) -> None:
    assert run(RULES, "--write-baseline", "out/base.json").exit_code == 0
    text = (case / "out" / "base.json").read_text()
    document = json.loads(text)
    assert document["version"] == 1
    entries = document["findings"]
    assert [list(e) for e in entries] == [
        ["fingerprint", "rule", "campaign", "channel", "profile", "file"]
    ] * len(entries)
    assert [(e["rule"], e["profile"], e["channel"], e["file"]) for e in entries] == [
        ("suppressed-recipient", "rx-erasure-requested", None, "campaign.yaml"),
        ("unconsented-channel", "rx-email-withdrawn", "email", "campaign.yaml"),
    ]
    profiles = yaml.safe_load((case / "profiles.yaml").read_text())
    for profile in profiles:
        assert profile["first_name"] not in text
        assert profile["contact_points"]["email"][0]["value"] not in text


def test_write_baseline_then_plain_check_uses_config_baseline(case: Path) -> None:
    (case / "creepcheck.yaml").write_text("baseline: .creepcheck-baseline.json\n")
    written = run(RULES, "--write-baseline", ".creepcheck-baseline.json")
    assert written.exit_code == 0, written.output
    checked = run(RULES)
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == (
        "creepcheck: 2 findings in baseline .creepcheck-baseline.json not shown\n"
    )


def test_fixed_findings_are_noted(case: Path) -> None:
    assert run(RULES, "--write-baseline", "base.json").exit_code == 0
    campaign = case / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("purpose: marketing", "purpose: service"))
    result = run(RULES, "--baseline", "base.json")
    assert result.stderr == (
        "creepcheck: 1 finding in baseline base.json not shown\n"
        "creepcheck: 1 baseline entry no longer found; refresh it with "
        "--write-baseline base.json\n"
    )


def test_moving_a_template_line_keeps_fingerprints(case: Path) -> None:
    sms = case / "sms.txt.j2"
    original = sms.read_text().rstrip("\n")
    sms.write_text(f"Your code: {{{{ promo_code }}}}\n{original}\n")
    before = findings(RULES)
    sms.write_text(f"\n\n{original}\n\n\nYour code: {{{{ promo_code }}}}\n")
    after = findings(RULES)
    assert {f["line"] for f in before if f["rule"] == "missing-data"} == {1}
    assert {f["line"] for f in after if f["rule"] == "missing-data"} == {6}
    assert {f["fingerprint"] for f in after} == {f["fingerprint"] for f in before}
    assert len(before) == 8  # 5 profiles x promo_code, 1 for the template, 2 from before


def test_reordering_profiles_keeps_fingerprints(case: Path) -> None:
    # Without STOP the SMS fires missing-opt-out once per message, with the evidence of
    # whichever profile came first: that must not change its fingerprint.
    sms = case / "sms.txt.j2"
    sms.write_text(sms.read_text().replace(" Reply STOP to opt out", ""))
    before = findings(RULES)
    profiles = case / "profiles.yaml"
    records = yaml.safe_load(profiles.read_text())
    profiles.write_text(yaml.safe_dump(list(reversed(records)), sort_keys=False))
    after = findings(RULES)
    assert "missing-opt-out" in {f["rule"] for f in before}
    assert [f["evidence"] for f in after if f["rule"] == "missing-opt-out"] != [
        f["evidence"] for f in before if f["rule"] == "missing-opt-out"
    ]
    assert {f["fingerprint"] for f in after} == {f["fingerprint"] for f in before}


def test_show_pii_keeps_fingerprints(case: Path) -> None:
    sms = case / "sms.txt.j2"
    sms.write_text("Hi {{ first_name }}, your code is {{ promo_code }}. Reply STOP to opt out\n")
    masked = findings(RULES)
    shown = findings(RULES, "--show-pii")
    assert {f["evidence"] for f in masked} != {f["evidence"] for f in shown}
    assert {f["fingerprint"] for f in shown} == {f["fingerprint"] for f in masked}


def test_fingerprints_do_not_depend_on_the_working_folder(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = fingerprints(RULES)
    monkeypatch.chdir(case.parent)
    assert fingerprints(RULES, "repo") == here


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "base.json:1: not valid JSON: Expecting property name enclosed in double quotes"),
        (
            "[]",
            'base.json: not a creepcheck baseline: expected {"version": 1, "findings": [...]} '
            "as written by --write-baseline",
        ),
        (
            '{"version": 2, "findings": []}',
            "base.json: unsupported baseline version 2 (this creepcheck reads version 1)",
        ),
        (
            '{"version": 1, "findings": [{"rule": "x"}]}',
            'base.json: findings[0]: expected an object with a "fingerprint" string, '
            'got {"rule": "x"}',
        ),
    ],
)
def test_bad_baseline_file_exits_2(case: Path, content: str, message: str) -> None:
    (case / "base.json").write_text(content)
    result = run("--baseline", "base.json")
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


def test_missing_baseline_file_exits_2(case: Path) -> None:
    result = run("--baseline", "nope.json")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: nope.json: baseline file not found (create it with --write-baseline)\n"
    )


def test_bad_config_baseline_names_the_file(case: Path) -> None:
    (case / "creepcheck.yaml").write_text("baseline: baselines/known.json\n")
    result = run()
    assert result.exit_code == 2
    assert result.stderr == (
        "error: baselines/known.json: baseline file not found (create it with --write-baseline)\n"
    )
