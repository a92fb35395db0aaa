"""The sensitive-concept knowledge base: the treatments vocabulary and its categories."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

import pytest

from creepcheck.loaders.yamlio import load_yaml_text
from creepcheck.models import SENSITIVE_CATEGORIES
from creepcheck.policy.model import Policy
from creepcheck.render import RenderedMessage
from creepcheck.text import TextAnalyzer
from creepcheck.text.lexicon import builtin_data, builtin_treatments


@cache
def _english() -> TextAnalyzer:
    return TextAnalyzer(Policy(rules={}))


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


# The signs of a state (en.concepts.signs.yaml): each combination read in the copy, and
# a look-alike with the same words that is about something else.
SIGNS = [
    ("We were so sorry to hear about your brother.", "bereavement"),
    ("Planning the wake for your grandmother?", "bereavement"),
    ("Sorting through your dad's things is never easy.", "bereavement"),
    ("We know your hands have been stiff in the mornings.", "health"),
    ("Show off your slimmer figure in our new swimwear.", "weight"),
    ("You voted to leave, so here are our picks.", "political_opinion"),
    ("Hang in there, Maya: the first weeks of chemo are the hardest.", "health"),
    ("Go easy on yourself during Ramadan, Aisha: our dates are half price.", "religion"),
]
SIGN_LOOK_ALIKES = [
    "We were so sorry to hear about your brother's delayed parcel.",
    "In the wake of the storm, your grandmother's favourite café reopens.",
    "Clearing out your son's room for university?",
    "Tired, aching feet after a day on the trail? Your new insoles are here.",
    "Our slimmer fit jeans flatter every figure.",
    "You voted for our best new flavour: the results are in.",
    "Do you use a hearing aid? Our stores have a hearing loop.",
    "Whether you use a walking stick or a wheelchair, our paths are step-free.",
    "Your doctor says hello!",
    "We were so sorry to hear about your delivery.",
    "Hang in there: our chemo fundraiser closes Friday.",
    "Stay strong this winter: our diabetes range is 10% off for everyone.",
]


@pytest.mark.parametrize(("text", "category"), SIGNS)
def test_a_sign_of_a_state_is_read_as_the_readers(text: str, category: str) -> None:
    analysis = _english().analyze(RenderedMessage(text=text), "en")
    assert category in {m.category for m in analysis.find_terms(about_reader=True)}


@pytest.mark.parametrize("text", SIGN_LOOK_ALIKES)
def test_a_sign_said_of_something_else_is_not(text: str) -> None:
    analysis = _english().analyze(RenderedMessage(text=text), "en")
    assert analysis.find_terms(about_reader=True) == []


def test_no_lexicon_file_repeats_a_key() -> None:
    """YAML keeps the last of two equal keys: a second `health:` in one file would drop
    the first one's terms or combinations without a word."""
    from importlib import resources

    import yaml

    repeated: list[str] = []

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
        keys = [loader.construct_object(key) for key, _ in node.value]
        repeated.extend(
            f"line {node.start_mark.line + 1}: {key}" for key in set(keys) if keys.count(key) > 1
        )
        return yaml.SafeLoader.construct_mapping(loader, node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    for item in folder.iterdir():
        if item.name.endswith(".yaml"):
            yaml.load(item.read_text(encoding="utf-8"), Loader=Strict)  # noqa: S506
            assert not repeated, f"{item.name}: {repeated}"


def test_no_lexicon_phrase_reads_as_a_yes_or_no() -> None:
    """YAML 1.1 reads a bare on, off, yes or no as a boolean: in a list of phrases the
    word would silently become "True" or "False" and never match."""
    from importlib import resources

    import yaml

    def scalars_in_lists(node: object) -> list[object]:
        if isinstance(node, list):
            return [x for x in node if not isinstance(x, (str, dict, list))] + [
                y for x in node for y in scalars_in_lists(x)
            ]
        if isinstance(node, dict):
            return [y for value in node.values() for y in scalars_in_lists(value)]
        return []

    folder = resources.files("creepcheck.text").joinpath("lexicons")
    for item in folder.iterdir():
        if item.name.endswith(".yaml"):
            data = yaml.safe_load(item.read_text(encoding="utf-8"))
            assert scalars_in_lists(data) == [], item.name


@pytest.mark.parametrize(
    "text",
    [
        "Your gym membership renews on 1 March.",
        "Our spring sale runs from March to May.",
        "Doors open every Friday in March from 9.",
    ],
)
def test_the_month_of_march_is_not_a_march(text: str) -> None:
    analysis = _english().analyze(RenderedMessage(text=text), "en")
    assert analysis.find_terms() == []


@pytest.mark.parametrize(
    ("text", "tied"),
    [
        ("Ten pounds down and counting! Here's a voucher to celebrate.", {"weight"}),
        ("10 pounds down and counting! Here's a voucher to celebrate.", {"weight"}),
        ("Ten pounds off your first order!", set()),
        ("Two cups of coffee down and counting, Sam!", set()),
    ],
)
def test_a_number_spelled_out_is_a_number(text: str, tied: set[str]) -> None:
    """A "#" in a phrase ("# pounds down") matches "ten" as it matches "10"."""
    analysis = _english().analyze(RenderedMessage(text=text), "en")
    assert {m.category for m in analysis.find_terms(about_reader=True)} == tied


@pytest.mark.parametrize(
    ("text", "tied"),
    [
        ("Ещё минус три килограмма — и вы у цели!", {"weight"}),
        ("Ещё минус 3 килограмма — и вы у цели!", {"weight"}),
        ("Минус три килограмма за месяц: так худеют наши героини.", set()),
    ],
)
def test_a_russian_number_spelled_out_is_a_number(text: str, tied: set[str]) -> None:
    analysis = _english().analyze(RenderedMessage(text=text), "ru")
    assert {m.category for m in analysis.find_terms(about_reader=True)} == tied


@pytest.mark.parametrize(
    ("reader", "path", "says"),
    [
        ("tracked_field", "last_location", True),
        ("tracked_field", "profile.lastSeenAt", True),
        ("tracked_field", "watch_history.title", True),
        ("tracked_field", "location", False),
        ("tracked_field", "home_city", False),
        ("tracked_field", "last_name", False),
        ("person_field", "partner_name", True),
        ("person_field", "pet.name", True),
        ("person_field", "lateMum", True),
        ("person_field", "team", False),
        ("person_field", "pick.name", False),
        ("person_field", "product_name", False),
    ],
)
def test_field_names_say_tracked_behaviour_or_someone_in_the_readers_life(
    reader: str, path: str, says: bool
) -> None:
    from creepcheck.text import fieldnames

    assert getattr(fieldnames, reader)(path) is says


@pytest.mark.parametrize(
    "path",
    sorted(
        (p for p in resources.files("creepcheck.text").joinpath("lexicons").iterdir()
         if p.name.endswith(".yaml")),
        key=str,
    ),
    ids=lambda p: p.name,
)
def test_shipped_lexicon_files_have_no_repeated_key(path: Traversable) -> None:
    """PyYAML keeps the last of two equal keys, so a second `presumed:` under a category
    would silently drop the first list: the strict loader that reads users' files says so."""
    load_yaml_text(path.read_text(encoding="utf-8"), path.name)
