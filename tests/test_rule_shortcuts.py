"""The shortcuts the per-profile rules take must not change what they find: answers
shared between profiles, checks skipped when the message cannot match, plain dicts read
without the Mapping check."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from creepcheck.loaders.contacts import choose_destination
from creepcheck.models import Profile
from creepcheck.render import Renderer
from creepcheck.rules.base import MessageSubject, RunContext
from creepcheck.rules.specificity_budget import facts
from creepcheck.rules.unlisted_contact_point import UnlistedContactPoint
from creepcheck.text.quantities import needs_dates, past_times
from creepcheck.text.recall import Sentence, words
from tests.ruleharness import CLEAN_PROFILE, deep_merge, make_campaign, run_rule

TODAY = date(2026, 3, 2)  # a Monday
FRIDAY = date(2026, 2, 27)


@pytest.fixture(scope="module")
def run() -> RunContext:
    from creepcheck.policy import load_policy
    from creepcheck.text import TextAnalyzer

    policy = load_policy("builtin:default", Path.cwd())
    return RunContext(policy=policy, text=TextAnalyzer(policy))


def sentence(text: str) -> Sentence:
    return Sentence(0, len(text), text, words(text))


@pytest.mark.parametrize(
    ("text", "dates", "expected"),
    [
        ("last Friday you bought boots", [], ["last friday"]),
        ("on Friday you bought boots", [], ["on friday"]),  # past verb
        ("see you on Friday", [FRIDAY], ["on friday"]),  # one of the person's days
        ("see you on Friday", [TODAY], []),
        ("Friday you bought boots", [FRIDAY], ["friday"]),
        ("Friday you bought boots", [], []),
        ("20% off until Friday", [FRIDAY], []),
    ],
)
def test_weekdays_past_by_lead_verb_and_dates(
    text: str, dates: list[date], expected: list[str]
) -> None:
    spans = past_times(sentence(text), dates, TODAY)
    assert [text.lower()[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20% off until Sunday", False),
        ("last Friday you bought boots", False),
        ("on Friday you bought boots", False),
        ("see you on Friday", True),
        ("you ordered them on February 24", True),
        ("back in February", True),
    ],
)
def test_needs_dates_only_when_the_answer_depends_on_them(text: str, expected: bool) -> None:
    assert needs_dates(sentence(text)) is expected


@pytest.mark.parametrize(
    ("template", "fires"),
    [
        ("Tips from {{ tip }} this week.", True),  # the handle inside another value
        ("Call {{ tip }} today.", False),  # the value is too short to hold it
        ("Tips from @MayaHikes, {{ first_name }}.", False),  # static text only
    ],
)
def test_a_contact_point_printed_through_another_field(
    template: str, fires: bool, tmp_path: Path, run: RunContext
) -> None:
    tip = "our friend @MAYAHIKES" if fires else "us"
    profile = {
        "tip": tip,
        "contact_points": {"social": [{"value": "@mayahikes", "source": "social_scrape"}]},
    }
    findings = run_rule(
        UnlistedContactPoint(), tmp_path, template=template, profile=profile, run=run
    )
    assert [f.spans for f in findings] == ([((21, 31),)] if fires else [])


def test_a_phone_number_printed_inside_a_value(tmp_path: Path, run: RunContext) -> None:
    profile = {
        "note": "Call me on +1 212 555 0188 after six",
        "contact_points": {"phone": [{"value": "+1 212 555 0188", "source": "data_broker"}]},
    }
    findings = run_rule(
        UnlistedContactPoint(), tmp_path, template="Note: {{ note }}", profile=profile, run=run
    )
    assert [f.fields for f in findings] == [
        ("contact_points.phone[0].value", "contact_points.phone[0].source")
    ]


def test_facts_of_a_shared_message_follow_each_profile(tmp_path: Path, run: RunContext) -> None:
    """Profiles with the same rendered message may still differ in the fields they have
    and in the address the message goes to."""
    template = "Hi {{ first_name }}, see you in {{ city }}. We'll write to {{ contact }}."
    campaign = make_campaign(tmp_path, "email", template)
    spec = campaign.messages[0]
    renderer = Renderer(tmp_path, display_root=tmp_path)
    data = deep_merge(CLEAN_PROFILE, {"city": "Leeds", "contact": "jane@example.org"})
    rendered = renderer.render(renderer.compile_message(campaign, spec), _profile(data), campaign)

    def shown(profile_data: dict[str, Any], destination: str) -> list[tuple[str, str]]:
        subject = MessageSubject(
            campaign, spec, _profile(profile_data), run, {"value": destination},
            "email", True, rendered=rendered,
        )  # fmt: skip
        return [f.key for f in facts(subject)]

    city, contact = ("city", "leeds"), ("contact", "jane@example.org")
    without_city = {k: v for k, v in data.items() if k != "city"}
    for _ in range(2):  # worked out, then shared
        assert shown(data, "jane@example.org") == [city]
        assert shown(data, "other@example.org") == [city, contact]
        assert shown(without_city, "other@example.org") == [contact]
        assert shown(without_city, "JANE@example.org ") == []


def _profile(data: dict[str, Any]) -> Profile:
    return Profile("p", data, "profiles.yaml", 1)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (MappingProxyType({"sms": [MappingProxyType({"value": "+1", "status": "valid"})]}),
         ("sms", "+1", True)),
        ({"phone": {"value": "+2", "status": "bounced"}}, ("phone", "+2", False)),
        ({"sms": ["not a point", {"value": "+3"}]}, ("sms", "+3", True)),
        ({"sms": {}}, None),
        ("not a mapping", None),
    ],
)  # fmt: skip
def test_destination_read_from_any_mapping(
    points: Any, expected: tuple[str, str, bool] | None
) -> None:
    destination = choose_destination(_profile({"contact_points": points}), "sms")
    found = destination and (
        destination.listed_under, destination.point["value"], destination.deliverable
    )
    assert found == expected
