"""The sensitive-concept knowledge base: the treatments vocabulary and its categories."""

from __future__ import annotations

from creepcheck.models import SENSITIVE_CATEGORIES
from creepcheck.text.lexicon import builtin_data, builtin_treatments


def test_treatments_vocabulary_has_300_entries_each_in_a_known_category() -> None:
    data = builtin_treatments("en")["treatments"]
    known = set(SENSITIVE_CATEGORIES) | set(builtin_data("en")["categories"])
    names = []
    for category, by_condition in data.items():
        assert category in known, category
        for condition, entries in by_condition.items():
            assert condition and entries, (category, condition)
            names += [str(name).lower() for name in entries]
    assert len(names) >= 300
    assert len(names) == len(set(names)), "a treatment is listed under two conditions"


def test_every_lexicon_category_is_a_known_category() -> None:
    assert set(builtin_data("en")["categories"]) <= set(SENSITIVE_CATEGORIES)


def test_life_event_categories_explain_themselves() -> None:
    from creepcheck.rules.sensitive_inference import IMPLIES

    assert {"divorce", "job_loss", "weight"} <= set(IMPLIES)
    assert set(SENSITIVE_CATEGORIES) <= set(IMPLIES)
