"""find_pii's shortcuts must answer what presidio's full `analyze` answers: whether a
segment holds any match is asked of the recognizers one by one, and a text is read per
segment; both are compared here with the engine and the whole-text read, on values that
look like phones, dates, amounts, cards, addresses and names that are words."""

from __future__ import annotations

import re

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


@settings(max_examples=120, deadline=None)
@given(st.lists(PIECES, min_size=3, max_size=30).map("".join))
def test_asking_segment_by_segment_answers_what_the_whole_text_answers(text: str) -> None:
    readable = pii.bounded(text)
    wanted = pii._wanted_kinds(readable)
    for kinds in (pii.PERSONAL_KINDS, frozenset({pii.PHONE_NUMBER}), frozenset(KINDS)):
        whole = pii._may_match_in(readable, "en", wanted, kinds)
        segments = pii._segments(readable)
        assert pii._may_match(readable, segments, "en", wanted, kinds) == whole, (readable, kinds)


def test_a_message_is_asked_segment_by_segment() -> None:
    # Not vacuous: the footer's number is asked once, whatever the name above it.
    footer = "NorthTrail Outfitters, 100 Example Way, Portland, OR 97201. Call 212 555 0142"
    wanted = (pii.PHONE_NUMBER,)
    pii._may_match_in.cache_clear()
    for name in ("Ann", "Bo", "Cyd"):
        text = f"Spring is here, {name}\n\nLonger days.\n\n{footer}"
        assert pii._may_match(text, pii._segments(text), "en", wanted, pii.PERSONAL_KINDS)
    info = pii._may_match_in.cache_info()
    assert (info.misses, info.hits) == (5, 4)  # three greetings; two segments asked once


# -- the phone recognizer that verifies each distinct candidate once ---------------------
# The same numbers recur in different surroundings: after a letter or a currency sign,
# before minutes, inside a token, at the start and end of the text.
NUMBERS = ["212 555 0142", "+1 212 555 0142", "(020) 7183 8750", "3339", "97201", "2026-03-20 16",
           "288.50", "+7 495 123-45-67", "030 12345", "8 800 555 35 35", "0142"]
SURROUNDINGS = st.sampled_from(
    ["", " ", "Call ", "x", "$", "%", "€", "now ", "tel:", "/s/", "d", ":30", ":75", ", ", "\n",
     " ext 12", " points", "Zoë", "№"]
)


def _phone_spans(recognizer: object, text: str, language: str = "en") -> list[tuple[int, int]]:
    results = recognizer.analyze(text, ["PHONE_NUMBER"], None)  # type: ignore[attr-defined]
    return sorted((r.start, r.end) for r in results)


def _phone_pair() -> tuple[object, object]:
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from creepcheck.text.phone_recognizer import RememberingPhoneRecognizer

    regions = pii.PHONE_REGIONS["en"]
    return (
        PhoneRecognizer(supported_language="en", supported_regions=regions),
        RememberingPhoneRecognizer(supported_language="en", supported_regions=regions),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(SURROUNDINGS, st.sampled_from(NUMBERS)), min_size=1, max_size=8))
def test_remembering_phone_recognizer_answers_what_presidio_answers(pieces: list[str]) -> None:
    plain, remembering = _phone_pair()
    text = "".join(pieces)
    assert _phone_spans(remembering, text) == _phone_spans(plain, text), text


def test_a_remembered_candidate_is_judged_again_in_new_surroundings() -> None:
    from creepcheck.text import phones

    plain, remembering = _phone_pair()
    phones._EXTRACTED.clear()
    texts = ["Call 212 555 0142 today", "x212 555 0142", "$212 555 0142", "212 555 0142%",
             "Call 212 555 0142 now", "2026-03-20 16:30 and 2026-03-20 16"]
    found = [_phone_spans(remembering, text) for text in texts]
    assert found == [_phone_spans(plain, text) for text in texts]
    assert found[0] and not found[1] and not found[2] and not found[3] and found[4]
    remembered = len(phones._EXTRACTED)
    assert _phone_spans(remembering, "Call 212 555 0142 soon") == [(5, 17)]
    assert len(phones._EXTRACTED) == remembered  # the same surroundings: answered from memory


def test_a_remembered_answer_is_not_reused_when_the_tries_run_out() -> None:
    from phonenumbers import Leniency

    from creepcheck.text.phones import RememberingMatcher

    text = "Call 212 555 0142 today"
    assert list(RememberingMatcher(text, "US", Leniency.VALID))  # remembered with tries left
    assert not list(RememberingMatcher(text, "US", Leniency.VALID, max_tries=0))


