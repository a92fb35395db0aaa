"""Word classes in lexicon phrases: «смерть <relative>» stands for «смерть муж», «смерть
жена», «смерть мама», ...

A lexicon's top-level `classes:` mapping names lists of words (relatives, words of loss,
money, strain, seasons). A phrase word written `<name>` is any word of that class, so a
category lists a combination of word classes once instead of every pair of words: «уход
<reader> <relative>» covers «уход вашего мужа» and «уход твоей мамы», and a relative added
to the class reaches every phrase that uses it. Expansion is on the written phrase, before
it is compiled, so the matcher and its lemmas stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import product
from typing import Any

CLASS_WORD = re.compile(r"<([a-z_]+)>")
MAX_EXPANSIONS = 5000  # one phrase; a larger product is a mistake in the data


class UnknownWordClass(ValueError):
    """A shipped phrase names a `<class>` the lexicon does not define, or too many."""


def expand(phrase: str, classes: Mapping[str, Sequence[str]]) -> list[str]:
    """Every phrase a pattern stands for, in class order; a phrase without classes as is."""
    names = CLASS_WORD.findall(phrase)
    if not names or not classes:
        return [phrase]
    missing = sorted({n for n in names if n not in classes})
    if missing:
        raise UnknownWordClass(
            f"lexicon phrase {phrase!r} names undefined word classes: {', '.join(missing)} "
            f"(defined: {', '.join(sorted(classes)) or 'none'})"
        )
    pieces = CLASS_WORD.split(phrase)  # text, name, text, name, ..., text
    choices = [[str(w) for w in classes[n]] for n in names]
    size = 1
    for words in choices:
        size *= len(words)
    if size > MAX_EXPANSIONS:
        raise UnknownWordClass(f"lexicon phrase {phrase!r} stands for {size} phrases")
    out = []
    for picked in product(*choices):
        text = pieces[0]
        for word, rest in zip(picked, pieces[2::2], strict=True):
            text += word + rest
        out.append(" ".join(text.split()))
    return out


def expand_items(items: Sequence[Any], classes: Mapping[str, Sequence[str]]) -> Iterator[Any]:
    """The items of a lexicon list with their patterns expanded; a mapping item
    ({term: ..., unless: [...]}) keeps its `unless` for every phrase it stands for."""
    for item in items:
        if isinstance(item, Mapping):
            for phrase in expand(str(item.get("term", "")), classes):
                yield {**item, "term": phrase}
        else:
            yield from expand(str(item), classes)
