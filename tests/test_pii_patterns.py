"""The shipped presidio patterns (creepcheck/text/pii_patterns.py): fresh, and never
saying "nothing can match" of a text where presidio's engine finds something."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creepcheck.text import pii, pii_patterns

LEXICONS = Path(pii_patterns.__file__).parent / "lexicons"
STALE = "the shipped PII pattern table is stale: run `python scripts/compile_lexicons.py`"


def test_the_shipped_table_is_presidios() -> None:
    data = json.loads((LEXICONS / pii_patterns.TABLE_FILE).read_text("utf-8"))
    assert data["stamp"] == pii_patterns.stamp(), STALE
    assert data["patterns"] == json.loads(json.dumps(pii_patterns.built(pii._engine(), pii.KINDS, pii.LANGUAGES))), STALE
    assert set(data["patterns"]["en"]) == set(pii.KINDS) - {pii.PHONE_NUMBER}


def test_the_phone_recognizer_uses_the_leniency_asked_here() -> None:
    recognizers = pii._engine().registry.get_recognizers(
        language="en", entities=[pii.PHONE_NUMBER], all_fields=False
    )
    assert [r.leniency for r in recognizers] == [pii_patterns.PHONE_LENIENCY]


PIECES = st.sampled_from(
    [
        "fe80::1", "::", "2001:db8::ff00:42:8329", "10.0.0.1", "192.168.1", "a:b", "12:30",
        "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "4111 1111 1111 1111",
        "078-05-1120", "078 05 1120", "078051120", "example.com", "www.example.org/x",
        "$288.50", "3339", "nt.example.com/s/1d7872fcd4", " ", ", ", ".", ":", "-", "call ",
        "\n", "user@example.com", "20%", "+1 212 555 0142", "(555) 010-0142", "5551234567",
        "2026-03-28", "on 3 May", "8 800 555-35-35", "+7 495 123-45-67", "Order #12345678",
        "ann@", "@example", "x", "Zoë",
    ]
)
KINDS = st.lists(st.sampled_from(pii.KINDS), min_size=1, unique=True).map(tuple)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8).map("".join), KINDS, st.sampled_from(["en", "ru"]))
def test_a_text_said_to_hold_nothing_holds_nothing(
    text: str, kinds: tuple[str, ...], language: str
) -> None:
    if pii_patterns.may_match(text, language, kinds, pii.PHONE_REGIONS[language]):
        return
    assert not pii._engine().analyze(text=text, language=language, entities=list(kinds))


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("You bought beans for $18.5 at our Lakeview shop on 2026-03-28.", pii.US_SSN, False),
        ("You bought beans for $18.5 at our Lakeview shop on 2026-03-28.", pii.PHONE_NUMBER, False),
        ("Call us on +1 212 555 0142.", pii.PHONE_NUMBER, True),
        ("Your SSN 078-05-1120 is on file.", pii.US_SSN, True),
        ("Write to ann@example.com", pii.EMAIL_ADDRESS, True),
        ("Write to us", pii.EMAIL_ADDRESS, False),
    ],
)
def test_what_may_match(text: str, kind: str, expected: bool) -> None:
    assert pii_patterns.may_match(text, "en", (kind,), pii.PHONE_REGIONS["en"]) is expected


def test_a_table_with_another_stamp_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    pii_patterns._table.cache_clear()
    pii_patterns._compiled.cache_clear()
    monkeypatch.setattr(pii_patterns, "stamp", lambda: "presidio-analyzer=0.0.0")
    try:
        assert pii_patterns.may_match("Write to us", "en", (pii.EMAIL_ADDRESS,), ())
    finally:
        pii_patterns._table.cache_clear()
        pii_patterns._compiled.cache_clear()


PERSONAL_PROBE = """
import sys
from creepcheck.text.pii import PERSONAL_KINDS, find_pii
text = ("Shop the deals: https://northtrail.example.com/stoves\\n\\n"
        "NorthTrail Outfitters, 100 Example Way, Portland, OR 97201")
assert find_pii(text, "en", PERSONAL_KINDS) == []
print("presidio_analyzer" in sys.modules)
"""


def test_personal_data_is_not_looked_for_where_only_a_link_can_match() -> None:
    # A link and a postcode: presidio would find the link, but nothing personal can match.
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", PERSONAL_PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
    text = "Call us on +1 212 555 0142 or see https://northtrail.example.com/stoves"
    assert [e.kind for e in pii.find_pii(text, "en", pii.PERSONAL_KINDS)] == [pii.PHONE_NUMBER]
