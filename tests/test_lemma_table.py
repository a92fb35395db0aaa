"""The shipped English lemma table (creepcheck/text/lemma_table.py): fresh, answering
what lemminflect answers, and never trusted when its stamp is not the installed
lemminflect's."""

from __future__ import annotations

import random

import pytest
from lemminflect import getAllLemmas

from creepcheck.text import lemma_table, morph

STALE = "the shipped lemma table is stale: run `python scripts/compile_lexicons.py`"


def test_the_shipped_table_is_what_lemminflect_holds() -> None:
    shipped = lemma_table.load()
    assert shipped is not None, STALE
    assert shipped == lemma_table.built(), STALE


def test_the_table_answers_what_lemminflect_answers() -> None:
    table = lemma_table.load()
    assert table is not None, STALE
    words = random.Random(3).sample(sorted(table), 3000)
    words += ["running", "went", "feet", "better", "you're", "children", "mice", "data"]
    words += ["qzxv", "taiklaidryrk", "", "don't", "isn't"]  # out of its vocabulary
    for word in words:
        assert lemma_table.lemmas_by_pos(table, word) == dict(getAllLemmas(word)), word


def test_words_read_with_the_table_read_as_with_lemminflect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    words = ["running", "pregnant", "sober", "divorced", "grieving", "redundancies", "Maya"]
    words = [w.lower() for w in words] + ["cheques", "brexit", "ivf"]
    morph.english.cache_clear()
    with_table = [morph.english(w) for w in words]
    monkeypatch.setattr(lemma_table, "load", lambda: None)
    morph.english.cache_clear()
    try:
        assert [morph.english(w) for w in words] == with_table
    finally:
        morph.english.cache_clear()


def test_a_table_with_another_stamp_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    lemma_table.load.cache_clear()
    monkeypatch.setattr(lemma_table, "stamp", lambda: "lemminflect=0.0.0")
    try:
        assert lemma_table.load() is None
    finally:
        lemma_table.load.cache_clear()
