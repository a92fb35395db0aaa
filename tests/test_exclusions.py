"""`check --exclusions FILE.csv`: the suppression list a marketer uploads after a check.

The expectation is worked out here from the sample profiles themselves (who is
deceased, suppressed, under age or without consent for a channel), not from ids
written into the test, so that a new sample profile is checked as well.
"""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import creepcheck
from creepcheck.cli import main
from creepcheck.findings.exclusions import COLUMNS, exclusions, write_exclusions_csv
from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, Severity
from creepcheck.rules.registry import RULES
from tests.paths import SAMPLE_CAMPAIGNS

MIN_AGE = 16  # builtin:default, which the sample campaigns use
GIVEN = ("granted", "implied")


def _campaigns() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    found = []
    for folder in sorted(p for p in SAMPLE_CAMPAIGNS.iterdir() if p.is_dir()):
        campaign = yaml.safe_load((folder / "campaign.yaml").read_text(encoding="utf-8"))
        profiles = yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))
        found.append((campaign, profiles))
    return found


def _age(profile: dict[str, Any], on: date) -> int | None:
    birth = (profile.get("attributes") or {}).get("birth_date")
    birth = birth.get("value") if isinstance(birth, dict) else birth
    if not isinstance(birth, date):
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _must_drop(campaign: dict[str, Any], profile: dict[str, Any]) -> dict[str, str]:
    """channel -> why, for the people the profile data says must not be sent to."""
    channels = [m["channel"] for m in campaign["messages"]]
    send = campaign["send_at"].date()
    age = _age(profile, send)
    everywhere = (
        profile.get("status") in ("deceased", "suppressed", "closed")
        or profile.get("date_of_death") is not None
        or profile.get("do_not_contact") is True
        or profile.get("erasure_requested") is True
        or (age is not None and age < MIN_AGE and campaign["purpose"] == "marketing")
    )
    if everywhere:
        return {channel: "deceased or suppressed" for channel in channels}
    drop = {}
    for channel in channels:
        listed = (profile.get("contact_points") or {}).get(channel)
        consent = (profile.get("consents") or {}).get(channel) or {}
        if listed and channel in ("email", "sms", "phone", "whatsapp"):
            purposes = consent.get("purposes")
            if consent.get("status") not in GIVEN or (
                purposes is not None and campaign["purpose"] not in purposes
            ):
                drop[channel] = "unconsented"
    return drop


@pytest.fixture(scope="module")
def sample_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("exclusions") / "drop.csv"
    previous = Path.cwd()
    os.chdir(SAMPLE_CAMPAIGNS)
    try:
        result = CliRunner().invoke(
            main, ["check", ".", "--no-progress", "--quiet", "--exclusions", str(out)]
        )
    finally:
        os.chdir(previous)
    assert result.exit_code == 1, result.output
    with out.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def test_every_deceased_suppressed_and_unconsented_person_is_listed_with_the_channel(
    sample_rows: list[dict[str, str]],
) -> None:
    listed = {(r["campaign"], r["channel"], r["profile_id"]) for r in sample_rows}
    expected = {
        (campaign["id"], channel, str(profile["id"]))
        for campaign, profiles in _campaigns()
        for profile in profiles
        for channel in _must_drop(campaign, profile)
    }
    kinds = {
        why
        for campaign, profiles in _campaigns()
        for profile in profiles
        for why in _must_drop(campaign, profile).values()
    }
    assert kinds == {"deceased or suppressed", "unconsented"}  # the samples have both
    assert expected and expected <= listed, sorted(expected - listed)


def test_rows_are_unique_and_name_only_drop_rules(sample_rows: list[dict[str, str]]) -> None:
    keys = [(r["campaign"], r["channel"], r["profile_id"]) for r in sample_rows]
    assert len(keys) == len(set(keys)) and keys
    dropping = {rule.code for rule in RULES if rule.drops_recipient}
    assert {"CC101", "CC401", "CC403"} <= dropping
    assert not dropping & {"CC201", "CC204", "CC301", "CC302"}  # copy: fix it, keep them
    for row in sample_rows:
        codes = row["rules"].split()
        assert codes and set(codes) <= dropping, row
        assert len(row["reasons"].split("; ")) == len(codes)


