"""Masking a recipient's own data: whole words, any case, in every output."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from creepcheck.masking import _replace_ascii_words, mask_text
from creepcheck.models import Profile

ANA = Profile(
    "p1",
    {
        "first_name": "Ana",
        "last_name": "Berg",
        "contact_points": {
            "email": [{"value": "ana.berg@example.org"}],
            "sms": [{"value": "+1 212 555 0101"}],
        },
    },
)


def test_the_recipients_name_email_and_phone_are_masked() -> None:
    text = "Hi ANA Berg, we wrote to ana.berg@example.org and +1 212 555 0101."
    assert mask_text(text, ANA) == "Hi A. B., we wrote to a***@e***.org and +1 *** *** 0101."


def test_a_name_inside_a_longer_word_is_left_alone() -> None:
    assert mask_text("Banana bread for Anastasia", ANA) == "Banana bread for Anastasia"


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_text("Ana Berg, ana.berg@example.org, +1 212 555 0101", ANA)
    assert mask_text(once, ANA) == once


def test_non_ascii_names_are_masked_too() -> None:
    zoe = Profile("p2", {"first_name": "Zoë", "last_name": "Šimek"})
    assert mask_text("Dear ZOË Šimek,", zoe) == "Dear Z. Š.,"


WORDY = st.text(alphabet="abAB _-.@1", max_size=16)


@given(text=WORDY, value=WORDY.filter(bool))
def test_ascii_replacement_matches_the_regular_expression(text: str, value: str) -> None:
    expected = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "M", text, flags=re.I)
    assert _replace_ascii_words(text, value, "M") == expected
