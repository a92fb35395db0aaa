"""The trained category model (creepcheck/text/category_model.py): shipped fresh,
reproducible from the corpus, and read only where a sentence speaks to the reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creepcheck.policy.model import Policy
from creepcheck.text import TextAnalyzer, category_model, category_training
from tests.stub_models import one_word_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SHIPPED = Path(category_model.__file__).parent / "lexicons" / "en.categories.json"
STALE = "the shipped category model is stale: run `python scripts/train_category_model.py`"
HARDSHIP = (
    "Rebuilding after a rough few years with creditors isn't easy, Luis, which is why our "
    "secured card was made for fresh starts like yours: $200 limit, no annual fee."
)


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={}))


def test_the_shipped_model_was_trained_on_todays_corpus() -> None:
    data = json.loads(SHIPPED.read_text("utf-8"))
    assert data["stamp"] == category_training.stamp(CORPUS, "en"), STALE


def test_training_again_gives_the_shipped_weights() -> None:
    shipped = json.loads(SHIPPED.read_text("utf-8"))
    again = json.loads(json.dumps(category_training.build(CORPUS, "en")))
    for key in ("stamp", "threshold", "classes", "common", "silent"):
        assert again[key] == shipped[key], STALE
    zero = [0.0] * len(shipped["classes"])
    features = set(shipped["weights"]) | set(again["weights"])
    # rounding to three places may fall either side on another processor
    drift = max(
        abs(a - b)
        for f in features
        for a, b in zip(shipped["weights"].get(f, zero), again["weights"].get(f, zero), strict=True)
    )
    assert drift <= 0.002, STALE


def test_russian_has_no_model() -> None:
    # cross-validated on the Russian development split it added no hit (see the training script)
    assert category_model.load("ru") is None


def test_features_are_lemmas_pairs_numbers_and_you_without_names(analyzer: TextAnalyzer) -> None:
    sentence = analyzer.analyze_text("Maya, your 3 refills are ready.", "en").sentences[0]
    found = category_model.features(sentence.tokens, "en")
    assert {"refill", "be ready", category_model.NUMBER, category_model.YOU} <= found
    assert "your <num>" in found and "<num> refill" in found
    assert not any("maya" in f for f in found)


def test_a_paraphrase_said_to_the_reader_is_read_with_its_words(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze_text(HARDSHIP, "en")
    [hit] = analysis.category_hits
    assert hit.category == "financial_hardship"
    assert hit.probability >= category_model.load("en").threshold  # type: ignore[union-attr]
    words = [analysis.text[a:b] for a, b in hit.words]
    assert words and "Luis" not in words and all(w in HARDSHIP for w in words)


def test_the_same_words_said_to_no_one_are_not_read(analyzer: TextAnalyzer) -> None:
    third = (
        "Rebuilding after a rough few years with creditors isn't easy for Luis, which is why "
        "our secured card was made for fresh starts like his."
    )
    analysis = analyzer.analyze_text(third, "en")
    model = category_model.load("en")
    assert model is not None
    # the words alone lean to the category; no "you", question or imperative: not the
    # reader's, at any bar
    found = category_model.features(analysis.sentences[0].tokens, "en")
    assert model.hit(found, category_model.LEANING) is not None
    assert analysis.category_hits == () and analysis.category_leanings == ()


def test_a_hit_belongs_to_one_sentence_of_its_window(analyzer: TextAnalyzer) -> None:
    text = HARDSHIP + " Apply in two minutes today."
    hits = analyzer.analyze_text(text, "en").category_hits
    assert len(hits) == 1
    assert hits[0].sentence.text.startswith("Rebuilding")


def test_the_bar_is_lower_where_the_sender_changed_the_readers_service(
    analyzer: TextAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model that reads "pause" as health at 0.7: under its own bar (0.8) a sentence
    with the word says nothing; where the sender says it paused the reader's service, or
    repeats the reader's request, the bar is `ACCOMMODATED` and the same reading is a hit."""
    model = one_word_model("pause", "health")
    monkeypatch.setattr(category_model, "load", lambda language: model)
    assert category_model.ACCOMMODATED < 0.7 < model.threshold
    plain = "Did you know you can pause deliveries over the summer holidays?"
    assert analyzer.analyze_text(plain, "en").category_hits == ()
    for changed in (
        "We've paused your supper box deliveries until the spring.",
        "Your supper box is on pause until April, as you asked.",
    ):
        [hit] = analyzer.analyze_text(changed, "en").category_hits
        assert hit.category == "health" and 0.65 < hit.probability < 0.75
