"""Tokens and sentences of a rendered message, with offsets into `rendered.text`.

A sentence's reading (its tokens and what the lexicon found in it) is computed once per
distinct sentence text and shared between every message that contains it; a `Sentence`
only adds where it sits in this message, and shifts token offsets when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Entry:
    """One lexicon phrase: its category (or cue group), kind and per-word keys."""

    category: str
    term: str
    kind: str  # term | goods | identity | cued | said | ignore | cue
    words: tuple[frozenset[str], ...]
    unless: frozenset[str] = frozenset()
    concept: str = ""  # what a treatment treats ("type 2 diabetes"); empty for others
    # a `presumed:` phrase: said to the reader at all, it is about the reader (see en.yaml)
    presumed: bool = False


@dataclass(frozen=True)
class RawMatch:
    """A lexicon entry found in a sentence: token indexes [first, last), relative offsets."""

    entry: Entry
    first: int
    last: int
    start: int
    end: int
    # a combination's facets, as token spans [first, last): each is read for whom it is about
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Token:
    text: str  # as rendered
    lower: str  # folded: NFKC, invisible characters removed, confusables folded, lower case
    lemma: str
    start: int  # offsets into rendered.text (relative to the sentence inside a Reading)
    end: int
    is_alpha: bool
    is_punct: bool
    lemmas: frozenset[str] = frozenset()  # every lemma the word may have, and the word
    pos: frozenset[str] = frozenset()  # parts of speech it may be: NOUN, VERB, ADJ, ...
    tags: frozenset[str] = frozenset()  # features: 2per, POSS, impr, nomn, plur, ...

    @property
    def second_person(self) -> bool:
        """you/your/yourself, вы/ваш/ты/твой, or a Russian verb in the 2nd person."""
        return "2per" in self.tags

    def shifted(self, offset: int) -> Token:
        return Token(
            self.text,
            self.lower,
            self.lemma,
            self.start + offset,
            self.end + offset,
            self.is_alpha,
            self.is_punct,
            self.lemmas,
            self.pos,
            self.tags,
        )


def hyphen_joins(tokens: Sequence[Token], hyphen: int) -> bool:
    """The token at this index is a hyphen joining two words with no space around it
    ("in-store", «из-за»)."""
    return (
        0 < hyphen < len(tokens) - 1
        and tokens[hyphen].lower == "-"
        and tokens[hyphen - 1].end == tokens[hyphen].start
        and tokens[hyphen].end == tokens[hyphen + 1].start
    )


@dataclass(frozen=True)
class Reading:
    """What a sentence says, independent of where it sits: tokens at relative offsets."""

    text: str
    tokens: tuple[Token, ...]
    matches: tuple[RawMatch, ...] = ()  # lexicon matches, by token index
    # Derived results keyed by what they depend on (cue context...), filled by the analyzer.
    cache: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def is_question(self) -> bool:
        return any(t.lower == "?" for t in self.tokens[-3:])

    @cached_property
    def addresses_reader(self) -> bool:
        return any(t.second_person for t in self.tokens)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    reading: Reading = field(repr=False, compare=False)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        if self.start == 0:
            return self.reading.tokens
        return tuple(t.shifted(self.start) for t in self.reading.tokens)

    @property
    def addresses_reader(self) -> bool:
        """Whether the sentence speaks to the reader (second person in any form)."""
        return self.reading.addresses_reader

    @property
    def is_question(self) -> bool:
        return self.reading.is_question

    @property
    def words(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.is_alpha)

    def token_at(self, offset: int) -> Token | None:
        return next((t for t in self.tokens if t.start <= offset < t.end), None)