def test_no_personal_data_reaches_the_file(sample_rows: list[dict[str, str]]) -> None:
    text = "\n".join(",".join(row.values()) for row in sample_rows)
    for _, profiles in _campaigns():
        for profile in profiles:
            for key in ("first_name", "last_name"):
                if profile.get(key):
                    assert str(profile[key]) not in text
            for points in (profile.get("contact_points") or {}).values():
                for point in points:
                    assert str(point["value"]) not in text


def _finding(code: str, **fields: Any) -> Finding:
    rule = next(r for r in RULES if r.code == code)
    base: dict[str, Any] = {"campaign": "c", "channel": "sms", "profile": "p1"}
    return Finding(rule.name, code, Severity.ERROR, "m", **(base | fields))


def test_copy_findings_waived_ones_and_template_findings_drop_nobody() -> None:
    from creepcheck.models import Waiver

    waiver = Waiver("unconsented-channel", "asked for it", "dpo@example.com")
    result = RunResult(
        findings=[
            _finding("CC102", spans=((0, 5),)),  # the copy names a contact point: fix it
            _finding("CC201", channel="email"),
            _finding("CC101", waiver=waiver),
            _finding("CC101", profile=None),
            _finding("CC401", channel=None, profile="p2"),
            _finding("CC101", channel="sms", profile="p2"),
        ],
        channels={"c": ("email", "sms")},
    )
    rows = [entry.row() for entry in exclusions(result)]
    assert rows == [
        ["c", "email", "p2", "CC401", "The profile is deceased"],
        [
            "c",
            "sms",
            "p2",
            "CC101 CC401",
            "The channel's consent does not cover the campaign's purpose; "
            "The profile is deceased",
        ],
    ]


def test_the_file_is_written_whole_and_a_failure_names_it(tmp_path: Path) -> None:
    from creepcheck.errors import UserError
    from creepcheck.findings.exclusions import write_exclusions

    result = RunResult(findings=[_finding("CC101")], channels={"c": ("sms",)})
    target = tmp_path / "drop.csv"
    assert write_exclusions(result, target) == 1
    assert target.read_text(encoding="utf-8") == (
        "campaign,channel,profile_id,rules,reasons\n"
        "c,sms,p1,CC101,The channel's consent does not cover the campaign's purpose\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["drop.csv"]  # no temporary file left
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(UserError) as raised:
        write_exclusions(result, blocked / "drop.csv")
    assert "cannot write the exclusion list" in str(raised.value)


def test_the_python_api_run_gives_the_same_list_as_the_cli(
    sample_rows: list[dict[str, str]],
) -> None:
    previous = Path.cwd()
    os.chdir(SAMPLE_CAMPAIGNS)
    try:
        result = creepcheck.check(["."])
    finally:
        os.chdir(previous)
    import io

    stream = io.StringIO()
    write_exclusions_csv(exclusions(result), stream)
    assert list(csv.DictReader(io.StringIO(stream.getvalue()))) == sample_rows


def test_a_baseline_hides_findings_but_not_the_people_to_drop(tmp_path: Path) -> None:
    campaign = SAMPLE_CAMPAIGNS / "spring-sale"
    baseline, plain, behind = tmp_path / "base.json", tmp_path / "a.csv", tmp_path / "b.csv"
    previous = Path.cwd()
    os.chdir(campaign)
    try:
        runner = CliRunner()
        args = ["check", ".", "--no-progress", "--quiet"]
        runner.invoke(main, [*args, "--write-baseline", str(baseline), "--exclusions", str(plain)])
        result = runner.invoke(main, [*args, "--baseline", str(baseline), "--exclusions", str(behind)])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output  # every finding is in the baseline
    assert "CC401" not in result.output
    assert behind.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")
    assert "CC401" in behind.read_text(encoding="utf-8")
