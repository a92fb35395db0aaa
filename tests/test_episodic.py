"""The reader's own occasion named with "the" (creepcheck.text.episodic), and the aid
used by the reader asked about with no subject (goods_frames.adjusting_to)."""

from __future__ import annotations

from functools import cache

import pytest

from creepcheck.policy.model import Policy
from creepcheck.render import RenderedMessage
from creepcheck.text import TextAnalyzer


@cache
def _english() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}))


def _tied(text: str) -> set[str]:
    analysis = _english().analyze(RenderedMessage(text=text), "en")
    return {m.category for m in analysis.find_terms(about_reader=True)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("After everything with the court case, we thought you deserved a break.",
         "criminal_record"),
        ("The bailiffs came again this week, didn't they? Talk to us.", "financial_hardship"),
        ("The morning sickness should ease soon, so here is 10% off ginger tea for you.",
         "pregnancy"),
        ("Using a wheelchair on holiday? Our accessible cabins have wider doors.",
         "disability"),
        ("Wearing hearing aids to the concert? Our earplugs fit around them.", "disability"),
    ],
)  # fmt: skip
def test_the_readers_own_occasion_is_read(text: str, category: str) -> None:
    assert category in _tied(text)


@pytest.mark.parametrize(
    "text",
    [
        # a public event, not one person's
        "The strike on the trains is going ahead on Monday, so plan your journey.",
        "The Pride parade passes our store on Saturday, come and say hi!",
        # the term names what a following noun is about
        "The divorce rate fell again this year, you might be surprised to learn.",
        "The weight loss challenge starts Monday, join us!",
        # the event in general: a modal, a quantifier, no occasion
        "The menopause can be tough, so read our guide before you decide.",
        "The menopause is coming for all of us, so stock up on our cooling spray.",
        # no one is spoken to
        "The court case went on for three weeks.",
        # buying, not using
        "Buying a wheelchair for your dad? Ask about our trade-in.",
    ],
)
def test_an_event_in_general_or_someone_elses_is_not(text: str) -> None:
    assert _tied(text) == set()
