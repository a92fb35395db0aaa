"""Tokenizing stretch by stretch (between whitespace, each stretch once) gives the tokens
tokenizing the whole text gives: on the copy corpus's dev sentences with real-looking
values in them, and on generated texts full of abbreviations, contractions, emoticons,
links, prices and look-alike characters, where spaCy's special cases could in principle
join two stretches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from creepcheck import tuning
from creepcheck.text.pipeline import Tokenizers, tokenize

CORPUS = Path(__file__).resolve().parent / "corpus"


def _both(text: str, language: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], ...]:
    monkeypatch.setattr(tuning, "OPTIMISE", False)
    plain = tokenize(text, language, Tokenizers())
    monkeypatch.setattr(tuning, "OPTIMISE", True)
    return plain, tokenize(text, language, SHARED)


SHARED = Tokenizers()  # shared across texts, as in a run: stretches are reused


def corpus_texts(language: str, split: str = "dev") -> list[str]:
    """The copy corpus's sentences of a split, with their slots filled."""
    items = yaml.safe_load((CORPUS / f"{language}.{split}.yaml").read_text(encoding="utf-8"))
    texts = []
    for item in items:
        text = item["text"]
        for slot, value in (item.get("values") or {}).items():
            text = text.replace("{{ " + slot + " }}", str(value))
        texts.append(text)
    return texts


@pytest.mark.parametrize("language", ["en", "ru"])
def test_dev_corpus_tokens_are_the_same(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus_texts(language)
    assert len(texts) > 100
    for text in texts:
        plain, stretched = _both(text, language, monkeypatch)
        assert stretched == plain, text


PIECES = st.sampled_from(
    [
        "a.m.", "p.m", "e.g.", "i.e.", "U.S.", "Mt.", "Dr.", "St", ".", ",", ":", ")", "(", ":)",
        ";-)", "<3", "don't", "can't", "cannot", "gonna", "y'all", "’s", "'", '"', "«", "»",
        "Hope", "May", "Taiklaidryrk", "О'Брайен", "т.е.", "т. е.", "г.", "ул.", "Зоя", "$288.50",
        "20%", "nt.example.com/s/1d7872fcd4", "will.may@example.org", "+1 212 555 0142", "—",
        "-", "…", "_", "\u00a0", "\u200b", "\u0301", "ﬁ", "рrеgnаnt", "\n", " ", "  ", "\t",
        "...", "?!", "No.", "no.", "vs.", "etc.", "Inc.", "co.", "1st", "2nd", "&", "/", "в т.ч.",
        "в", "т.ч.", "ж/д", "бл-ст.", "д-р", "мед.", "наук", "в н.в.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join), st.sampled_from(["en", "ru"]))
def test_generated_texts_tokenize_the_same(text: str, language: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain, stretched = _both(text, language, monkeypatch)
    assert stretched == plain


@pytest.mark.parametrize("language", ["en", "ru"])
def test_special_cases_that_span_a_space_are_tokenized_whole(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Russian has "в т.ч." and "д-р мед. наук" as single tokens: in any surroundings the
    # stretch-by-stretch path must notice them and answer what spaCy answers.
    rules = [r for r in Tokenizers()(language).rules if len(r.split()) > 1]
    assert rules or language == "en"
    for rule in rules:
        for text in (rule, f"x {rule} y", f"({rule}), y", f"x {rule.upper()} y", f"{rule}."):
            plain, stretched = _both(text, language, monkeypatch)
            assert stretched == plain, text
    plain, stretched = _both("в т.ч. скидки", "ru", monkeypatch)
    assert stretched == plain and plain[0].text == "в т.ч."  # type: ignore[attr-defined]


def test_cut_special_cases_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every special case cut in two by a space is read as two stretches by spaCy too.
    for language in ("en", "ru"):
        for rule in list(Tokenizers()(language).rules):
            if rule.isspace():
                continue
            for cut in range(1, len(rule)):
                if rule[cut - 1].isspace() or rule[cut].isspace():
                    continue
                text = f"x {rule[:cut]} {rule[cut:]} y"
                plain, stretched = _both(text, language, monkeypatch)
                assert stretched == plain, text


TRICKY = [
    "Hello, Ann! You've seen our U.S. store's 3-day sale at https://example.com/a?b=1 — "
    "don't miss it.",
    "cannot won't e.g. etc. Mr. Smith's 10km run :) <3 $10.99 ann@example.com "
    "+1 (555) 010-0142 i.e. 5pm 'quoted' «кавычки» т.е. и т.д. в т.ч. 3-го числа.",
]


@pytest.mark.parametrize("language", ["en", "ru", "xx"])
def test_the_direct_tokenizer_is_spacy_blank(language: str) -> None:
    """`pipeline.blank` skips `spacy.blank`'s scan of installed packages; the tokens and
    their lexical attributes (which presidio's context words read too) are the same."""
    import spacy

    from creepcheck.text.rule_tokenizer import blank

    reference = spacy.blank(language).tokenizer
    direct = blank(language)
    texts = TRICKY + corpus_texts("ru" if language == "ru" else "en")

    def seen(doc: object) -> list[tuple[object, ...]]:
        return [
            (t.text, t.idx, t.is_alpha, t.is_punct, t.is_space, t.like_num, t.is_stop, t.lower_)
            for t in doc  # type: ignore[attr-defined]
        ]

    assert [seen(direct(text)) for text in texts] == [seen(reference(text)) for text in texts]


@pytest.mark.parametrize("text", ["a.m.:)_)", "x:) )", "hi :) ) there", "Thanks :)) )"])
def test_a_special_cases_pieces_across_a_space_keep_the_whole_text_reading(text: str) -> None:
    """spaCy finds a special case's pieces again across a single space: in "x:) )" the
    pieces of ":))" span it, and spaCy leaves ":)" split there. Stretch by stretch, ":)"
    would stay whole; such texts are tokenized whole."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain, stretched = _both(text, "en", monkeypatch)
    assert stretched == plain


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_pieces_spacy_finds_again_are_the_shipped_ones(language: str) -> None:
    from creepcheck.text import rule_tokenizer

    shipped = rule_tokenizer.load(language)
    assert shipped is not None
    assert rule_tokenizer.matched_pieces(rule_tokenizer.blank(language)) == shipped.matched
