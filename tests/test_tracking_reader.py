"""The tracking-act reader (creepcheck/text/tracking.py): what it reads, and that it
reads hostile copy in linear time."""

from __future__ import annotations

import time

import pytest

from creepcheck.policy import load_policy
from creepcheck.render import RenderedMessage
from creepcheck.text import TextAnalyzer
from creepcheck.text.tracking import TrackingAct, acts_in


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(load_policy("builtin:default", "."))


def _acts(analyzer: TextAnalyzer, text: str, language: str = "en") -> list[TrackingAct]:
    analysis = analyzer.analyze(RenderedMessage(text), language)
    return [act for s in analysis.sentences for act in acts_in(s, language)]


@pytest.mark.parametrize(
    ("text", "language", "kind", "details"),
    [
        ("We saw you looked at our pricing page 3 times yesterday.", "en", "view",
         {"observed", "count", "time"}),
        ("You were at our Elm St store on Tuesday at 6pm.", "en", "visit", {"place", "time"}),
        ("You've missed 3 spin classes.", "en", "attendance", {"count"}),
        ("Вы открыли наше письмо 3 раза.", "ru", "open", {"count"}),
        ("Вы были в нашем магазине во вторник.", "ru", "visit", {"place", "time"}),
    ],
)  # fmt: skip
def test_an_act_names_its_kind_and_details(
    analyzer: TextAnalyzer, text: str, language: str, kind: str, details: set[str]
) -> None:
    [act] = [a for a in _acts(analyzer, text, language) if a.discloses]
    assert act.words.split()[0].lower() in text.lower()
    assert act.kind == kind
    assert details <= {d.kind for d in act.details}


@pytest.mark.parametrize(
    "text",
    [
        "87 shoppers viewed this today.",
        "Visit our Elm St store on Tuesday at 6pm.",
        "If you stopped by on Saturday, show this email.",
        "Thanks for shopping with us!",
        "Our store opens at 9.",
    ],
)
def test_look_alikes_disclose_nothing(analyzer: TextAnalyzer, text: str) -> None:
    assert not any(a.discloses for a in _acts(analyzer, text))


@pytest.mark.parametrize("sentence", ["you viewed " * 40000, "we viewed " * 40000])
def test_a_sentence_of_many_acts_is_read_in_linear_time(
    analyzer: TextAnalyzer, sentence: str
) -> None:
    [reading] = [s.reading for s in analyzer.analyze(RenderedMessage(sentence), "en").sentences]
    from creepcheck.text.tracking import read_acts

    start = time.perf_counter()
    read_acts(reading.tokens, "en")
    assert time.perf_counter() - start < 8.0  # quadratic work here took minutes


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("чек на 1 " * 20000, "ru"),
        ("ваши 5 ₽ " * 20000, "ru"),
        ("Покупка на 1 " * 20000, "ru"),
        ("the order you made " * 20000, "en"),
    ],
)
def test_purchase_recall_reads_long_copy_in_linear_time(sentence: str, language: str) -> None:
    from creepcheck.text import purchases

    start = time.perf_counter()
    purchases.read(sentence, [(0, len(sentence))], language)
    assert time.perf_counter() - start < 8.0  # unbounded lookaheads here took minutes
