"""pii-leak's shortcuts must find what the plain definitions they replace find: the
occurrence search skips the regex when the folded text cannot hold the value, the walk
tells types apart by `type()` first, the recipient's own values are looked up in sets,
and what depends on the rendered message alone is worked out once per message."""

from __future__ import annotations

import re
import sys
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from creepcheck.loaders.internal_fields import find_internal_values, leaf_values
from creepcheck.models import Finding, Profile
from creepcheck.render import RenderedMessage, Renderer, Span
from creepcheck.rules.base import MessageSubject, RunContext
from creepcheck.rules.pii_leak import (
    ASCII_TWINS,
    PiiLeak,
    _is_recipients,
    _occurrences,
    _OwnValues,
)
from creepcheck.text.pii import (
    CREDIT_CARD,
    EMAIL_ADDRESS,
    IBAN_CODE,
    PHONE_NUMBER,
    PiiEntity,
    digits,
    same_phone,
)
from tests.ruleharness import CLEAN_PROFILE, deep_merge, make_campaign
from tests.test_internal_values import GLOBS, by_leaves


def test_folding_keeps_every_ignorecase_match_of_an_ascii_character() -> None:
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    for code in range(128):
        char = chr(code)
        for match in set(re.findall(re.escape(char), every, re.IGNORECASE)):
            assert match.translate(ASCII_TWINS).lower() == char.lower(), (char, match)


def occurrences_by_pattern(text: str, value: str, values: list[Span]) -> list[tuple[int, int]]:
    """The definition `_occurrences` keeps: a pattern per value."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)", re.IGNORECASE)
    numeric = re.fullmatch(r"-?\d+(?:\.\d+)?", value) is not None
    return [
        (m.start(), m.end())
        for m in pattern.finditer(text)
        if not numeric or any(s.start <= m.start() and m.end() <= s.end for s in values)
    ]


ALPHABET = "aAbIiKkSs_.-1207 \u0130\u0131\u017f\u212a\u00e9\u03a3"


@given(
    st.text(ALPHABET, max_size=40),
    st.text(ALPHABET, min_size=1, max_size=6),
    st.integers(0, 40),
    st.integers(0, 40),
)
@example("Tagged \u0131d_k, \u0130D_\u212a", "id_k", 0, 0)
@example("\u017feg_1 and 1.5e-07", "seg_1", 0, 0)
def test_occurrences_agree_with_a_pattern_per_value(
    text: str, value: str, start: int, length: int
) -> None:
    start = min(start, len(text))
    span = Span(start, min(len(text), start + length), None, None, ("x",), "x")
    rendered = RenderedMessage(text, spans=(span,))
    assert list(_occurrences(rendered, value)) == occurrences_by_pattern(text, value, [span])


def test_occurrences_of_numbers_count_only_in_values() -> None:
    text = "Score 0.87, yours: 0.87"
    span = Span(19, 23, None, None, ("inferred.score",), "inferred.score")
    rendered = RenderedMessage(text, spans=(Span(0, 19, None, None), span))
    assert list(_occurrences(rendered, "0.87")) == [(19, 23)]


class Record(Mapping[str, Any]):
    """A mapping that is not a dict, as some loaders hand out."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Text(str):
    pass


class Score(float):
    pass


KEYS = st.sampled_from(["notes", "score", "churn_score", "inferred", "segments", "crm", "x"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.just(date(2026, 1, 2)),
    st.sampled_from(["seg_042", "plain", "an agent's note about this customer"]),
    st.sampled_from(["seg_042", "an agent's note about this customer", "x"]).map(Text),
    st.sampled_from([0.5, 2.0]).map(Score),
)
TREES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.lists(children, max_size=2).map(tuple)
        | st.dictionaries(KEYS, children, max_size=3)
        | st.dictionaries(KEYS, children, max_size=3).map(OrderedDict)
        | st.dictionaries(KEYS, children, max_size=3).map(Record)
    ),
    max_leaves=12,
)


@given(st.dictionaries(KEYS, TREES, max_size=4))
def test_the_walk_agrees_with_every_leaf_for_any_types(data: dict[str, Any]) -> None:
    profile = Profile("p1", data)
    assert list(find_internal_values(profile, GLOBS)) == by_leaves(profile)


def is_recipients_by_scan(entity: PiiEntity, own: tuple[str, ...]) -> bool:
    """The definition `_is_recipients` keeps: a scan of every own value."""
    if entity.kind == EMAIL_ADDRESS:
        return any(entity.text.lower() == value.lower() for value in own)
    if entity.kind == PHONE_NUMBER:
        return any(same_phone(entity.text, value) for value in own)
    if entity.kind == IBAN_CODE:
        return any(digits(entity.text) == digits(value) and digits(value) for value in own)
    return False


OWN = st.sampled_from(
    [
        "Ana@Example.org",
        "ana@example.org",
        "+1 212 555 0101",
        "2125550101",
        "GB82 WEST 1234 5698 7654 32",
        "gb82west12345698765432",
        "valid",
        "",
        "p0000101",
    ]
)
KINDS = st.sampled_from([EMAIL_ADDRESS, PHONE_NUMBER, IBAN_CODE, CREDIT_CARD])


