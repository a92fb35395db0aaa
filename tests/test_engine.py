"""The check loop on small real repositories: engine-raised rules and profile handling."""

from __future__ import annotations

import json
import os
from pathlib import Path
from textwrap import dedent

import pytest

import creepcheck
from creepcheck.errors import UserError


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip(), encoding="utf-8")
    return root


PERSON = """
- id: {id}
  first_name: Ana
  timezone: America/New_York
  last_verified: 2026-01-01
  contact_points:
{points}
  consents:
    email: {{status: granted}}
    sms: {{status: granted}}
    push: {{status: granted}}
    direct_mail: {{status: granted}}
"""
POINTS = {
    "email": "    email: [{value: ana@example.org, source: customer}]",
    "sms": "    sms: [{value: '+1 212 555 0101', source: customer}]",
    "push": "    push: [{value: token-1, source: customer}]",
    "postal": "    postal: [{value: '1 Example St', source: customer}]",
}


def campaign(messages: str, send_at: str = "2026-03-02T15:00:00Z") -> str:
    return f"""
id: c1
purpose: marketing
send_at: {send_at}
profiles: profiles.yaml
messages:
{messages}
"""


ALL_CHANNELS = """
  - {channel: email, body: "Hi. Unsubscribe: https://shop.example.com/unsubscribe"}
  - {channel: sms, body: "Hi. Reply STOP to opt out"}
  - {channel: push, body: "Hi"}
  - {channel: direct_mail, body: "Dear customer"}
"""


def profile(id_: str, *channels: str) -> str:
    return PERSON.format(id=id_, points="\n".join(POINTS[c] for c in channels))


def codes(result: creepcheck.RunResult, profile_id: str | None = None) -> list[str]:
    return sorted(f.code for f in result.findings if profile_id in (None, f.profile))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path) -> None:
    old = os.getcwd()
    os.chdir(tmp_path)
    yield
    os.chdir(old)


def test_channel_blast_counts_only_channels_reached(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "creepcheck.yaml": "policy: policy.yaml\n",
            "policy.yaml": "extends: [builtin:default]\nrules:\n  channel-blast: {max_channels: 2}\n",
            "campaign.yaml": campaign(ALL_CHANNELS),
            "profiles.yaml": profile("four", "email", "sms", "push", "postal")
            + profile("two", "email", "push"),
        },
    )
    result = creepcheck.check(["."])
    blasts = [f for f in result.findings if f.code == "CC103"]
    assert [(f.profile, f.channel) for f in blasts] == [("four", None)]
    assert "4 channels (direct_mail, email, push, sms)" in blasts[0].message


def test_missing_contact_point_is_reported_and_message_not_rendered(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(ALL_CHANNELS),
            "profiles.yaml": profile("email-only", "email"),
        },
    )
    result = creepcheck.check(["."])
    missing = [f for f in result.findings if f.code == "CC106"]
    assert sorted(f.channel for f in missing) == ["direct_mail", "push", "sms"]
    assert all(str(f.severity) == "info" for f in missing)
    assert [(m.channel, m.profile) for m in result.messages] == [("email", "email-only")]


def test_syntax_error_is_one_finding_at_the_template_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(
                "  - {channel: email, template: email.txt.j2}\n"
                "  - {channel: sms, body: 'Hi {{ first_name }}. Reply STOP'}\n"
            ),
            "email.txt.j2": "Hi {{ first_name }}\n{% if x %}\nunclosed\n",
            "profiles.yaml": profile("a", "email", "sms") + profile("b", "email", "sms"),
        },
    )
    result = creepcheck.check(["."])
    errors = [f for f in result.findings if f.code == "CC901"]
    assert len(errors) == 1
    assert (errors[0].file, errors[0].channel, errors[0].profile) == ("email.txt.j2", "email", None)
    assert errors[0].line == 2 and "syntax error" in errors[0].message  # the unclosed if
    assert [m.channel for m in result.messages] == ["sms", "sms"]


def test_render_error_is_reported_for_that_profile_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign("  - {channel: email, template: avg.txt.j2}\n"),
            "avg.txt.j2": "Hi\nAverage: {{ total / count }}\nUnsubscribe: https://x.example.com/unsubscribe\n",
            "profiles.yaml": profile("ok", "email").replace(
                "first_name: Ana", "first_name: Ana\n  total: 10\n  count: 2"
            )
            + profile("zero", "email").replace(
                "first_name: Ana", "first_name: Ana\n  total: 0\n  count: 0"
            ),
        },
    )
    result = creepcheck.check(["."])
    errors = [f for f in result.findings if f.code == "CC901"]
    assert [(f.profile, f.line) for f in errors] == [("zero", 2)]
    assert "ZeroDivisionError" in errors[0].message


