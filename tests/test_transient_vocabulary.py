"""spaCy keeps every new word it meets. Copy is tokenized by the shipped rules, which
keep nothing; presidio's engine tokenizes with spaCy, so a chunk of an audience is
checked inside `TextAnalyzer.transient()`, after which the words spaCy first met in it
are forgotten, so a run over unique names and links does not grow by them. The
readings are unchanged."""

from __future__ import annotations

from pathlib import Path

from creepcheck.policy.loader import load_policy
from creepcheck.render.message import RenderedMessage
from creepcheck.text import TextAnalyzer
from creepcheck.text.rule_tokenizer import blank


def _message(number: int) -> RenderedMessage:
    return RenderedMessage(
        text=f"Hi Zelvorin{number}, your code QX{number:06d}ZT is ready: call 555-0142 or "
        f"visit https://shop.example.com/u/{number:08x} or write to zel{number}@example.com."
    )


def _words(analyzer: TextAnalyzer, number: int) -> list[tuple[str, str]]:
    analysis = analyzer.analyze(_message(number), "en")
    found = [(entity.kind, entity.text) for entity in analysis.pii]  # presidio reads it
    return [(token.text, token.lemma) for token in analysis.tokens] + found


def test_words_first_met_inside_the_block_are_forgotten() -> None:
    analyzer = TextAnalyzer(load_policy("builtin:default", Path(".")))
    _words(analyzer, 0)  # builds the tokenizer and learns the message's common words
    strings = blank("en").vocab.strings
    before = len(strings)
    with analyzer.transient():
        for number in range(1, 200):
            _words(analyzer, number)
        assert len(strings) > before + 100  # the new names and codes were learned ...
    assert len(strings) == before  # ... and forgotten


def test_tokenizing_copy_teaches_spacy_nothing() -> None:
    analyzer = TextAnalyzer(load_policy("builtin:default", Path(".")))
    strings = blank("en").vocab.strings
    before = len(strings)
    for number in range(400, 450):
        assert analyzer.analyze(_message(number), "en").tokens
    assert len(strings) == before


def test_readings_inside_the_block_are_those_outside_it() -> None:
    outside = TextAnalyzer(load_policy("builtin:default", Path(".")))
    inside = TextAnalyzer(load_policy("builtin:default", Path(".")))
    expected = [_words(outside, number) for number in range(300, 320)]
    with inside.transient():
        got = [_words(inside, number) for number in range(300, 320)]
    assert got == expected
    # and read again after the block, from the analyzer's caches
    assert [_words(inside, number) for number in range(300, 320)] == expected
