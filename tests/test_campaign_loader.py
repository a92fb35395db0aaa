"""Campaign discovery and validation (SPEC 1.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from creepcheck.errors import CampaignError, UserError
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign, looks_like_text
from creepcheck.models import MessageSpec, Waiver

FULL = """\
id: spring-sale-2026
name: Spring sale
purpose: marketing
audience: b2c
send_at: 2026-03-01T10:00:00Z
language: en
profiles: ../../samples/profiles.yaml
messages:
  - channel: email
    subject: "{{ first_name }}, spring picks for you"
    template: email.html.j2
  - channel: sms
    body: "Hi {{ first_name }}! Reply STOP to opt out."
waivers:
  - rule: purchase-recall
    profiles: [cust-007]
    channels: [email]
    reason: Reorder reminder the customer asked for
    approved_by: dpo@acme.example
    expires: 2026-06-30
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str = "id: x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors(text: str, name: str = "campaign.yaml") -> list[str]:
    path = write(Path(name), text)
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    return [str(p) for p in caught.value.problems]


MINIMAL = "id: c1\nmessages:\n  - channel: sms\n    body: hi\n"


# --- a valid campaign ------------------------------------------------------------------


def test_full_campaign(tmp_path: Path) -> None:
    path = write(tmp_path / "campaigns" / "spring" / "campaign.yaml", FULL)
    campaign = load_campaign(path)
    assert campaign.id == "spring-sale-2026"
    assert campaign.name == "Spring sale"
    assert (campaign.purpose, campaign.audience, campaign.language) == ("marketing", "b2c", "en")
    assert campaign.send_at == datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    assert campaign.path == path
    assert campaign.root == path.parent
    assert campaign.profiles == tmp_path / "samples" / "profiles.yaml"
    assert campaign.line == 1
    assert campaign.messages == (
        MessageSpec(
            0, "email", "{{ first_name }}, spring picks for you", None, "email.html.j2", 9, 11
        ),
        MessageSpec(1, "sms", None, "Hi {{ first_name }}! Reply STOP to opt out.", None, 12),
    )
    assert campaign.waivers == (
        Waiver(
            rule="purchase-recall",
            reason="Reorder reminder the customer asked for",
            approved_by="dpo@acme.example",
            expires=date(2026, 6, 30),
            profiles=("cust-007",),
            channels=("email",),
            line=15,
        ),
    )
    assert campaign.raw == {
        "id": "spring-sale-2026",
        "name": "Spring sale",
        "purpose": "marketing",
        "audience": "b2c",
        "language": "en",
        "send_at": datetime(2026, 3, 1, 10, tzinfo=timezone.utc),
    }
    assert type(campaign.raw) is dict


def test_defaults() -> None:
    before = datetime.now(timezone.utc)
    campaign = load_campaign(write(Path("campaign.yaml"), MINIMAL))
    assert campaign.name == "c1"
    assert (campaign.purpose, campaign.audience, campaign.language) == ("marketing", "b2c", "en")
    assert before <= campaign.send_at <= datetime.now(timezone.utc)
    assert campaign.profiles is None and campaign.waivers == ()


def test_defaults_from_the_project(tmp_path: Path) -> None:
    samples = tmp_path / "samples.yaml"
    campaign = load_campaign(
        write(Path("campaign.yaml"), MINIMAL), default_language="ru", default_profiles=samples
    )
    assert (campaign.language, campaign.profiles) == ("ru", samples)


def test_campaign_profiles_override_the_project(tmp_path: Path) -> None:
    path = write(Path("c/campaign.yaml"), MINIMAL + "profiles: mine.csv\n")
    campaign = load_campaign(path, default_profiles=tmp_path / "other.yaml")
    assert campaign.profiles == tmp_path / "c" / "mine.csv"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-03-01T10:00:00+02:00", datetime(2026, 3, 1, 8, tzinfo=timezone.utc)),
        ("2026-03-01 10:00:00-05:00", datetime(2026, 3, 1, 15, tzinfo=timezone.utc)),
        ('"2026-03-01T10:00:00Z"', datetime(2026, 3, 1, 10, tzinfo=timezone.utc)),
        ('"2026-03-01T10:00:00+05:30"', datetime(2026, 3, 1, 4, 30, tzinfo=timezone.utc)),
    ],
)
def test_send_at_is_utc(written: str, expected: datetime) -> None:
    campaign = load_campaign(write(Path("campaign.yaml"), MINIMAL + f"send_at: {written}\n"))
    assert campaign.send_at == expected
    assert campaign.send_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("written", ["now", '"NOW"'])
