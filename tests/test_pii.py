"""find_pii: what counts as personal data in copy, and what does not."""

from __future__ import annotations

import pytest

from creepcheck.text.pii import PiiEntity, find_pii, same_phone


def kinds(text: str, language: str = "en") -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in find_pii(text, language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to tom.becker@example.org today", [("EMAIL_ADDRESS", "tom.becker@example.org")]),
        ("Questions? help@example.com.", [("EMAIL_ADDRESS", "help@example.com")]),
        ("dpo@acme.example signs off", [("EMAIL_ADDRESS", "dpo@acme.example")]),
        ("Пишите на info@shop.ru", [("EMAIL_ADDRESS", "info@shop.ru")]),
    ],
)
def test_emails(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "phone",
    ["+1 212 555 0100", "(212) 555-0100", "212-555-0100", "+44 20 7946 0958", "+7 495 123-45-67"],
)
def test_phones(phone: str) -> None:
    assert kinds(f"Call us on {phone} any time.") == [("PHONE_NUMBER", phone)]


def test_russian_phone() -> None:
    assert kinds("Звоните: 8 (800) 555-35-35", "ru") == [("PHONE_NUMBER", "8 (800) 555-35-35")]


def test_card_needs_luhn_and_an_issuer() -> None:
    assert kinds("Card 4111 1111 1111 1111 on file") == [("CREDIT_CARD", "4111 1111 1111 1111")]
    assert kinds("Card 4111 1111 1111 1112 on file") == []  # fails the Luhn check
    assert kinds("Amex 378282246310005") == [("CREDIT_CARD", "378282246310005")]


def test_iban() -> None:
    assert kinds("IBAN DE89 3704 0044 0532 0130 00") == [
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Only $1,299.00 until 2026-03-01, or €49.99 on 12/03/2026 at 10:00.",
        "Order #4155550123 has shipped. Ref 100234567, invoice 2026-0042.",
        "Your order number 4111111111111111 ships today.",
        "Save 25% on 3 items; 2 for 1 on 500 ml bottles. Open 9-17, Mon-Sat.",
        "Track it at https://shop.example.com/orders/4155550123",
        "Members since 1998 get 20% off 14 February.",
        "",
    ],
)
def test_no_false_positives_on_prices_dates_and_references(text: str) -> None:
    assert [e for e in find_pii(text, "en") if e.kind != "URL"] == []


def test_offsets_point_into_the_text() -> None:
    text = "Tom (tom@example.org) and +1 212 555 0100"
    for entity in find_pii(text, "en"):
        assert isinstance(entity, PiiEntity)
        assert text[entity.start : entity.end] == entity.text
        assert 0 < entity.score <= 1


def test_email_domain_is_not_also_a_url() -> None:
    assert [e.kind for e in find_pii("help@northtrail.example.com", "en")] == ["EMAIL_ADDRESS"]


def test_results_are_cached_per_text() -> None:
    text = "Mail anna@example.net"
    assert find_pii(text, "en") == find_pii(text, "en")


def test_unknown_language_falls_back_to_english() -> None:
    assert kinds("mail anna@example.net", "de") == [("EMAIL_ADDRESS", "anna@example.net")]


def test_same_phone_ignores_formatting_and_country_code() -> None:
    assert same_phone("+1 416 555 0199", "(416) 555-0199")
    assert same_phone("+1-416-555-0199", "14165550199")
    assert not same_phone("+1 416 555 0199", "+1 416 555 0198")


def test_presidio_email_validation_is_offline() -> None:
    from creepcheck.text import pii

    engine = pii._engine()
    recognizers = [
        r for r in engine.registry.recognizers if r.supported_entities == ["EMAIL_ADDRESS"]
    ]
    assert recognizers and all(type(r).__name__ == "OfflineEmailRecognizer" for r in recognizers)
    assert type(engine.nlp_engine).__name__ == "BlankSpacyNlpEngine"
