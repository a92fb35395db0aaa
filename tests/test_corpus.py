"""The copy corpus (tests/corpus/): schema, allowed values, coverage, sizes, the held-out share.

The corpus measures the copy rules; these tests only keep it well formed. They read
the YAML files and never run a rule. tests/corpus/README.md is the schema's reference.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

CORPUS = Path(__file__).parent / "corpus"
LANGUAGES = ("en", "ru")
SPLITS = ("dev", "heldout")
FILES = tuple(f"{language}.{split}.yaml" for language in LANGUAGES for split in SPLITS)

RULES = ("CC201", "CC204", "CC301", "none")
LEXICON_CATEGORIES = (
    "health", "pregnancy", "sexual_orientation", "religion", "ethnicity", "political_opinion",
    "trade_union", "financial_hardship", "criminal_record", "disability", "bereavement",
)  # fmt: skip
SENSITIVE_CATEGORIES = (*LEXICON_CATEGORIES, "divorce", "job_loss", "weight")
TRACKING_CATEGORIES = (
    "page_views", "visit_times", "places", "pickups", "email_opens", "time_on_page",
    "searches", "attendance",
)  # fmt: skip
RECALL_CATEGORIES = ("store", "amount", "date", "count", "item_detail", "sequence")
CATEGORIES_OF_RULE = {
    "CC201": SENSITIVE_CATEGORIES,
    "CC204": TRACKING_CATEGORIES,
    "CC301": RECALL_CATEGORIES,
    "none": (*SENSITIVE_CATEGORIES, *TRACKING_CATEGORIES, *RECALL_CATEGORIES, "general"),
}
INFERENCE_CONSTRUCTIONS = (
    "paraphrase", "question", "imperative", "identity_address", "slot_value", "implication",
)  # fmt: skip
CONSTRUCTIONS = (*INFERENCE_CONSTRUCTIONS, "statement", "hypothetical")
ABOUT = ("reader", "third_party", "nobody")
REQUIRED_KEYS = {"text", "rule", "category", "construction", "about"}
OPTIONAL_KEYS = {"values"}

MIN_ITEMS = {"en": 1500, "ru": 300}
# "about 30 %" of each language when written; the held-out files are frozen while issue 12
# keeps adding dev items (English and Russian tracking and recall, Russian inference), so
# the share can only fall: at least a tenth (blind probes, written by other hands and scored
# once before being added to dev, are the other unseen measure; see README).
HELDOUT_SHARE = {"en": (0.10, 0.33), "ru": (0.10, 0.33)}
MIN_LOOKALIKE_SHARE = 1 / 3

# The held-out files are frozen once written (README: "Never tune on held-out"). A
# deliberate change updates the digest here, with the reason in the commit message.
HELDOUT_SHA256 = {
    "en.heldout.yaml": "01295f0a78a6dcab6788d999f8e555814890ab7f7e9e44c464b68bbd5f0f5224",
    "ru.heldout.yaml": "f1ed870860bf0920300507277fdb984b4b4577023462974ca54d141397f7d615",
}

SLOT = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
TEMPLATE_MARKUP = re.compile(r"\{[{%#]|[}%#]\}")


@cache
def items_of(name: str) -> tuple[dict[str, Any], ...]:
    loaded = yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, list), f"{name}: expected a list of items"
    return tuple(loaded)


def items_in(language: str) -> list[dict[str, Any]]:
    return [item for split in SPLITS for item in items_of(f"{language}.{split}.yaml")]


def slots_of(text: str) -> set[str]:
    return set(SLOT.findall(text))


def rendered(item: dict[str, Any]) -> str:
    values = item.get("values") or {}
    return SLOT.sub(lambda match: str(values[match.group(1)]), item["text"])


def problems_of(item: object) -> list[str]:
    """What is wrong with one item, in words; empty when it is well formed."""
    if not isinstance(item, dict):
        return [f"expected a mapping, got {type(item).__name__}"]
    problems = []
    if missing := REQUIRED_KEYS - item.keys():
        problems.append(f"missing keys {sorted(missing)}")
    if unknown := item.keys() - REQUIRED_KEYS - OPTIONAL_KEYS:
        problems.append(f"unknown keys {sorted(unknown)}")
    if problems:
        return problems
    text, values = item["text"], item.get("values", {})
    if not isinstance(text, str) or not text.strip():
        return ["text: expected a non-empty string"]
    if item["rule"] not in RULES:
        problems.append(f"rule: expected one of {RULES}, got {item['rule']!r}")
    elif item["category"] not in CATEGORIES_OF_RULE[item["rule"]]:
        problems.append(f"category {item['category']!r} is not allowed with rule {item['rule']}")
    if item["construction"] not in CONSTRUCTIONS:
        problems.append(
            f"construction: expected one of {CONSTRUCTIONS}, got {item['construction']!r}"
        )
    if item["construction"] == "hypothetical" and item["rule"] != "none":
        problems.append("construction hypothetical is for look-alikes (rule: none) only")
    if item["about"] not in ABOUT:
        problems.append(f"about: expected one of {ABOUT}, got {item['about']!r}")
    if not isinstance(values, dict) or not all(
        isinstance(value, str | int | float) and not isinstance(value, bool)
        for value in values.values()
    ):
        return [*problems, "values: expected a mapping of slot names to strings or numbers"]
    if TEMPLATE_MARKUP.search(SLOT.sub("", text)):
        problems.append("text: only plain {{ name }} slots are allowed")
    if unvalued := slots_of(text) - values.keys():
        problems.append(f"slots without a value: {sorted(unvalued)}")
    if unused := values.keys() - slots_of(text):
        problems.append(f"values not used by the text: {sorted(unused)}")
    if item["construction"] == "slot_value" and not slots_of(text):
        problems.append("construction slot_value needs a {{ slot }} in the text")
    return problems


@pytest.mark.parametrize("name", FILES)
def test_every_item_follows_the_schema(name: str) -> None:
    problems = [
        f"{name} item {number} ({item.get('text', '?') if isinstance(item, dict) else item!r}): {problem}"
        for number, item in enumerate(items_of(name), start=1)
        for problem in problems_of(item)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"text": "Hi {{ name }}", "rule": "CC201", "category": "health", "construction": "question",
          "about": "reader"}, "slots without a value: ['name']"),
        ({"text": "Hi", "values": {"name": "Jo"}, "rule": "CC201", "category": "health",
          "construction": "question", "about": "reader"}, "values not used by the text: ['name']"),
        ({"text": "Hi", "rule": "CC999", "category": "health", "construction": "question",
          "about": "reader"}, "rule: expected one of"),
        ({"text": "Hi", "rule": "CC204", "category": "health", "construction": "question",
          "about": "reader"}, "category 'health' is not allowed with rule CC204"),
        ({"text": "Hi {% if x %}", "rule": "none", "category": "general", "construction": "statement",
          "about": "nobody"}, "only plain {{ name }} slots"),
        ({"text": "Hi", "rule": "CC201", "category": "health", "construction": "hypothetical",
          "about": "reader"}, "for look-alikes (rule: none) only"),
        ({"text": "Hi", "rule": "CC201", "category": "health", "construction": "question",
          "about": "reader", "note": "x"}, "unknown keys ['note']"),
    ],
)  # fmt: skip
def test_the_schema_check_rejects_malformed_items(item: dict[str, Any], expected: str) -> None:
    assert any(expected in problem for problem in problems_of(item)), problems_of(item)


def test_no_sentence_appears_twice_across_files() -> None:
    seen: dict[str, str] = {}
    repeated = []
    for name in FILES:
        for item in items_of(name):
            sentence = " ".join(rendered(item).casefold().split())
            if sentence in seen:
                repeated.append(f"{sentence!r} in {seen[sentence]} and {name}")
            seen.setdefault(sentence, name)
    assert not repeated, "\n".join(repeated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sizes_and_shares(language: str) -> None:
    items = items_in(language)
    heldout = len(items_of(f"{language}.heldout.yaml"))
    lookalikes = sum(item["rule"] == "none" for item in items)
    assert len(items) >= MIN_ITEMS[language]
    low, high = HELDOUT_SHARE[language]
    assert low <= heldout / len(items) <= high
    assert lookalikes / len(items) >= MIN_LOOKALIKE_SHARE


@pytest.mark.parametrize("name", ["en.dev.yaml", "en.heldout.yaml"])
def test_english_covers_every_sensitive_category_and_construction(name: str) -> None:
    firing = Counter(
        (i["category"], i["construction"]) for i in items_of(name) if i["rule"] == "CC201"
    )
    lookalike = Counter(
        (i["category"], i["construction"]) for i in items_of(name) if i["rule"] == "none"
    )
    gaps = [
        f"{category} × {construction}: {firing[category, construction]} firing, "
        f"{lookalike[category, construction]} look-alikes"
        for category in SENSITIVE_CATEGORIES
        for construction in INFERENCE_CONSTRUCTIONS
        if not firing[category, construction] or not lookalike[category, construction]
    ]
    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("name", ["en.dev.yaml", "en.heldout.yaml"])
@pytest.mark.parametrize("rule", ["CC204", "CC301"])
def test_english_covers_tracking_and_recall_with_and_without_slots(name: str, rule: str) -> None:
    items = items_of(name)
    gaps = []
    for category in CATEGORIES_OF_RULE[rule]:
        firing = [i for i in items if i["rule"] == rule and i["category"] == category]
        if not any(slots_of(i["text"]) for i in firing):
            gaps.append(f"{category}: no firing item with a slot")
        if not any(not slots_of(i["text"]) for i in firing):
            gaps.append(f"{category}: no firing item without a slot")
        if not any(i["rule"] == "none" and i["category"] == category for i in items):
            gaps.append(f"{category}: no look-alike")
    assert not gaps, "\n".join(gaps)


def test_russian_covers_every_lexicon_category_tracking_and_recall() -> None:
    items = items_in("ru")
    present = {(i["rule"], i["category"]) for i in items}
    firing_categories = {category for rule, category in present if rule != "none"}
    lookalike_categories = {category for rule, category in present if rule == "none"}
    gaps = [
        category
        for category in LEXICON_CATEGORIES
        if category not in firing_categories or category not in lookalike_categories
    ]
    assert not gaps
    for rule in ("CC204", "CC301"):
        assert {category for r, category in present if r == rule} == set(CATEGORIES_OF_RULE[rule])


@pytest.mark.parametrize(("name", "digest"), sorted(HELDOUT_SHA256.items()))
def test_heldout_files_are_frozen(name: str, digest: str) -> None:
    assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == digest, (
        f"{name} changed: the held-out split is frozen (tests/corpus/README.md)"
    )


def corpus_score() -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "corpus_score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus_score", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_scorer_counts_hits_misses_false_alarms_and_others() -> None:
    scorer = corpus_score()

    def item(number: int, rule: str, category: str) -> Any:
        return scorer.CorpusItem(
            "en", "dev", number, f"text {number}", {}, rule, category, "question"
        )

    items = [
        item(1, "CC201", "health"),  # fires: a hit
        item(2, "CC201", "health"),  # quiet: a miss
        item(3, "none", "health"),  # fires: a false alarm
        item(4, "none", "health"),  # quiet
        item(5, "CC204", "searches"),  # fires CC201 too: counted apart
    ]
    fired = {"en-dev-0001": {"CC201"}, "en-dev-0003": {"CC201"}, "en-dev-0005": {"CC201", "CC204"}}
    scores = scorer.score(items, fired)
    health = scores["en", "CC201", "health"]
    assert (health.labelled, health.hits, health.lookalikes, health.false_alarms) == (2, 1, 2, 1)
    assert (health.recall, health.precision) == (0.5, 0.5)
    assert [missed.number for missed in health.missed] == [2]
    assert scores["en", "CC201", "searches"].on_others == 1
    assert scores["en", "CC204", "searches"].hits == 1


def test_the_scorer_renders_slot_values_from_the_profile_in_both_languages() -> None:
    scorer = corpus_score()
    items = [
        scorer.CorpusItem(
            "en", "dev", 1, "Congratulations on your {{ news }}!", {"news": "pregnancy"},
            "CC201", "pregnancy", "slot_value",
        ),
        scorer.CorpusItem(
            "ru", "dev", 1, "Поздравляем с {{ news }}!", {"news": "беременностью"},
            "CC201", "pregnancy", "slot_value",
        ),
        scorer.CorpusItem(
            "en", "dev", 2, "Hello {{ missing }}", {}, "none", "general", "statement",
        ),
    ]  # fmt: skip
    fired, troubles = scorer.fired_codes(items)
    assert "CC201" in fired["en-dev-0001"]  # SPEC section 2's own example, through a slot
    assert "CC201" in fired["ru-dev-0001"]
    # Only the item without its value renders an empty field.
    assert [trouble.split(":")[0] for trouble in troubles] == ["en-dev-0002"]


def test_the_scorer_refuses_to_list_heldout_misses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        corpus_score().main(["--split", "heldout", "--misses"])
    assert exit_info.value.code == 2
    assert "never tune on held-out" in capsys.readouterr().err


def test_the_scorer_gives_the_reader_a_history_unless_told_not_to(tmp_path: Path) -> None:
    scorer = corpus_score()
    item = scorer.CorpusItem(
        "ru", "heldout", 7, "Привет, {{ first_name }}!", {"first_name": "Олег"},
        "none", "general", "statement",
    )  # fmt: skip
    for history in (True, False):
        root = tmp_path / str(history)
        scorer.build_repository([item], root, history=history)
        folder = root / "campaigns" / "ru-heldout-0007"
        campaign = yaml.safe_load((folder / "campaign.yaml").read_text("utf-8"))
        [profile] = yaml.safe_load((folder / "profiles.yaml").read_text("utf-8"))
        assert campaign["language"] == "ru"
        assert campaign["messages"] == [{"channel": "sms", "body": "Привет, {{ first_name }}!"}]
        assert profile["first_name"] == "Олег"
        assert ("behavior" in profile, "purchases" in profile) == (history, history)