def test_send_at_now(written: str) -> None:
    before = datetime.now(timezone.utc)
    campaign = load_campaign(write(Path("campaign.yaml"), MINIMAL + f"send_at: {written}\n"))
    assert before <= campaign.send_at <= datetime.now(timezone.utc)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2026-03-01 09:30:00", "2026-03-01T09:30:00 has no time zone"),
        ('"2026-03-01T09:30:00"', '"2026-03-01T09:30:00" has no time zone'),
        ("2026-03-01", "2026-03-01 has no time or time zone"),
        ('"2026-03-01"', '"2026-03-01" has no time or time zone'),
        ("tomorrow 9am", 'got "tomorrow 9am"'),
    ],
)
def test_send_at_without_a_time_zone_is_an_error_at_its_line(written: str, problem: str) -> None:
    text = MINIMAL + f"send_at: {written}\n"
    line = text.count("\n")
    assert errors(text) == [
        f"campaign.yaml:{line}: send_at: {problem}: expected a date-time with a time zone, "
        "such as 2026-03-01T10:00:00Z or 2026-03-01T10:00:00-05:00, or now"
    ]


def test_waiver_without_optional_fields() -> None:
    text = MINIMAL + "waivers:\n  - rule: CC301\n    reason: asked\n    approved_by: dpo\n"
    (waiver,) = load_campaign(write(Path("campaign.yaml"), text)).waivers
    assert waiver == Waiver("CC301", "asked", "dpo", None, None, None, 6)


def test_waiver_expiry_as_datetime_or_text() -> None:
    text = MINIMAL + (
        "waivers:\n"
        "  - {rule: a, reason: r, approved_by: p, expires: 2026-06-30T23:00:00Z}\n"
        "  - {rule: b, reason: r, approved_by: p, expires: '2026-07-01'}\n"
    )
    waivers = load_campaign(write(Path("campaign.yaml"), text)).waivers
    assert [w.expires for w in waivers] == [date(2026, 6, 30), date(2026, 7, 1)]


def test_message_with_only_a_template_keeps_the_path_as_written() -> None:
    text = "id: c\nmessages:\n  - channel: email\n    template: ../common/footer.html.j2\n"
    (message,) = load_campaign(write(Path("campaign.yaml"), text)).messages
    assert message.template == "../common/footer.html.j2"


# --- errors ----------------------------------------------------------------------------


def test_unknown_keys_with_did_you_mean() -> None:
    text = (
        "id: c\n"
        "purpse: marketing\n"
        "messages:\n"
        "  - channel: sms\n"
        "    bdy: hi\n"
        "    body: hi\n"
        "waivers:\n"
        "  - rule: x\n"
        "    reason: y\n"
        "    approved-by: z\n"
        "    approved_by: z\n"
        "colour: blue\n"
    )
    assert errors(text) == [
        'campaign.yaml:2: unknown key "purpse": did you mean "purpose"?',
        'campaign.yaml:5: messages[0]: unknown key "bdy": did you mean "body"?',
        'campaign.yaml:10: waivers[0]: unknown key "approved-by": did you mean "approved_by"?',
        'campaign.yaml:12: unknown key "colour": expected one of id, name, purpose, audience, '
        "send_at, language, engine, profiles, messages, waivers",
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59+00:00"),
        ('"0001-01-01T00:00:00+05:00"', '"0001-01-01T00:00:00+05:00"'),
        ("9999-12-31T23:00:00-05:00", "9999-12-31T23:00:00-05:00"),
    ],
)
def test_a_send_date_out_of_range_is_an_error_at_its_line(written: str, shown: str) -> None:
    assert errors(MINIMAL + f"send_at: {written}\n") == [
        f"campaign.yaml:5: send_at: {shown} is outside 1900-01-01 to 8999-12-31: expected a "
        "date-time with a time zone, such as 2026-03-01T10:00:00Z or 2026-03-01T10:00:00-05:00, "
        "or now"
    ]