def test_broken_profile_records_are_reported_and_the_rest_checked(tmp_path: Path) -> None:
    good = '{"id": "p%d", "first_name": "A", "contact_points": {"email": [{"value": "a%d@example.org", "source": "customer"}]}, "consents": {"email": {"status": "granted"}}}'
    lines = [good % (i, i) for i in range(10)]
    lines[3] = '{"id": "broken", '
    lines[7] = '{"first_name": "no id"}'
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(
                "  - {channel: email, body: 'Hi. https://x.example.com/unsubscribe'}\n"
            ).replace("profiles.yaml", "profiles.jsonl"),
            "profiles.jsonl": "\n".join(lines) + "\n",
        },
    )
    result = creepcheck.check(["."])
    assert result.stats.profiles_checked == 8
    assert result.stats.profiles_rejected == 2
    assert sorted(p.line for p in result.problems) == [4, 8]


def test_duplicate_campaign_ids_are_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/campaign.yaml": campaign("  - {channel: email, body: Hi}\n"),
            "b/campaign.yaml": campaign("  - {channel: email, body: Hi}\n"),
            "a/profiles.yaml": profile("x", "email"),
            "b/profiles.yaml": profile("x", "email"),
        },
    )
    with pytest.raises(UserError, match='duplicate campaign id "c1"'):
        creepcheck.check(["."])


def test_campaign_without_profiles_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"campaign.yaml": "id: c1\nmessages:\n  - {channel: email, body: Hi}\n"})
    with pytest.raises(UserError, match="no profiles to check against"):
        creepcheck.check(["."])


def test_template_cannot_modify_the_profile(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign("  - {channel: email, template: t.txt.j2}\n"),
            "t.txt.j2": "{{ profile.contact_points.email.append({'value': 'x'}) }}{{ profile.update({'first_name': 'X'}) }}Hi\n",
            "profiles.yaml": profile("a", "email"),
        },
    )
    result = creepcheck.check(["."])
    errors = [f for f in result.findings if f.code == "CC901"]
    assert errors and "sandbox" in errors[0].message


def test_findings_are_stable_across_runs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(ALL_CHANNELS),
            "profiles.yaml": profile("a", "email", "sms") + profile("b", "email"),
        },
    )
    first = [f.fingerprint for f in creepcheck.check(["."]).findings]
    second = [f.fingerprint for f in creepcheck.check(["."]).findings]
    assert first == second and len(set(first)) == len(first)


def test_json_reporter_round_trip(tmp_path: Path) -> None:
    from creepcheck.reporters import REPORTERS

    write(
        tmp_path, {"campaign.yaml": campaign(ALL_CHANNELS), "profiles.yaml": profile("a", "email")}
    )
    result = creepcheck.check(["."])
    data = json.loads(REPORTERS["json"]().render(result))
    assert data["summary"]["findings"] == len(result.findings)


@pytest.mark.parametrize(
    ("points", "where", "got"),
    [
        ("    email: 5", "contact_points.email", "a number"),
        ("    email: [ana@example.org]", "contact_points.email[0]", "a text"),
        ("    email: [[1]]", "contact_points.email[0]", "a list"),
    ],
)
def test_a_contact_point_of_the_wrong_type_is_a_located_problem_and_is_ignored(
    tmp_path: Path, points: str, where: str, got: str
) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(ALL_CHANNELS),
            "profiles.yaml": PERSON.format(id="odd", points=points + "\n" + POINTS["sms"]),
        },
    )
    result = creepcheck.check(["."])
    assert [str(p) for p in result.problems] == [
        f"profiles.yaml:1: profile odd: {where}: expected a contact point such as "
        f"{{value: ..., source: customer}}, got {got} (ignored)"
    ]
    assert not any(p.fatal for p in result.problems)
    assert result.stats.profiles_checked == 1
    missing = sorted(f.channel for f in result.findings if f.code == "CC106")
    assert missing == ["direct_mail", "email", "push"]
    assert "ana@example.org" not in str(result.problems)


def test_contact_points_that_are_not_a_mapping_are_a_located_problem(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "campaign.yaml": campaign(ALL_CHANNELS),
            "profiles.yaml": PERSON.format(id="odd", points="    - ana@example.org"),
        },
    )
    result = creepcheck.check(["."])
    assert [p.message for p in result.problems] == [
        "profile odd: contact_points: expected a mapping of channels to lists of contact "
        "points, got a list (ignored)"
    ]
