"""Who a sensitive term is about, in any language: the English reading
(addressee.py), or the Russian one (russian.py), which adds its own constructions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from creepcheck.text import addressee, frames, russian
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
    """How the sentence ties this match to the reader (a `grammar` kind of tie), or None.

    A combination ("your wife" + "died") is about the reader when the whole or any of its
    parts is, and about nobody of concern when any part belongs to someone else ("a
    friend's finances") or the whole is only supposed ("if you're ever worried about
    making a payment").
    """
    reading = russian.attribute if grammar.language == "ru" else addressee.attribute
    if not match.parts:
        return reading(tokens, match, lexicon, grammar, cues)
    parts = [replace(match, first=a, last=b, parts=()) for a, b in match.parts]
    if grammar.language != "ru" and (
        frames.hypothetical(tokens, match.first, grammar, lexicon)
        or any(
            _held_by_other(tokens, part, previous, lexicon, grammar)
            for part, previous in zip(parts, [0, *(b for _, b in match.parts)], strict=False)
        )
    ):
        return None  # "If you're ever worried about making a payment": only supposed
    for candidate in (replace(match, parts=()), *parts):
        tie = reading(tokens, candidate, lexicon, grammar, cues)
        if tie is not None:
            return tie
    return None


def _held_by_other(
    tokens: Sequence[Token], part: RawMatch, previous: int, lexicon: Lexicon, grammar: Grammar
) -> bool:
    """A third party holds this part, looking back only as far as the part before it:
    in "your wife died" the wife is the combination, not someone else holding "died"."""
    window = tokens[previous:]
    shifted = replace(part, first=part.first - previous, last=part.last - previous)
    return frames.third_party(window, shifted, lexicon, grammar)