def test_a_waiver_expiry_before_the_first_utc_instant_is_an_error_at_its_line() -> None:
    text = MINIMAL + (
        "waivers:\n"
        "  - {rule: pii-leak, reason: r, approved_by: dpo@example.org, expires: 0001-01-01}\n"
        "  - {rule: pii-leak, reason: r, approved_by: dpo@example.org,\n"
        "     expires: 0001-01-01T00:00:00+05:00}\n"
    )
    assert errors(text) == [
        "campaign.yaml:8: waivers[1]: expires: expected a date such as 2026-06-30, "
        "got 0001-01-01T00:00:00+05:00"
    ]


def test_every_field_error_at_once() -> None:
    text = (
        "name: 3\n"
        "purpose: promo\n"
        "audience: b2g\n"
        "send_at: next tuesday\n"
        "language: fr\n"
        "profiles: [a.yaml]\n"
        "messages:\n"
        "  - channel: fax\n"
        "    body: hi\n"
        "  - channel: email\n"
        "  - body: hi\n"
        "  - channel: sms\n"
        "    subject: [x]\n"
        "    template: /etc/passwd\n"
        "  - just text\n"
    )
    assert errors(text) == [
        'campaign.yaml:1: missing required key "id"',
        "campaign.yaml:1: name: expected a text, got 3",
        'campaign.yaml:2: purpose: expected one of marketing, transactional, service, got "promo"',
        'campaign.yaml:3: audience: expected one of b2c, b2b, got "b2g" (did you mean "b2c"?)',
        'campaign.yaml:4: send_at: got "next tuesday": expected a date-time with a time zone, '
        "such as 2026-03-01T10:00:00Z or 2026-03-01T10:00:00-05:00, or now",
        'campaign.yaml:5: language: expected one of en, ru, got "fr"',
        "campaign.yaml:6: profiles: expected a path to a profile file, or {database, query}, "
        "got a list",
        "campaign.yaml:8: messages[0]: channel: expected one of email, sms, phone, push, in_app, "
        'direct_mail, whatsapp, social, got "fax"',
        "campaign.yaml:10: messages[1]: expected at least one of subject, body, template",
        'campaign.yaml:11: messages[2]: missing required key "channel"',
        "campaign.yaml:13: messages[3]: subject: expected a text, got a list",
        "campaign.yaml:14: messages[3]: template: expected a path relative to the campaign file, "
        'got "/etc/passwd"',
        'campaign.yaml:15: messages[4]: expected a mapping with channel and body, got "just text"',
    ]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("", 'campaign.yaml:1: missing required key "messages"'),
        (
            "messages: []\n",
            "campaign.yaml:2: messages: expected a non-empty list of messages, got a list",
        ),
        ("messages:\n", 'campaign.yaml:1: missing required key "messages"'),
        (
            "messages: {channel: sms}\n",
            "campaign.yaml:2: messages: expected a non-empty list of messages, got a mapping",
        ),
    ],
)
def test_messages_are_required(tail: str, expected: str) -> None:
    assert errors("id: c\n" + tail) == [expected]


def test_id_must_be_text() -> None:
    assert errors("id: 2026\n" + MINIMAL.split("\n", 1)[1]) == [
        "campaign.yaml:1: id: expected a text, got 2026"
    ]


def test_waiver_errors() -> None:
    text = MINIMAL + (
        "waivers:\n"
        "  - rule: purchase-recall\n"
        "    channels: [email, fax]\n"
        "    profiles: {a: 1}\n"
        "    expires: someday\n"
        "  - reason: r\n"
        "  - nope\n"
    )
    assert errors(text) == [
        'campaign.yaml:6: waivers[0]: missing required key "reason"',
        'campaign.yaml:6: waivers[0]: missing required key "approved_by"',
        "campaign.yaml:7: waivers[0]: channels[1]: expected one of email, sms, phone, push, in_app, "
        'direct_mail, whatsapp, social, got "fax"',
        "campaign.yaml:8: waivers[0]: profiles: expected a list of profile ids, got a mapping",
        'campaign.yaml:9: waivers[0]: expires: expected a date such as 2026-06-30, got "someday"',
        'campaign.yaml:10: waivers[1]: missing required key "rule"',
        'campaign.yaml:10: waivers[1]: missing required key "approved_by"',
        "campaign.yaml:11: waivers[2]: expected a mapping with rule, reason and approved_by, "
        'got "nope"',
    ]


