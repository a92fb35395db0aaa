"""Phrases indexed by their first words, and what each token of a sentence can match.

A phrase is compiled to one set of keys per word (`Lexicon.compile`); a token matches a
word when their keys meet (`token_keys`). The lexicon, the cue groups and the word
classes are each one `PhraseIndex`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from creepcheck.text.document import Entry, RawMatch, Token

SKIPPED = frozenset({"-", "–", "—", "/"})
NUMBER_KEY = "<number>"


def token_keys(token: Token) -> frozenset[str]:
    """What a token can match: its lemmas and form, "=form" for exact-form phrases, and
    the number key for a number ("9", "1,240", "12.5")."""
    # Asked several times per token and sentence (each index, fillers, the classes), of
    # a vocabulary that repeats: remembered by what it is computed from.
    memo_key = (token.lower, token.lemma, token.lemmas)
    keys = _TOKEN_KEYS.get(memo_key)
    if keys is None:
        if len(_TOKEN_KEYS) >= MAX_TOKEN_KEYS:
            _TOKEN_KEYS.clear()
        keys = _TOKEN_KEYS[memo_key] = _keys_of(token)
    return keys


MAX_TOKEN_KEYS = 65536
_TOKEN_KEYS: dict[tuple[str, str, frozenset[str]], frozenset[str]] = {}


def _keys_of(token: Token) -> frozenset[str]:
    keys = token.lemmas | {token.lower, "=" + token.lower}
    if token.lower[:1].isdigit() and token.lower.replace(",", "").replace(".", "").isdigit():
        keys = keys | {NUMBER_KEY}
    elif token.lower in NUMBER_WORDS or token.lemma in NUMBER_WORDS:
        keys = keys | {NUMBER_KEY}  # "ten pounds down", «минус три килограмма»
    return keys


# Numbers spelled out: a "#" in a phrase matches them as it matches digits (Russian ones
# by their dictionary form: «трёх» is «три»).
NUMBER_WORDS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
     "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred",
     "два", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять",
     "пятнадцать", "двадцать", "тридцать", "сорок", "пятьдесят", "сто"}
)  # fmt: skip


def matchable(tokens: Sequence[Token], fillers: frozenset[str] = frozenset()) -> list[int]:
    """Indexes of the tokens that take part in matching (hyphens and slashes skipped, and
    the language's filler words when given)."""
    return [
        i
        for i, t in enumerate(tokens)
        if t.lower not in SKIPPED and not (fillers and token_keys(t) & fillers)
    ]


PAIRS_PER_ENTRY = 16  # key pairs an entry may be indexed under


@dataclass
class PhraseIndex:
    """Entries indexed by the keys of their first two words: most phrases start with a
    common word ("your" starts hundreds), and the second word sorts them out at the cost
    of a lookup. One-word entries, and those whose first words accept many keys (a word
    class), are indexed by their first word's keys alone."""

    entries: list[Entry] = field(default_factory=list)
    by_first: dict[str, list[Entry]] = field(default_factory=dict)
    by_two: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    # Every key an indexed first or second word accepts: most words start nothing.
    firsts: set[str] = field(default_factory=set)
    seconds: set[str] = field(default_factory=set)

    def add(self, entry: Entry) -> None:
        if not entry.words:
            return
        self.entries.append(entry)
        self.firsts.update(entry.words[0])
        if len(entry.words) == 1 or len(entry.words[0]) * len(entry.words[1]) > PAIRS_PER_ENTRY:
            for key in entry.words[0]:
                self.by_first.setdefault(key, []).append(entry)
            return
        self.seconds.update(entry.words[1])
        for first in entry.words[0]:
            for second in entry.words[1]:
                self.by_two.setdefault((first, second), []).append(entry)

    def find(
        self, tokens: Sequence[Token], fillers: frozenset[str] = frozenset()
    ) -> list[RawMatch]:
        """Every match, overlapping ones included; with `fillers`, phrases may also run
        over those words («сахар снова скачет» is «сахар скакать»)."""
        every = matchable(tokens)
        found = self._find(tokens, every)
        if fillers:
            order = matchable(tokens, fillers)
            if len(order) < len(every):  # a filler is there to run over
                found += [m for m in self._find(tokens, order) if m.last - m.first > 1]
        return found

    def _find(self, tokens: Sequence[Token], order: list[int]) -> list[RawMatch]:
        keys = [token_keys(tokens[i]) for i in order]
        found: list[RawMatch] = []
        for position, token_index in enumerate(order):
            starting = keys[position] & self.firsts
            if not starting:
                continue
            candidates: dict[int, Entry] = {}
            for key in starting:
                for entry in self.by_first.get(key, ()):
                    candidates[id(entry)] = entry
            if position + 1 < len(order):
                for first in starting:
                    for second in keys[position + 1] & self.seconds:
                        for entry in self.by_two.get((first, second), ()):
                            candidates[id(entry)] = entry
            for entry in candidates.values():
                size = len(entry.words)
                if position + size > len(order):
                    continue
                if all(entry.words[k] & keys[position + k] for k in range(1, size)):
                    last = order[position + size - 1]
                    found.append(
                        RawMatch(
                            entry,
                            token_index,
                            last + 1,
                            tokens[token_index].start,
                            tokens[last].end,
                        )
                    )
        return found
