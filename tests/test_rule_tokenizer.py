"""The shipped tokenizer rules (creepcheck/text/rule_tokenizer.py): fresh, giving spaCy's
tokens and lexical attributes on real and generated copy, never used when stale, and
enough to read copy without importing spaCy."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creepcheck.text import rule_tokenizer
from creepcheck.text.rule_tokenizer import blank
from tests.test_tokenize_stretches import PIECES as STRETCH_PIECES
from tests.test_tokenize_stretches import corpus_texts

LEXICONS = Path(rule_tokenizer.__file__).parent / "lexicons"
STALE = "a shipped tokenizer table is stale: run `python scripts/compile_lexicons.py`"


def _seen_spacy(language: str, text: str) -> list[tuple[object, ...]]:
    return [(t.idx, t.text, t.is_space, t.is_alpha, t.is_punct) for t in blank(language)(text)]


def _seen_rules(language: str, text: str) -> list[tuple[object, ...]]:
    shipped = rule_tokenizer.load(language)
    assert shipped is not None, STALE
    return [(t.idx, t.text, t.is_space, t.is_alpha, t.is_punct) for t in shipped(text)]


@cache
def _corpus_texts(language: str) -> list[str]:
    return corpus_texts(language, "dev") + corpus_texts(language, "heldout")


@pytest.mark.parametrize("language", rule_tokenizer.LANGUAGES)
def test_the_shipped_rules_are_spacys(language: str) -> None:
    data = json.loads((LEXICONS / rule_tokenizer.table_file(language)).read_text("utf-8"))
    assert data["stamp"] == rule_tokenizer.stamp(), STALE
    assert data["rules"] == json.loads(json.dumps(rule_tokenizer.built(language))), STALE


@pytest.mark.parametrize("language", ["en", "ru"])
def test_corpus_tokens_are_spacys(language: str) -> None:
    texts = _corpus_texts(language)
    assert len(texts) > 500
    for text in texts:
        assert _seen_rules(language, text) == _seen_spacy(language, text), text
    other = _corpus_texts("ru" if language == "en" else "en")[:100]
    for text in texts[:300] + other:  # the multi-language rules too, on both alphabets
        assert _seen_rules("xx", text) == _seen_spacy("xx", text), text
    for text in other:
        assert _seen_rules(language, text) == _seen_spacy(language, text), text


@pytest.mark.parametrize("language", rule_tokenizer.LANGUAGES)
def test_every_special_case_in_any_surroundings(language: str) -> None:
    shipped = rule_tokenizer.load(language)
    assert shipped is not None, STALE
    for rule in shipped.rules:
        for text in (rule, f"x {rule} y", f"({rule}),", f"«{rule}»", f"{rule}.", f"{rule}{rule}",
                     f"x  {rule}\n\ty", rule.upper(), rule.title(), f"'{rule}'s"):
            assert _seen_rules(language, text) == _seen_spacy(language, text), text


PIECES = st.one_of(
    STRETCH_PIECES,
    st.sampled_from(
        [
            "https://", "www.", "example.com", "?u=", "#", "@", "10:30", "3x", "'s", "n't",
            "'ll", "[", "]", "*", "=", "2026-03-28", "£", "€", "°C", "½", "️", "🙂", "😢",
            "1,000", "4.5", "%", "™", "®",
        ]
    ),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14).map("".join), st.sampled_from(["en", "ru", "xx"]))
def test_generated_texts_tokenize_as_spacy_does(text: str, language: str) -> None:
    assert _seen_rules(language, text) == _seen_spacy(language, text)


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=40), st.sampled_from(["en", "ru", "xx"]))
def test_any_text_tokenizes_as_spacy_does(text: str, language: str) -> None:
    assert _seen_rules(language, text) == _seen_spacy(language, text)


def test_a_table_with_another_stamp_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    rule_tokenizer.load.cache_clear()
    monkeypatch.setattr(rule_tokenizer, "stamp", lambda: "spacy=0.0.0")
    try:
        assert rule_tokenizer.load("en") is None
    finally:
        rule_tokenizer.load.cache_clear()


def test_reading_copy_does_not_import_spacy() -> None:
    script = (
        "import sys\n"
        "from creepcheck.text.pipeline import Tokenizers, tokenize\n"
        "tokens = tokenize(\"Congrats on the new baby, Ann! Don't miss it.\", 'en', Tokenizers())\n"
        "assert [t.text for t in tokens][:4] == ['Congrats', 'on', 'the', 'new'], tokens\n"
        "assert 'spacy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
