"""A change made to the reader's own service (creepcheck.text.service_change), which lowers
the trained model's bar in its window."""

from __future__ import annotations

import pytest

from creepcheck.policy import Policy
from creepcheck.text import TextAnalyzer, category_model
from creepcheck.text.service_change import changed_for_reader
from tests.stub_models import one_word_model


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={}))


def _changed(analyzer: TextAnalyzer, text: str) -> bool:
    [sentence] = analyzer.analyze_text(text, "en").sentences
    return changed_for_reader(sentence.reading.tokens, analyzer.lexicon("en"))


@pytest.mark.parametrize(
    "text",
    [
        "Bluefin Cruises has changed your booking to a single cabin.",
        "Tellwave: your plan's been moved to our Essentials tier.",
        "Your GoldPlus card now pays your monthly dues.",
        "Your Larder Club box has changed: the brie is out and the cheddar is in.",
        "We've quietly taken the wine off your weekly order.",
        "You've been moved to our Essentials tier, as your contract ended.",
    ],
)
def test_a_change_made_to_the_readers_service(analyzer: TextAnalyzer, text: str) -> None:
    assert _changed(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Switch your plan today and save 20%.",  # an offer to change
        "We'd love to move your deliveries to a greener slot.",  # an intent
        "Has your plan changed since last year?",  # a question
        "We have changed our opening hours for the summer.",  # not the reader's
        "You have a new change of address form to sign.",  # a noun, no change made
        "You've paid your membership every month since January.",  # the reader's act
    ],
)
def test_offers_intents_questions_and_the_senders_own_changes_are_not(
    analyzer: TextAnalyzer, text: str
) -> None:
    assert not _changed(analyzer, text)


def test_the_model_bar_drops_where_the_change_is_read(
    analyzer: TextAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stub model that reads "cabin" as bereavement at 0.7: silent under its own bar,
    a hit where the sentence says the reader's booking was changed."""
    model = one_word_model("cabin", "bereavement")
    monkeypatch.setattr(category_model, "load", lambda language: model)
    assert category_model.ACCOMMODATED < 0.7 < model.threshold
    offer = "Upgrade to a single cabin on your next cruise and save 20%."
    assert analyzer.analyze_text(offer, "en").category_hits == ()
    changed = "Bluefin Cruises has changed your booking to a single cabin."
    [hit] = analyzer.analyze_text(changed, "en").category_hits
    assert hit.category == "bereavement"
