"""Word-class combinations (creepcheck.text.lexicon.Combination): two ordinary words that
together, in one clause, carry a sensitive category, and how the reader reading applies
to each part."""

from __future__ import annotations

from functools import cache

import pytest

from creepcheck.policy.model import Policy
from creepcheck.text import TextAnalyzer
from creepcheck.text.lexicon import GIVEN_NAME, Lexicon, builtin_data


@cache
def _analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={}))


def _readings(text: str, language: str = "en") -> dict[str, set[str | None]]:
    """category -> how each of its combination matches is tied to the reader."""
    analysis = _analyzer()._analyze_text_uncached(text, language)
    out: dict[str, set[str | None]] = {}
    combined = {c.entry.term for c in _analyzer().lexicon(language).combinations}
    for term in analysis._terms:
        if term.term in combined:
            out.setdefault(term.category, set()).add(term.reader)
    return out


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We were so sorry to hear your wife died in March.", "bereavement"),
        ("Your stepdad's funeral is on Friday, so we've paused your deliveries.", "bereavement"),
        ("Rent late again this month? Talk to us first.", "financial_hardship"),
        ("Can't cover the gas bill this winter? We can spread it.", "financial_hardship"),
        ("How is your hip after the surgery?", "health"),
        ("Dividing up your assets with a mediator? We can help.", "divorce"),
        ("Your donation to the Labour campaign was received, thank you.", "political_opinion"),
        ("Preparing for your new arrival? Our cot sets are 20% off.", "pregnancy"),
    ],
)
def test_a_combination_said_of_the_reader_fires(text: str, category: str) -> None:
    readings = _readings(text)
    assert category in readings, readings
    assert readings[category] - {None}, readings


@pytest.mark.parametrize(
    "text",
    [
        # a part held by someone else
        "Worried about a friend's finances? Our free guide explains the options.",
        "Helping a neighbour whose husband died? Send a meal kit.",
        # a hypothetical
        "If your rent is ever late, call us before the due date.",
        # the same words in an innocent sense
        "Your dad will be dead keen on our new barbecue.",
        "Never miss a payment: set up a direct debit today.",
        "Take 5 pounds off your order with code SPRING.",
        "Your new bike is 2 kg lighter than the old model.",
        "Your sentence of the day: learn Spanish with us.",
        "Your son lost his phone? Our trackers find it.",
        "Take the weight off your feet with our recliners.",
        # different clauses
        "Your mum will love it. Delivery died down over Easter, so order now.",
    ],
)
def test_look_alikes_do_not_fire(text: str) -> None:
    readings = _readings(text)
    assert not any(r - {None} for r in readings.values()), readings


def test_every_combination_names_classes_that_exist() -> None:
    for language in ("en", "ru"):
        data = builtin_data(language)
        classes = set(data.get("classes") or {}) | {GIVEN_NAME}
        for category, combinations in (data.get("combinations") or {}).items():
            for combination in combinations:
                missing = set(combination["all"]) - classes
                assert not missing, f"{language} {category}: unknown classes {missing}"
                assert len(combination["all"]) >= 2, combination


def test_an_ordered_combination_needs_its_order() -> None:
    data = {
        "classes": {"left": ["late"], "right": ["husband"]},
        "combinations": {"bereavement": [{"all": ["left", "right"], "ordered": True}]},
    }
    analyzer = _analyzer()
    lexicon = Lexicon("en", data, {}, lambda p: analyzer.compile(p, "en"), treatments={})
    from creepcheck.text.pipeline import tokenize

    def combined(text: str) -> list[str]:
        tokens = tokenize(text, "en", analyzer._tokenizers)
        return [m.entry.category for m in lexicon.match(tokens) if m.parts]

    assert combined("In memory of your late husband.") == ["bereavement"]
    assert combined("Your husband is running late.") == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Счета за свет копятся? Мы поможем.", "financial_hardship"),
        ("Коммуналка опять просрочена? Поможем разбить платёж.", "financial_hardship"),
    ],
)
def test_a_russian_combination_said_of_the_reader_fires(text: str, category: str) -> None:
    readings = _readings(text, "ru")
    assert readings.get(category, set()) - {None}, readings


@pytest.mark.parametrize(
    "text",
    ["Ваш брат опоздал на поезд.", "Копите на отпуск? Кэшбэк 5% на кредитку."],
)
def test_russian_look_alikes_do_not_fire(text: str) -> None:
    assert not any(r - {None} for r in _readings(text, "ru").values())
