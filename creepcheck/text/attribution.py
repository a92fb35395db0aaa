"""Who a sensitive term is about, in any language: the English reading
(addressee.py), or the Russian one (russian.py), which adds its own constructions."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text import addressee, russian
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import Grammar
from creepcheck.text.lexicon import Lexicon


def attribute(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    grammar: Grammar,
    cues: frozenset[str],
) -> str | None:
    """How the sentence ties this match to the reader (a `grammar` kind of tie), or None."""
    reading = russian.attribute if grammar.language == "ru" else addressee.attribute
    return reading(tokens, match, lexicon, grammar, cues)
