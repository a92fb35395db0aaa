"""The compiled built-in lexicons (creepcheck/text/lexicon_snapshot.py): fresh, the same
lexicon as one built from the YAML with any policy's terms, and never trusted when their
stamp is not the running code's and data's."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from creepcheck.policy.loader import load_policy
from creepcheck.text import TextAnalyzer, lexicon_snapshot
from creepcheck.text.lexicon import Lexicon

STALE = "a shipped lexicon snapshot is stale: run `python scripts/compile_lexicons.py`"
REPO = Path(__file__).resolve().parent.parent


def _shipped(language: str) -> dict[str, object]:
    folder = REPO / "creepcheck" / "text" / "lexicons"
    data = pickle.loads((folder / lexicon_snapshot.snapshot_file(language)).read_bytes())  # noqa: S301
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_shipped_snapshot_is_what_the_yaml_builds(language: str) -> None:
    shipped = _shipped(language)
    assert shipped["stamp"] == lexicon_snapshot.stamp(language), STALE
    assert shipped == lexicon_snapshot.packed(lexicon_snapshot.built(language)), STALE


def _same(restored: Lexicon, built: Lexicon) -> None:
    assert restored.sensitive.entries == built.sensitive.entries
    assert restored.sensitive.by_first == built.sensitive.by_first
    assert restored.sensitive.by_two == built.sensitive.by_two
    assert restored.class_index.entries == built.class_index.entries
    assert restored.cue_index == built.cue_index
    assert restored.combinations == built.combinations
    for name in ("examples", "categories", "treatments", "classes", "given_names", "fillers"):
        assert getattr(restored, name) == getattr(built, name), name


@pytest.mark.parametrize("policy", ["builtin:default", "policies/house.yaml"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_restored_lexicon_with_a_policys_terms_is_the_one_built_from_yaml(
    policy: str, language: str
) -> None:
    loaded = load_policy(policy, REPO)
    restored = TextAnalyzer(loaded).lexicon(language)
    built = TextAnalyzer(loaded, snapshots=False).lexicon(language)
    assert lexicon_snapshot.restored(language, {}, lambda phrase: ()) is not None, STALE
    _same(restored, built)
    if policy != "builtin:default" and language == "en":  # the house policy's own terms
        assert any(e.term == "your platinum status" for e in restored.sensitive.entries)
        # and only its lexicon holds them: the next one starts from the snapshot again
        bare = TextAnalyzer(load_policy("builtin:default", REPO)).lexicon(language)
        assert not any(e.term == "your platinum status" for e in bare.sensitive.entries)


def test_a_snapshot_with_another_stamp_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon_snapshot._shipped.cache_clear()  # noqa: SLF001
    monkeypatch.setattr(lexicon_snapshot, "stamp", lambda language: "edited-lexicon")
    try:
        assert lexicon_snapshot.restored("en", {}, lambda phrase: ()) is None
        analyzer = TextAnalyzer(load_policy("builtin:default", REPO))
        assert analyzer.analyze_text("Congratulations on your pregnancy!", "en").find_terms()
    finally:
        lexicon_snapshot._shipped.cache_clear()  # noqa: SLF001


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Congratulations on your pregnancy! Since your husband passed, we miss him."),
        ("en", "Our sympathy flowers are 20% off this week."),
        ("ru", "Поздравляем с беременностью, Марина!"),
    ],
)
def test_the_copy_reads_the_same_with_either_lexicon(language: str, text: str) -> None:
    policy = load_policy("policies/house.yaml", REPO)
    with_snapshot = TextAnalyzer(policy).analyze_text(text, language).find_terms()
    without = TextAnalyzer(policy, snapshots=False).analyze_text(text, language).find_terms()
    assert with_snapshot == without
