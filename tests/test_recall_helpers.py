"""The shared reading helpers of the recall rules, and the `specificity` the engine reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from creepcheck.rules.specificity_budget import SpecificityBudget, specificity
from creepcheck.text.quantities import amounts, numbers, past_times
from creepcheck.text.recall import Sentence, same_stem, stem, words

TODAY = date(2026, 3, 2)  # a Monday


def sentence(text: str) -> Sentence:
    return Sentence(0, len(text), text, words(text))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("loafers", "loafer"),
        ("boxes", "box"),
        ("лоферы", "лоферов"),
        ("чёрные", "черных"),
        ("кожаные", "кожаных"),
        ("Тверская", "Тверской"),
        ("ботинки", "ботинок"),
    ],
)
def test_inflected_forms_share_a_stem(a: str, b: str) -> None:
    assert same_stem(stem(a), stem(b))


@pytest.mark.parametrize(("a", "b"), [("loafer", "loaf"), ("care", "card"), ("лоферы", "ботинки")])
def test_different_words_do_not(a: str, b: str) -> None:
    assert not same_stem(stem(a), stem(b))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last week you bought loafers", "last week"),
        ("and green ones the week before", "the week before"),
        ("you ordered them 6 days ago", "6 days ago"),
        ("на прошлой неделе вы купили лоферы", "на прошлой неделе"),
        ("а неделей раньше — зелёные", "неделей раньше"),
        ("вчера вы 3 раза открывали страницу", "вчера"),
        ("thanks for dropping by on Saturday afternoon", "on saturday"),  # a visit that Saturday
        ("you ordered loafers on February 24", "february 24"),
    ],
)
def test_past_times(text: str, expected: str) -> None:
    spans = past_times(sentence(text), [date(2026, 2, 28), date(2026, 2, 24)], TODAY)
    assert [text.lower()[a:b] for a, b in spans] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "15% off this week, until Sunday",
        "Bring it to our repair day on 20 March",
        "24/7 support for your waxed canvas jacket",
        "Sale ends Sunday",
        "скидка до воскресенья",
        "Thanks for your recent purchase",
    ],
)
def test_not_past_times(text: str) -> None:
    assert past_times(sentence(text), [date(2026, 3, 1)], TODAY) == []


def test_amounts_in_several_notations() -> None:
    found = [v for _, _, v in amounts(sentence("$89.99, 189.00 USD, 9 400 ₽, 1,299.50 EUR, 15%"))]
    assert found == [89.99, 189.0, 9400.0, 1299.5]


def test_numbers_in_words_and_digits() -> None:
    assert [v for *_, v in numbers(sentence("three times, 2 pairs, трижды, две"))] == [3, 2, 3, 2]


def test_specificity_counts_distinct_facts_without_the_name(tmp_path: Path) -> None:
    from tests.ruleharness import run_rule
    from tests.test_rule_cases import _run_context

    seen: list[int] = []

    class Probe(SpecificityBudget):
        def check(self, subject):  # type: ignore[no-untyped-def]
            seen.append(specificity(subject))
            return super().check(subject)

    profile = {
        "attributes": {"city": "Toronto"},
        "purchases": [{"item": "Loafers", "at": "2026-02-20", "store": "Queen St"}],
    }
    template = (
        "{{ first_name }}, your {{ purchases[0].item }} from {{ purchases[0].store }} "
        "in {{ attributes.city }}; {{ attributes.city }} again."
    )
    findings = run_rule(
        Probe(), tmp_path, template=template, profile=profile, run=_run_context("builtin:default")
    )
    assert seen == [3]
    assert findings == []


@pytest.mark.parametrize("bought", [date.min, date.max])
def test_a_purchase_at_either_end_of_the_calendar_is_compared_without_overflow(
    bought: date,
) -> None:
    from creepcheck.text.quantities import _same_day

    assert _same_day(bought, bought.day, bought.month, None)
    assert not _same_day(bought, 15, 6, None)
