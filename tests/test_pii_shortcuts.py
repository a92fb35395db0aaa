"""find_pii's shortcuts must answer what presidio's full `analyze` answers: whether a
segment holds any match is asked of the recognizers one by one, and a text is read per
segment; both are compared here with the engine and the whole-text read, on values that
look like phones, dates, amounts, cards, addresses and names that are words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creepcheck.text import pii
from creepcheck.text.pii import KINDS, find_pii

ALL_KINDS = tuple(k for k in KINDS if k != pii.EMAIL_ADDRESS) + (pii.EMAIL_ADDRESS,)

SEGMENTS = [
    "Fjord merino trail shoes, now $104.99",
    "You have 2754 NorthTrail points to spend.",
    "Call 555-0142 today",
    "Call (212) 555-0142 or +1 212 555 0142",
    "Звоните +7 495 123-45-67",
    "Order #4111111111111111 shipped",
    "Card 4111 1111 1111 1111 on file",
    "IBAN DE89 3704 0044 0532 0130 00",
    "SSN 078-05-1120",
    "Server 10.0.0.1 and fe80::1",
    "see www.example.com/deals?id=12345678",
    "Will, Hope, Faith, Grace and May: 12 May 2026",
    "Your dose of metformin 500 mg, refill 03/04/2025",
    "Итого 12 345,67 ₽ до 31.12.2026",
    "write to will.may@example.org",
    "tel:+442071838750",
    "x 030 12345",
    "2754",
    "",
]


def engine_says(segment: str, language: str, wanted: tuple[str, ...]) -> bool:
    return bool(pii._engine().analyze(text=segment, language=language, entities=list(wanted)))


@pytest.mark.parametrize("segment", SEGMENTS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_any_match_is_the_engines_answer(segment: str, language: str) -> None:
    for wanted in (ALL_KINDS, (pii.PHONE_NUMBER,), (pii.URL, pii.IP_ADDRESS)):
        pii._has_matches.cache_clear()
        assert pii._has_matches(segment, language, wanted) == engine_says(
            segment, language, wanted
        ), (segment, wanted)


def test_a_shortcut_match_is_found() -> None:
    # Not vacuous: both answers occur among the cases above.
    answers = {pii._has_matches(s, "en", ALL_KINDS) for s in SEGMENTS}
    assert answers == {True, False}


PIECES = st.sampled_from(
    [
        "Will", "Hope", "May", "call", "now", "$", "₽", "+1", "+7", "(212)", "555", "0142",
        "-", ".", ":", "@", "example.com", "www.", "/", "#", "4111", "1111", "12", "2026",
        "10.0", ".1", " ", " ", "\n", "\n\n", "тел", "номер", "€9.99", "x", "ext", "00",
    ]
)


@settings(max_examples=120, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14).map("".join))
def test_any_match_on_generated_segments(segment: str) -> None:
    assert pii._has_matches(segment, "en", ALL_KINDS) == engine_says(segment, "en", ALL_KINDS)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, min_size=3, max_size=30).map("".join))
def test_segmented_read_equals_the_whole_read(text: str) -> None:
    readable = pii.bounded(text)
    wanted = pii._wanted_kinds(readable) if pii._may_hold_pii(readable) else ()
    whole = list(pii._find_cached(readable, "en", wanted)) if wanted else []
    assert [(e.kind, e.start, e.end) for e in find_pii(text, "en")] == [
        (e.kind, e.start, e.end) for e in whole
    ]
