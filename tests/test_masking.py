"""Masking a recipient's own data: whole words, any case, in every output."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creepcheck.errors import Problem
from creepcheck.loaders.yamlio import describe
from creepcheck.models import Profile
from creepcheck.privacy.masking import _replace_ascii_words, mask_text, personal_field
from creepcheck.privacy.outbound import (
    VALUE_CLOSE,
    VALUE_OPEN,
    input_value,
    outbound,
    unmarked,
    visible,
)

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


def test_every_name_field_is_masked_surname_and_nickname_too() -> None:
    milo = Profile(
        "p3",
        {"given_name": "Milo", "surname": "Okafor", "nickname": "Bright", "preferred_name": "Mo"},
    )
    assert mask_text("Milo Okafor, aka Bright or Mo", milo) == "M. O., aka B. or M."


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


# --- more categories: birth dates, relatives, documents ---------------------------------

RELATED = Profile(
    "p3",
    {
        "first_name": "Ana",
        "birth_date": date(1984, 3, 12),
        "passport_number": "X1234567",
        "bank": {"iban": "DE89 3704 0044 0532 0130 00"},
        "household": {"spouse": {"name": "Marco Rossi"}, "children": ["Lia Rossi"]},
        "emergency_contact": {"name": "Pia Neri", "phone": "+1 212 555 0177"},
        "purchases": [{"name": "Trail shoes"}],
    },
)


def test_birth_dates_relatives_and_documents_are_masked_by_their_field_names() -> None:
    text = (
        "Born 1984-03-12 (March 12, 1984), married to Marco Rossi, mother of Lia; "
        "passport X1234567; call Pia Neri on +1 212 555 0177."
    )
    assert mask_text(text, RELATED) == (
        "Born ****-**-** (***** **, ****), married to M. R., mother of L.; "
        "passport ****4567; call P. N. on +1 *** *** 0177."
    )


def test_a_product_named_under_name_is_not_personal() -> None:
    assert mask_text("Your Trail shoes", RELATED) == "Your Trail shoes"


def test_personal_fields_match_whole_words_at_the_start_of_a_key() -> None:
    assert personal_field("spouse_name") == personal_field("Partner-Phone") == "name"
    assert personal_field("bank_account_number") == personal_field("passport_no") == "number"
    assert personal_field("date_of_birth") == "date"
    assert personal_field("loyalty_card") is None
    assert personal_field("name") is None  # a product's or a store's name


def test_card_iban_and_ssn_numbers_keep_only_their_last_four() -> None:
    text = "Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 078-05-1120."
    assert mask_text(text) == (
        "Card **** **** **** 1111, IBAN **** **** **** **** **54 32, SSN ***-**-1120."
    )


# --- the outbound boundary -------------------------------------------------------------

QUOTED = f"consents.email.status: expected one of granted, none, got {describe('jane@example.org')}"


def test_a_quoted_input_value_is_masked_and_the_rest_of_the_message_is_not() -> None:
    assert outbound(QUOTED) == (
        'consents.email.status: expected one of granted, none, got "j***@e***.org"'
    )


def test_show_pii_shows_quoted_values_and_copy_in_full() -> None:
    assert outbound(QUOTED, show_pii=True) == unmarked(QUOTED)
    copy = "Born 1984-03-12, married to Marco Rossi, passport X1234567"
    assert outbound(copy, profile=RELATED, show_pii=True, from_input=True) == copy


def test_creepcheck_own_numbers_are_never_masked() -> None:
    own = [
        "blocked by the sandbox: range() of 1000000000 items exceeds the limit of 10000",
        "output exceeds the limit of 2000000 characters",
        "loops ran more than 5000000 steps",
        'duplicate id "a" (first on line 1234567)',
        "Recalls 12 facts about the person (at most 3 allowed)",
    ]
    for text in own:
        assert outbound(text) == text
        assert outbound(text, profile=ANA) == text


def test_a_numeric_input_value_is_still_masked() -> None:
    assert outbound(f"got {input_value('2125550101')}") == "got ******0101"


def test_a_long_value_is_masked_before_it_is_cut() -> None:
    value = "x" * 20 + " jane.doe@example.org and more text after the address"
    shown = outbound(f"got {describe(value)}")
    assert "jane" not in shown and "exam" not in shown
    assert shown == f'got "{"x" * 20} j***@e***.org and …"'


def test_evidence_cut_at_an_address_does_not_show_its_start() -> None:
    assert outbound("Ask jane.doe@exam…", from_input=True) == "Ask j***@***…"
    assert outbound("x" * 10 + " jane.doe@example.org", from_input=True, limit=20) == (
        "x" * 10 + " j***@e**…"
    )


def test_control_characters_and_escape_sequences_are_made_visible() -> None:
    text = "c1\n::error::Forged\x1b]52;c;cHduZWQ=\x07\x1b[2J\rX\u202eY\u200bZ\x9b"
    assert visible(text) == ("c1⏎::error::Forged␛]52;c;cHduZWQ=␇␛[2J␍X<U+202E>Y<U+200B>Z<U+009B>")
    assert outbound(text, show_pii=True) == visible(text)
    assert "\n" not in outbound("a\nb", from_input=True)
    assert outbound("a\n\tb\rc", from_input=True, keep_layout=True) == "a\n\tb␍c"


def test_a_value_cannot_close_its_own_quote_mark() -> None:
    forged = f"{VALUE_CLOSE}jane@example.org{VALUE_OPEN}"
    assert outbound(f"got {input_value(forged)}") == "got j***@e***.org"


def test_problems_print_through_the_boundary() -> None:
    problem = Problem("p\n::error::x.csv", QUOTED, 3)
    assert str(problem) == (
        "p⏎::error::x.csv:3: consents.email.status: expected one of granted, none, "
        'got "j***@e***.org"'
    )
    assert "jane@example.org" in problem.shown(show_pii=True)


@pytest.mark.parametrize(
    "text",
    [
        "a." * 50_000 + "a",  # an email's local part that never reaches an @
        "a@" * 50_000,
        "1 " * 50_000 + "x",  # a phone number's digits that never end
        "1-" * 50_000,
        "(1) " * 25_000,
        "1" * 100_000,
        "AB12 " * 20_000,
    ],
    ids=["dotted", "ats", "spaced-digits", "dashed-digits", "bracketed", "digits", "iban-ish"],
)
def test_masking_is_linear_on_adversarial_text(text: str) -> None:
    started = time.perf_counter()
    outbound(text, from_input=True)
    outbound(f"got {input_value(text)}")
    assert time.perf_counter() - started < 2


def test_a_value_cut_where_an_excerpt_was_cut_is_masked() -> None:
    assert mask_text("…ssi said hi to Marco Ros…", RELATED) == "…*** said hi to M. R***…"
    assert mask_text("passport X123…", RELATED) == "passport X***…"
    assert mask_text("a rose garden…", RELATED) == "a rose garden…"  # not a personal value


def test_a_number_under_a_relatives_field_is_masked_as_a_number() -> None:
    family = Profile("p4", {"household": {"income": 85000, "partner_id": "PX-7731"}})
    assert mask_text("Income 85000, partner PX-7731", family) == "Income ***00, partner P."
