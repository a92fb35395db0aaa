"""What a profile field's name says its value is (lexicons/fields.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from creepcheck.models import dotted_path

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Printed values that state nothing ("Your medication: none").
EMPTY_ANSWERS = frozenset(
    {"none", "n/a", "na", "no", "yes", "true", "false", "unknown", "-", "0", "нет", "да"}
)


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    data = yaml.safe_load(folder.joinpath("fields.yaml").read_text(encoding="utf-8")) or {}
    return {
        str(word).lower(): str(category)
        for category, words in (data.get("categories") or {}).items()
        for word in words or ()
    }


@lru_cache(maxsize=1)
def _tracked() -> frozenset[str]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    data = yaml.safe_load(folder.joinpath("fields.yaml").read_text(encoding="utf-8")) or {}
    return frozenset(str(word).lower() for word in data.get("tracked") or ())


def field_words(path: str) -> list[str]:
    """The words of a field path's last segment: `lastMedication_name` -> last,
    medication, name."""
    last = dotted_path(path).rsplit(".", 1)[-1]
    return [w.lower() for w in _WORD.findall(last)]


@lru_cache(maxsize=4096)
def sensitive_field(path: str) -> str | None:
    """The sensitive category a field's name reveals its value to be, or None."""
    words = field_words(path)
    vocabulary = _vocabulary()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            category = vocabulary.get("".join(words[i : i + size]))
            if category is not None:
                return category
    return None


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    data = yaml.safe_load(folder.joinpath("fields.yaml").read_text(encoding="utf-8")) or {}
    return frozenset(str(word).lower() for word in data.get("person") or ())


@lru_cache(maxsize=4096)
def person_field(path: str) -> bool:
    """Whether a field's name says its value is a person or a pet in the reader's life:
    `partner_name`, `late_mum`, `pet.name`."""
    people = _people()
    for segment in dotted_path(path).split("."):
        words = [w.lower() for w in _WORD.findall(segment)]
        if people.intersection(words) or "".join(words) in people:
            return True
    return False


@lru_cache(maxsize=4096)
def tracked_field(path: str) -> bool:
    """Whether a field's name, or the name of a record it sits in, says its value is
    the reader's tracked behaviour: `last_location`, `watch_history.title`."""
    tracked = _tracked()
    for segment in dotted_path(path).split("."):
        words = [w.lower() for w in _WORD.findall(segment)]
        if any(
            "".join(words[i : i + size]) in tracked
            for size in (3, 2, 1)
            for i in range(len(words) - size + 1)
        ):
            return True
    return False


def states_nothing(value: str) -> bool:
    """Whether a printed value says nothing about the person: empty, punctuation, or an
    empty answer such as "none" or "n/a"."""
    text = value.strip().lower()
    return not any(ch.isalnum() for ch in text) or text in EMPTY_ANSWERS
