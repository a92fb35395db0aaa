"""The shipped phrase tables (creepcheck/text/phrase_table.py): fresh, used, and never
trusted when their stamp is not the running code's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creepcheck.policy.loader import load_policy
from creepcheck.text import TextAnalyzer, phrase_table

STALE = "a shipped phrase table is stale: run `python scripts/compile_lexicons.py`"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_shipped_table_is_what_the_lexicon_compiles(language: str) -> None:
    shipped = phrase_table.load(language)
    assert shipped, STALE
    assert dict(shipped) == phrase_table.built_pieces(language), STALE


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_lexicon_from_the_table_matches_as_one_compiled_now(language: str) -> None:
    policy = load_policy("builtin:default", Path("."))
    with_table = TextAnalyzer(policy).lexicon(language)
    without = TextAnalyzer(policy, phrase_tables=False).lexicon(language)
    assert with_table.sensitive.entries == without.sensitive.entries
    assert with_table.class_index.entries == without.class_index.entries
    assert with_table.cue_index == without.cue_index


def test_a_table_with_another_stamp_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    phrase_table.load.cache_clear()
    monkeypatch.setattr(phrase_table, "stamp", lambda: "edited-reader")
    try:
        assert phrase_table.load("en") == {}
    finally:
        phrase_table.load.cache_clear()


def test_the_table_round_trips_through_its_json() -> None:
    pieces = {
        "pregnant": (frozenset({"pregnant"}),),
        "12-week": (frozenset({"12"}), frozenset({"week"})),
        "ждёте": (frozenset({"ждёте", "ждать"}),),
    }
    data = json.loads(phrase_table.dump(pieces))
    assert data["stamp"] == phrase_table.stamp()
    assert {k: tuple(frozenset(t) for t in v) for k, v in data["pieces"].items()} == pieces