def test_waiver_ids_may_be_numbers() -> None:
    text = (
        MINIMAL
        + "waivers:\n"
        + "  - {rule: a, reason: r, approved_by: p, profiles: [1001, c-2], channels: sms}\n"
    )
    (waiver,) = load_campaign(write(Path("campaign.yaml"), text)).waivers
    assert (waiver.profiles, waiver.channels) == (("1001", "c-2"), ("sms",))


def test_waivers_must_be_a_list() -> None:
    assert errors(MINIMAL + "waivers: {rule: x}\n") == [
        "campaign.yaml:5: waivers: expected a list, got a mapping"
    ]


def test_top_level_must_be_a_mapping() -> None:
    assert errors("- id: x\n") == [
        "campaign.yaml:1: expected a mapping with id and messages, got a list"
    ]


def test_empty_campaign_file() -> None:
    assert errors("") == ["campaign.yaml: empty campaign file: expected a YAML document"]


def test_yaml_errors_are_campaign_errors() -> None:
    assert errors("id: a\nid: b\n") == [
        'campaign.yaml:2: duplicate key "id" (first on line 1): '
        "each key may appear once in a mapping"
    ]


def test_missing_campaign_file() -> None:
    with pytest.raises(CampaignError) as caught:
        load_campaign(Path("nope/campaign.yaml"))
    assert str(caught.value) == "nope/campaign.yaml: campaign file not found"


# --- discovery -------------------------------------------------------------------------


def test_discovery(tmp_path: Path) -> None:
    for name in [
        "campaigns/spring/campaign.yaml",
        "campaigns/summer/campaign.yml",
        "campaigns/flash.campaign.yaml",
        "campaigns/notes.yaml",
        "campaigns/.hidden/campaign.yaml",
        "node_modules/pkg/campaign.yaml",
        "campaigns/archive/old/campaign.yaml",
        "campaigns/drafts-2025/campaign.yaml",
        ".campaign.yaml",
    ]:
        write(tmp_path / name)
    assert discover_campaigns([Path(".")]) == [
        Path("campaigns/archive/old/campaign.yaml"),
        Path("campaigns/drafts-2025/campaign.yaml"),
        Path("campaigns/flash.campaign.yaml"),
        Path("campaigns/spring/campaign.yaml"),
        Path("campaigns/summer/campaign.yml"),
    ]
    assert discover_campaigns([Path("campaigns")], exclude=["archive", "drafts-*"]) == [
        Path("campaigns/flash.campaign.yaml"),
        Path("campaigns/spring/campaign.yaml"),
        Path("campaigns/summer/campaign.yml"),
    ]
    assert discover_campaigns([Path(".")], exclude=["campaigns/archive/*", "*.yml"]) == [
        Path("campaigns/drafts-2025/campaign.yaml"),
        Path("campaigns/flash.campaign.yaml"),
        Path("campaigns/spring/campaign.yaml"),
    ]