@given(st.lists(OWN, max_size=6), KINDS, OWN)
def test_own_value_lookups_agree_with_a_scan(own: list[str], kind: str, text: str) -> None:
    entity = PiiEntity(kind, 0, len(text), text, 1.0)
    assert _is_recipients(entity, _OwnValues(own)) == is_recipients_by_scan(entity, tuple(own))


def leaf_values_by_pattern(profile: Profile, path: str) -> list[Any]:
    pattern = re.escape(path).replace(r"\[\]", r"\[\d+\]")
    return [v for leaf, v in profile.leaves if re.fullmatch(pattern + r"(?:[.\[].*)?", leaf)]


def test_leaf_values_agree_with_a_pattern_per_path() -> None:
    profile = Profile(
        "p1",
        {
            "inferred": {"segments": ["vip", "seg_042"], "score": 0.5, "scores": [1]},
            "crm": [{"notes": "a"}, {"notes": "b"}],
            "a.b": {"c": 1},
        },
    )
    paths = [
        "inferred.segments[]",
        "inferred.segments[1]",
        "inferred.score",
        "inferred",
        "crm[].notes",
        "crm[0]",
        "crm",
        "a.b",
        "a.b.c",
        "[]",
        "inferred.s",
    ]
    for path in paths:
        assert leaf_values(profile, path) == leaf_values_by_pattern(profile, path), path


TEMPLATE = """Hi {{ first_name }},
Your neighbour Tom (tom.becker@example.org) just joined: welcome him to the lapsed_high_value club.
Your number: {{ contact_points.sms[0].value }}.
"""


def test_profiles_sharing_a_rendered_message_get_their_own_findings(tmp_path: Path) -> None:
    from creepcheck.policy import load_policy

    run = RunContext(policy=load_policy("builtin:default", Path.cwd()))
    campaign = make_campaign(tmp_path, "email", TEMPLATE)
    spec = campaign.messages[0]
    renderer = Renderer(tmp_path, display_root=tmp_path)
    compiled = renderer.compile_message(campaign, spec)
    tom = deep_merge(
        CLEAN_PROFILE, {"contact_points": {"email": [{"value": "tom.becker@example.org"}]}}
    )
    people = [
        Profile("tom", tom),
        Profile("jane", deep_merge(CLEAN_PROFILE, {"inferred": {"segment": "lapsed_high_value"}})),
        Profile("other", deep_merge(CLEAN_PROFILE, {})),
    ]

    def subject(person: Profile, rendered: RenderedMessage) -> MessageSubject:
        return MessageSubject(campaign, spec, person, run, rendered=rendered)

    def check(person: Profile, rendered: RenderedMessage) -> list[Finding]:
        return list(PiiLeak().check(subject(person, rendered)))

    shared = renderer.render(compiled, people[0], campaign)
    alone = {p.id: check(p, renderer.render(compiled, p, campaign)) for p in people}
    for person in [*people, *reversed(people)]:
        fresh = Profile(person.id, person.data)  # a memo of its own, as on a new run
        assert check(fresh, shared) == alone[person.id]
    assert [len(alone[p.id]) for p in people] == [0, 2, 1]


def test_pii_in_real_looking_messages_is_found_alike_on_both_paths(monkeypatch: Any) -> None:
    """find_pii's shortcuts (segments, kinds left out, remembered phone candidates) on
    messages built from the real-looking fixture audience: every message differs, and
    names, prices, points and link tokens sit beside digits and inside links."""
    import json

    from creepcheck import tuning
    from creepcheck.text import pii
    from tests.paths import FIXTURES

    lines = (FIXTURES / "realistic" / "profiles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = []
    for line in lines:
        profile = json.loads(line)
        name, token = profile["first_name"], profile["sms_token"]
        picks = "\n\n".join(f"{p['name']}, now {p['price']}" for p in profile["picks"])
        texts.append(
            f"{name}, spring picks for you\n\nSpring is here, {name}\n\n{picks}\n\n"
            f"You have {profile['loyalty_points']} points to spend.\n\n"
            "NorthTrail Outfitters, 100 Example Way, Portland, OR 97201. Unsubscribe"
        )
        texts.append(
            f"NorthTrail: hi {name}, {profile['picks'][0]['name'] if profile['picks'] else 'gear'}"
            f" is 20% off until Sunday: nt.example.com/s/{token} Reply STOP to opt out"
        )
    optimised = [find_pii_plainly(text, pii) for text in texts]
    monkeypatch.setattr(tuning, "OPTIMISE", False)
    pii._find_cached.cache_clear()
    pii._has_matches.cache_clear()
    plain = [find_pii_plainly(text, pii) for text in texts]
    assert optimised == plain
    assert sum(map(len, plain)) > len(texts) // 2  # links and phone-shaped picks found


def find_pii_plainly(text: str, pii: Any) -> list[tuple[str, int, int, float]]:
    return [(e.kind, e.start, e.end, e.score) for e in pii.find_pii(text, "en")]
