"""The built-in overlays judged on profiles either side of each legal line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from creepcheck.models import Severity
from creepcheck.run import CheckOptions, check

SEND_AT = "2026-05-12T16:00:00Z"  # 12:00 in New York


def person(pid: str, channel: str = "email", status: str = "granted", **extra: Any) -> dict:
    point = {"value": f"{pid}@example.org" if channel == "email" else "+1 212 555 0142",
             "source": "customer", "status": "valid"}
    key = "sms" if channel in {"sms", "phone", "whatsapp"} else channel
    return {"id": pid, "first_name": "Ana", "timezone": "America/New_York",
            "last_verified": "2026-01-01", "contact_points": {key: [point]},
            "consents": {channel: {"status": status, **extra.pop("consent", {})}}, **extra}


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: str, profiles: list[dict],
        channel: str = "email", body: str = "Hi. Unsubscribe: https://x.example.com/unsubscribe",
        send_at: str = SEND_AT) -> set[tuple[str, str | None]]:
    campaign = {"id": "c", "purpose": "marketing", "send_at": send_at,
                "profiles": "profiles.yaml", "messages": [{"channel": channel, "body": body}]}
    (tmp_path / "campaign.yaml").write_text(yaml.safe_dump(campaign))
    (tmp_path / "profiles.yaml").write_text(yaml.safe_dump(profiles))
    monkeypatch.chdir(tmp_path)
    result = check(CheckOptions(paths=(Path("."),), policy=policy))
    return {(f.code, f.profile) for f in result.findings if f.code != "CC106"}


def test_gdpr_needs_granted_consent_on_every_marketing_channel(tmp_path, monkeypatch) -> None:
    found = run(tmp_path, monkeypatch, "builtin:gdpr", [
        person("granted"), person("implied", status="implied"), person("none", status="none")])
    assert {p for c, p in found if c == "CC101"} == {"implied", "none"}


@pytest.mark.parametrize(("policy", "birth", "fires"), [
    ("builtin:gdpr", "2010-05-13", True),    # 15, sixteen tomorrow
    ("builtin:gdpr", "2010-05-12", False),   # sixteenth birthday on the send date
    ("builtin:us", "2013-05-13", True),      # 12
    ("builtin:us", "2013-05-12", False),     # thirteenth birthday
])
def test_minimum_age_on_the_birthday(tmp_path, monkeypatch, policy, birth, fires) -> None:
    found = run(tmp_path, monkeypatch, policy,
                [person("teen", attributes={"birth_date": {"value": birth}})])
    assert (("CC403", "teen") in found) is fires


def test_us_email_is_opt_out_but_texts_need_written_consent(tmp_path, monkeypatch) -> None:
    email = run(tmp_path, monkeypatch, "builtin:us", [
        person("none", status="none"), person("implied", status="implied"),
        person("withdrawn", status="withdrawn"), person("denied", status="denied")])
    assert {p for c, p in email if c == "CC101"} == {"withdrawn", "denied"}
    sms = run(tmp_path, monkeypatch, "builtin:us", [
        person("s-granted", "sms"), person("s-implied", "sms", status="implied"),
        person("s-none", "sms", status="none")], channel="sms", body="Hi. Reply STOP to opt out")
    assert {p for c, p in sms if c == "CC101"} == {"s-implied", "s-none"}


def test_us_missing_unsubscribe_is_an_error(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run(tmp_path, monkeypatch, "builtin:us", [person("a")], body="Hi, 20% off boots.")
    result = check(CheckOptions(paths=(Path("."),), policy="builtin:us"))
    opt_out = [f for f in result.findings if f.code == "CC104"]
    assert opt_out and opt_out[0].severity is Severity.ERROR


@pytest.mark.parametrize(("send_at", "fires"), [
    ("2026-01-14T12:59:00Z", True),   # 07:59 EST
    ("2026-01-14T13:00:00Z", False),  # 08:00 EST
    ("2026-03-07T12:30:00Z", True),   # 07:30 EST, the day before clocks go forward
    ("2026-03-08T12:00:00Z", False),  # 08:00 EDT, the day clocks went forward
    ("2026-03-08T11:59:00Z", True),   # 07:59 EDT
    ("2026-11-01T12:59:00Z", True),   # 07:59 EST, the day clocks went back
    ("2026-11-01T13:00:00Z", False),  # 08:00 EST
    ("2026-07-01T00:59:00Z", False),  # 20:59 EDT
    ("2026-07-01T01:00:00Z", True),   # 21:00 EDT
])
def test_us_quiet_hours_in_local_time(tmp_path, monkeypatch, send_at, fires) -> None:
    found = run(tmp_path, monkeypatch, "builtin:us", [person("ny", "sms")], channel="sms",
                body="Hi. Reply STOP to opt out", send_at=send_at)
    assert (("CC105", "ny") in found) is fires


@pytest.mark.parametrize(("event", "when", "fires"), [
    ("purchases", "2024-06-12", False),  # 23 months before the send
    ("purchases", "2024-04-12", True),   # 25 months
    ("inquiries", "2025-12-12", False),  # 5 months
    ("inquiries", "2025-10-12", True),   # 7 months
])
def test_casl_implied_consent_lapses(tmp_path, monkeypatch, event, when, fires) -> None:
    profile = person("p", status="implied", **{event: [{"at": when, "item": "Tent"}]})
    found = run(tmp_path, monkeypatch, "builtin:casl", [profile])
    assert (("CC101", "p") in found) is fires


def test_casl_express_consent_holds_and_none_does_not(tmp_path, monkeypatch) -> None:
    found = run(tmp_path, monkeypatch, "builtin:casl", [
        person("express"), person("none", status="none"),
        person("implied-no-events", status="implied")])
    assert {p for c, p in found if c == "CC101"} == {"none", "implied-no-events"}


def test_default_policy_transactional_needs_no_consent(tmp_path, monkeypatch) -> None:
    campaign = {"id": "c", "purpose": "transactional", "send_at": SEND_AT,
                "profiles": "profiles.yaml", "messages": [{"channel": "email", "body": "Shipped"}]}
    (tmp_path / "campaign.yaml").write_text(yaml.safe_dump(campaign))
    (tmp_path / "profiles.yaml").write_text(yaml.safe_dump([person("w", status="withdrawn")]))
    monkeypatch.chdir(tmp_path)
    result = check(CheckOptions(paths=(Path("."),)))
    assert not [f for f in result.findings if f.code == "CC101"]