def _known_empty(text: str, region: str, leniency: object) -> bool:
    from creepcheck.text.phones import RememberingMatcher

    matcher = RememberingMatcher(text, region, leniency)
    candidates = matcher.candidates()
    assert candidates is not None
    return matcher.known_empty(candidates)


def test_a_text_of_known_non_numbers_skips_the_matcher() -> None:
    from phonenumbers import Leniency


    plain, remembering = _phone_pair()
    text = "You have 3339 points; the fleece is now $288.50 until 2026-03-20"
    assert not _known_empty(text, "GB", Leniency.VALID)
    assert _phone_spans(remembering, text) == _phone_spans(plain, text) == []
    assert _known_empty(text, "GB", Leniency.VALID)
    # A new candidate, or a remembered one in new surroundings, is not known.
    assert not _known_empty(text + " or 4117", "GB", Leniency.VALID)
    assert not _known_empty(text.replace("3339", "(3339)"), "GB", 1)
    # Digits glued to a letter or a percent sign are turned down unparsed, in any region.
    glued = "nt.example.com/s/1d7872fcd4 is 20% off"
    assert _known_empty(glued, "US", Leniency.VALID)
    assert _phone_spans(remembering, glued) == _phone_spans(plain, glued) == []
    # A real number among them is still found.
    mixed = text + ", call 020 7183 8750"
    assert _phone_spans(remembering, mixed) == _phone_spans(plain, mixed) != []


# -- kinds that cannot match are not asked -----------------------------------------------
# pii.NEEDS holds what every match of a kind's presidio patterns contains; it was read off
# these patterns, so a presidio upgrade that changes them must fail here and be re-read.
PINNED_PATTERNS = "b9f497d0c20f1b4bbc6e49a4d0f562382b540cb918d37281dcd5f3ece451de79"


def test_the_patterns_the_needs_were_read_from_are_unchanged() -> None:
    import hashlib

    digest = hashlib.sha256()
    for kind in sorted(pii.NEEDS):
        recognizers = pii._engine().registry.get_recognizers(
            language="en", entities=[kind], all_fields=False
        )
        for recognizer in recognizers:
            for pattern in recognizer.patterns:
                line = f"{kind}|{pattern.regex}|{int(recognizer.global_regex_flags)}\n"
                digest.update(line.encode())
    assert digest.hexdigest() == PINNED_PATTERNS


NEEDY_PIECES = st.sampled_from(
    [
        "fe80::1", "::", "2001:db8::ff00:42:8329", "10.0.0.1", "192.168.1", "a:b", "12:30",
        "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82WEST12345698765432",
        "4111 1111 1111 1111", "4111-1111-1111-1111", "078-05-1120", "078 05 1120", "078051120",
        "example.com", "www.example.org/x", "$288.50", "3339", "nt.example.com/s/1d7872fcd4",
        " ", ", ", ".", ":", "-", "call ", "IP ", "card ", "iban ", "ssn ", "url ", "\n",
        "ﬁ.com", "x.K", "Zoë.ru", "user@example.com", "20%", "+1 212 555 0142", "5551234567",
    ]
)


def _asked_before(text: str) -> tuple[str, ...]:
    """The kinds asked before pii.NEEDS: by an @, seven digits and a dotted word only."""
    kinds = [pii.EMAIL_ADDRESS] if "@" in text else []
    if sum(c.isdigit() for c in text) >= 7:
        kinds += [pii.PHONE_NUMBER, pii.CREDIT_CARD, pii.IBAN_CODE, pii.US_SSN, pii.IP_ADDRESS]
    if re.search(r"\w\.\w", text):
        kinds.append(pii.URL)
    return tuple(kinds)


@settings(max_examples=300, deadline=None)
@given(st.lists(NEEDY_PIECES, min_size=1, max_size=10).map("".join))
def test_kinds_left_out_would_have_found_nothing(text: str) -> None:
    readable = pii.bounded(text)
    before, now = _asked_before(readable), pii._wanted_kinds(readable)
    assert set(now) <= set(before)
    found_before = list(pii._find_cached(readable, "en", before)) if before else []
    found_now = list(pii._find_cached(readable, "en", now)) if now else []
    assert found_now == found_before, (text, before, now)


def test_needs_leave_kinds_out() -> None:
    # Not vacuous: a price is a dotted word and seven digits, but no URL, IP or card.
    text = "Breeze fleece camp mug, now $288.50; you have 3339 points"
    assert set(_asked_before(text)) - set(pii._wanted_kinds(text)) == {
        pii.URL, pii.IP_ADDRESS, pii.CREDIT_CARD, pii.IBAN_CODE
    }
