"""What a profile field's name says its value is (lexicons/fields.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
def _data() -> dict[str, object]:
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    data = yaml.safe_load(folder.joinpath("fields.yaml").read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    categories = _data().get("categories")
    if not isinstance(categories, dict):
        return {}
    return {
        str(word).lower(): str(category)
        for category, words in categories.items()
        for word in words or ()
    }


@lru_cache(maxsize=4)
def _listed(key: str) -> frozenset[str]:
    """A list of field-name words in fields.yaml (`tracked`, `person`)."""
    words = _data().get(key)
    if not isinstance(words, list):
        return frozenset()
    return frozenset(str(word).lower() for word in words)


def _segments(path: str) -> list[list[str]]:
    """The words of each segment of a field path: `watchHistory.last` -> [watch,
    history], [last]."""
    return [[w.lower() for w in _WORD.findall(part)] for part in dotted_path(path).split(".")]


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


@lru_cache(maxsize=4096)
def person_field(path: str) -> bool:
    """Whether a field's name says its value is a person or a pet in the reader's life:
    `partner_name`, `late_mum`, `pet.name`."""
    people = _listed("person")
    return any(
        people.intersection(words) or "".join(words) in people for words in _segments(path)
    )


@lru_cache(maxsize=1024)
def handle_field(path: str) -> bool:
    """Whether a field's name says its value is the person's handle on a network:
    `github_handle`, `instagram`, `twitter_username`."""
    handles = _listed("handle")
    return any(handles.intersection(words) for words in _segments(path))


@lru_cache(maxsize=4096)
def tracked_field(path: str) -> bool:
    """Whether a field's name, or the name of a record it sits in, says its value is
    the reader's tracked behaviour: `last_location`, `watch_history.title`."""
    tracked = _listed("tracked")
    return any(
        "".join(words[i : i + size]) in tracked
        for words in _segments(path)
        for size in (3, 2, 1)
        for i in range(len(words) - size + 1)
    )


def states_nothing(value: str) -> bool:
    """Whether a printed value says nothing about the person: empty, punctuation, or an
    empty answer such as "none" or "n/a"."""
    text = value.strip().lower()
    return not any(ch.isalnum() for ch in text) or text in EMPTY_ANSWERS


@dataclass(frozen=True)
class PurchaseFields:
    """The field names of purchase records (`purchases:` in fields.yaml)."""

    lists: tuple[str, ...]
    item: tuple[str, ...]
    date: tuple[str, ...]
    price: tuple[str, ...]
    quantity: tuple[str, ...]
    store: tuple[str, ...]

    def detail_of(self, key: str) -> str:
        """The detail a record's key holds: date, price, quantity, store, or ""."""
        for kind, keys in (
            ("date", self.date),
            ("price", self.price),
            ("quantity", self.quantity),
            ("store", self.store),
        ):
            if key in keys:
                return kind
        return ""


@lru_cache(maxsize=1)
def purchase_fields() -> PurchaseFields:
    section = _data().get("purchases")
    names = section if isinstance(section, dict) else {}

    def listed(key: str) -> tuple[str, ...]:
        return tuple(str(word) for word in names.get(key) or ())

    return PurchaseFields(
        listed("lists"),
        listed("item"),
        listed("date"),
        listed("price"),
        listed("quantity"),
        listed("store"),
    )
