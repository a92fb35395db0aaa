"""Sentences, tokens, lemma matching and reader attribution in creepcheck.text."""

from __future__ import annotations

from functools import cache

import pytest

from creepcheck.policy.model import Policy
from creepcheck.render import RenderedMessage, Span
from creepcheck.text import Analysis, TextAnalyzer


@cache
def _analyzer() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}, categories={"gambling": {"en": ("betting slip",)}}))


def analyze(text: str, language: str = "en") -> Analysis:
    return _analyzer().analyze(RenderedMessage(text), language)


def sentences(text: str, language: str = "en") -> list[str]:
    return [s.text for s in analyze(text, language).sentences]


def test_blank_line_and_punctuation_end_sentences() -> None:
    assert sentences("Big news\n\nHi Jane. Are you ready? Go!") == [
        "Big news",
        "Hi Jane.",
        "Are you ready?",
        "Go!",
    ]


def test_single_newline_is_a_wrap_inside_a_sentence() -> None:
    text = "A consolidation loan rolls your\ncards into one payment."
    assert sentences(text) == [text]


def test_single_newline_before_a_capital_ends_a_heading() -> None:
    assert sentences("Flu shots in store\nFlu shots are here.") == [
        "Flu shots in store",
        "Flu shots are here.",
    ]


def test_salutation_line_is_its_own_sentence() -> None:
    assert sentences("Hi Colin,\nStruggling with debt?")[-1] == "Struggling with debt?"


def test_abbreviations_and_closing_quotes() -> None:
    assert sentences('He said "hello." Then e.g. this works.') == [
        'He said "hello."',
        "Then e.g. this works.",
    ]


def test_sentence_offsets_index_the_text() -> None:
    text = "Subject line\n\nHi Jane,\n\nCongratulations on your pregnancy!"
    analysis = analyze(text)
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
    assert analysis.sentence_at(text.index("pregnancy")).text.startswith("Congratulations")
    assert analysis.sentence_at(len(text) + 5) is None


def test_tokens_have_lemmas_and_second_person() -> None:
    sentence = analyze("You're expecting twins and your debts grew.").sentences[0]
    by_text = {t.text: t for t in sentence.tokens}
    assert by_text["debts"].lemma == "debt"
    assert "expect" in by_text["expecting"].lemmas
    assert by_text["You"].second_person and by_text["your"].second_person
    assert sentence.addresses_reader


def test_russian_tokens_have_lemmas_and_person() -> None:
    sentence = analyze("Ждёте малыша? Узнайте больше.", "ru").sentences[0]
    assert sentence.tokens[0].lemma == "ждать"
    assert sentence.tokens[0].second_person
    assert sentence.tokens[1].lemma == "малыш"


@pytest.mark.parametrize(
    ("text", "language", "category"),
    [
        ("Your pregnancies", "en", "pregnancy"),
        ("Congratulations, mum to be!", "en", "pregnancy"),
        ("Congratulations, mum-to-be!", "en", "pregnancy"),
        ("Поздравляем с беременностью!", "ru", "pregnancy"),
        ("Вы беременны?", "ru", "pregnancy"),
        ("Проблемы с долгами?", "ru", "financial_hardship"),
        ("Your betting slips are saved.", "en", "gambling"),
    ],
)
def test_terms_match_on_lemmas(text: str, language: str, category: str) -> None:
    terms = analyze(text, language).find_terms(about_reader=True)
    assert [t.category for t in terms] == [category]


def test_term_offsets_map_back_through_folding() -> None:
    text = "Congratulations on your pr\u0435g\u200bnancy!"
    (term,) = analyze(text).find_terms()
    assert text[term.start : term.end] == "pr\u0435g\u200bnancy"
    assert term.text == "pr\u0435g\u200bnancy"


def test_longest_match_and_ignore_list() -> None:
    terms = analyze("Your data loss report and your pregnancy test.").find_terms()
    assert [(t.term, t.kind) for t in terms] == [("pregnancy test", "goods")]
    # "weight loss" is no longer ignored: it is a term of the weight category
    weight = analyze("Your weight loss plan is ready.").find_terms()
    assert [t.category for t in weight] == ["weight"]
    assert "weight loss" in weight[0].text.lower()


def test_unless_drops_an_ambiguous_term() -> None:
    assert not analyze("Your payment due date is 5 May.").find_terms()


@pytest.mark.parametrize(
    ("text", "reader"),
    [
        ("Congratulations on your pregnancy!", "congratulation"),
        ("Your diabetes, your way.", "possessive"),
        ("You're expecting!", "subject"),
        ("As a diabetic, you know this.", "as"),
        ("Struggling with debt?", "question"),
        ("Beat debt for good.", "imperative"),
        ("We're so sorry. Your loss is felt by all of us.", "condolence"),
        ("Our maternity range is here.", None),
        ("Our pharmacist can answer your questions about diabetes.", None),
        ("You can shop our pregnancy range.", None),
        ("Diabetes care at every store.", None),
        ("New range for expectant mums.", None),
        ("Support your local food bank.", None),
    ],
)
def test_reader_attribution(text: str, reader: str | None) -> None:
    terms = analyze(text).find_terms()
    assert terms, text
    assert terms[-1].reader == reader


def test_cues_and_phrases() -> None:
    analysis = analyze("Happy birthday, Jane! We looked at your basket.")
    assert [c.text for c in analysis.cues("birthday_greeting")] == ["Happy birthday"]
    assert [p.text for p in analysis.find_phrases(["look at"])] == ["looked at"]
    assert [p.text for p in analysis.find_phrases(["=look at"])] == []


def test_analysis_is_cached_per_block() -> None:
    analyzer = _analyzer()
    first = analyzer.analyze(RenderedMessage("Static text here.\n\nHi Ann"), "en")
    second = analyzer.analyze(RenderedMessage("Static text here.\n\nHi Bob"), "en")
    assert first.sentences[0].reading is second.sentences[0].reading


def test_pii_is_lazy_and_delegates() -> None:
    analysis = analyze("Write to jane.doe@example.org today.")
    assert "pii" not in analysis.__dict__
    assert any("jane.doe@example.org" in analysis.text[e.start : e.end] for e in analysis.pii)


def test_value_spans_are_not_needed_for_analysis() -> None:
    rendered = RenderedMessage("Hi Faith", spans=(Span(0, 8, "t", 1),))
    assert analyze(rendered.text).sentences[0].text == "Hi Faith"
