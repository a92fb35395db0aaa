"""Place names a reader can be in, from the gazetteer `lexicons/places.<language>.yaml`
(countries, regions, cities, districts, nicknames), matched on a sentence's words.

The tracking reader asks it only inside frames that already place the reader somewhere
("Welcome to ...", "How was ...?", "while you're in ..."), so the file is read on the
first such sentence, not at start-up. Names that are also common words, first names or
brands (`ambiguous`) are never matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import yaml

__all__ = ["place_end"]

LISTS = ("countries", "regions", "cities", "districts", "nicknames")
WORDS = re.compile(r"'s|\w+|[^\w\s]")


@cache
def _gazetteer(language: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each name's lowercased words, by its first word, longest names first."""
    folder = resources.files("creepcheck.text").joinpath("lexicons")
    source = folder.joinpath(f"places.{language}.yaml")
    if not source.is_file():
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    skipped = {str(name).lower() for name in data.get("ambiguous", ())}
    names: dict[str, set[tuple[str, ...]]] = {}
    for key in LISTS:
        for name in data.get(key, ()):
            low = str(name).lower()
            if low in skipped or "," in low:  # "Bath, Somerset" is never written so in copy
                continue
            words = tuple(WORDS.findall(low))
            if words:
                names.setdefault(words[0], set()).add(words)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in names.items()}


def place_end(texts: Sequence[str], low: Sequence[str], k: int, language: str) -> int | None:
    """The end of the place name that starts at word `k` (written with a capital), when
    the name ends there: "Lisbon" in "Welcome to Lisbon, Dana!", not "London" in "London
    Fashion Week" or "London's best café". `texts` are the words as written, `low` the
    same lowercased."""
    if k >= len(low) or not texts[k][:1].isupper():
        if not (k + 1 < len(low) and low[k] == "the" and texts[k + 1][:1].isupper()):
            return None
        k += 1  # "Hope the Big Apple treated you well"
    for words in _gazetteer(language).get(low[k], ()):
        end = k + len(words)
        if tuple(low[k:end]) != words:
            continue
        after = texts[end] if end < len(texts) else ""
        if after == "'s" or (after[:1].isupper() and after.isalpha()):
            return None
        return end
    return None
