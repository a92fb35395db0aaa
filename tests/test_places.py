"""The gazetteer the tracking reader names places by (creepcheck.text.places)."""

from __future__ import annotations

import re

import pytest

from creepcheck.text.places import place_end


def words(text: str) -> tuple[list[str], list[str]]:
    texts = re.findall(r"'s|\w+|[^\w\s]", text)
    return texts, [t.lower() for t in texts]


@pytest.mark.parametrize(
    ("text", "start", "name"),
    [
        ("Welcome to Lisbon , Dana", 2, "Lisbon"),
        ("How was New York ?", 2, "New York"),
        ("you are near Kings Cross now", 3, "Kings Cross"),
        ("Hope the Big Apple treated you well", 1, "the Big Apple"),
    ],
)
def test_a_place_name_is_found_where_it_ends(text: str, start: int, name: str) -> None:
    texts, low = words(text)
    end = place_end(texts, low, start, "en")
    assert end is not None
    assert " ".join(texts[start:end]) == name


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Welcome to London Fashion Week", 2),  # the name goes on: an event
        ("Welcome to London's best café", 2),  # a possessive: London's something
        ("Welcome to NorthTrail", 2),  # not a place
        ("Welcome to lisbon", 2),  # written without a capital
        ("Welcome to Reading", 2),  # a place that is also a common word
        ("Welcome to Florence", 2),  # and one that is also a first name
    ],
)
def test_no_place_where_the_name_is_not_one(text: str, start: int) -> None:
    texts, low = words(text)
    assert place_end(texts, low, start, "en") is None


def test_a_language_without_a_gazetteer_names_no_place() -> None:
    texts, low = words("Добро пожаловать в Казань")
    assert place_end(texts, low, 3, "ru") is None