def test_exclude_patterns_are_gitignore_like(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [
        "archive/repo/campaigns/a/campaign.yaml",
        "archive/repo/campaigns/2024/b/campaign.yaml",
        "archive/repo/campaigns/2024/c/d/campaign.yaml",
        "archive/repo/campaigns/x.campaign.yaml",
    ]:
        write(tmp_path / name)
    monkeypatch.chdir(tmp_path / "archive" / "repo")
    here = Path(".")
    # "archive" names a folder above the search: it must not exclude everything.
    assert discover_campaigns([here], exclude=["archive", "archive/**"]) == [
        Path("campaigns/2024/b/campaign.yaml"),
        Path("campaigns/2024/c/d/campaign.yaml"),
        Path("campaigns/a/campaign.yaml"),
        Path("campaigns/x.campaign.yaml"),
    ]
    # "*" stays within one part; "**" spans parts.
    assert discover_campaigns([here], exclude=["campaigns/*/campaign.yaml"]) == [
        Path("campaigns/2024/b/campaign.yaml"),
        Path("campaigns/2024/c/d/campaign.yaml"),
        Path("campaigns/x.campaign.yaml"),
    ]
    assert discover_campaigns([here], exclude=["2024/**/campaign.yaml", "?.campaign.yaml"]) == [
        Path("campaigns/a/campaign.yaml"),
    ]
    # Patterns written from the project root work when a subfolder is searched.
    expected = [Path("campaigns/a/campaign.yaml"), Path("campaigns/x.campaign.yaml")]
    assert discover_campaigns([Path("campaigns")], exclude=["campaigns/2024"]) == expected
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "archive" / "repo"
    found = discover_campaigns([root / "campaigns"], exclude=["campaigns/2024"], root=root)
    assert found == [root / p for p in expected]


def test_files_are_used_as_given_and_deduplicated(tmp_path: Path) -> None:
    odd = write(tmp_path / "x" / "launch.yaml")
    write(tmp_path / "x" / "campaign.yaml")
    found = discover_campaigns([Path("x/launch.yaml"), Path("x"), tmp_path / "x" / "campaign.yaml"])
    assert found == [Path("x/campaign.yaml"), Path("x/launch.yaml")]
    assert discover_campaigns([odd], exclude=["launch.yaml"]) == [odd]


def test_missing_paths_are_user_errors() -> None:
    with pytest.raises(UserError) as caught:
        discover_campaigns([Path("nope"), Path("gone.yaml")])
    assert str(caught.value) == "nope: no such file or folder\ngone.yaml: no such file or folder"


def test_nothing_found_is_an_empty_list(tmp_path: Path) -> None:
    assert discover_campaigns([tmp_path]) == []


@pytest.mark.parametrize(
    "template",
    [
        "|\n      Hello {{ first_name }},\n      see you soon",
        "'Hello {{ first_name }}'",
        "'{% if first_name %}Hi{% endif %}'",
        "Hello there, see you at the store",
    ],
)
def test_inline_text_under_template_points_at_body(template: str) -> None:
    text = (
        MINIMAL.split("messages:")[0] + f"messages:\n  - channel: email\n    template: {template}\n"
    )
    line = text.count("\n", 0, text.index("template:")) + 1
    assert errors(text) == [
        f"campaign.yaml:{line}: messages[0]: template: this is message text, not a file name: "
        "put inline text under body: (template: names a file beside the campaign file, such as "
        "sms.txt.j2)"
    ]


@pytest.mark.parametrize("name", ["email.html.j2", "spring sale/email.html.j2", "sms.txt", "t"])
def test_template_file_names_are_not_text(name: str) -> None:
    assert not looks_like_text(name)


def test_a_template_remembers_the_line_of_its_key() -> None:
    text = MINIMAL.split("messages:")[0] + (
        "messages:\n  - channel: email\n    subject: Hi\n    template: email.html.j2\n"
    )
    (spec,) = load_campaign(write(Path("campaign.yaml"), text)).messages
    assert spec.template_line == text.count("\n", 0, text.index("template:")) + 1
    assert spec.line == spec.template_line - 2


def test_engine_and_profile_forms_of_issue_14_are_checked_by_the_schema() -> None:
    text = (
        "id: c\n"
        "engine: mustache\n"
        "profiles: {database: crm.duckdb}\n"
        "messages:\n"
        "  - {channel: sms, body: hi, engine: liquid}\n"
        "  - {channel: email, body: hi, engin: jinja2}\n"
    )
    assert errors(text) == [
        'campaign.yaml:2: engine: expected one of jinja2, liquid, handlebars, got "mustache"',
        'campaign.yaml:3: profiles: missing required key "query"',
        'campaign.yaml:6: messages[1]: unknown key "engin": did you mean "engine"?',
    ]
    parquet = load_campaign(write(Path("p.yaml"), MINIMAL + "engine: liquid\nprofiles: a.parquet\n"))
    assert parquet.profiles == Path.cwd() / "a.parquet"
