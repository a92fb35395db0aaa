"""Folding text for matching while keeping a map back to the original offsets.

Copy can hide a word from a naive matcher: compatibility forms (`ﬁ`, full-width
letters), zero-width and bidi control characters inside a word, Cyrillic letters that
look Latin (`рrеgnаnt`) or the reverse, stress marks, curly apostrophes. `fold()`
undoes all of that and lower-cases, and records for every character of the folded text
which character of the original it came from, so a match found in the folded text is
reported at the right place in the rendered message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from creepcheck import tuning

# Zero-width, joiners, bidi embeddings/overrides/isolates, soft hyphen, BOM, word joiner.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)
STRESS_MARKS = frozenset("\u0300\u0301")
PUNCT_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "_": " ",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2026": ".",
    "ё": "е",
}
# Lower-case look-alikes: Cyrillic letter -> Latin letter it imitates.
CYRILLIC_TO_LATIN = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ѵ": "v",
    "һ": "h",
    "ӏ": "l",
}
LATIN_TO_CYRILLIC = {
    "a": "а",
    "b": "в",
    "e": "е",
    "k": "к",
    "m": "м",
    "h": "н",
    "o": "о",
    "p": "р",
    "c": "с",
    "t": "т",
    "y": "у",
    "x": "х",
    "i": "і",
}
_WORD = re.compile(r"\w+")
# On ASCII every step above is the identity but lower-casing and these two.
_ASCII_FOLD = str.maketrans({"`": "'", "_": " "})


@dataclass(frozen=True)
class Folded:
    """Folded text plus, for each of its characters, the original character's index."""

    text: str
    origin: Sequence[int]  # a range where folding kept every offset (ASCII text)
    length: int  # length of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded stretch `[start, end)`."""
        if start >= len(self.origin):
            return self.length, self.length
        if end <= start:
            at = self.origin[start]
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def _script(char: str) -> str:
    if "a" <= char <= "z":
        return "latin"
    if "\u0400" <= char <= "\u04ff" or "\u0500" <= char <= "\u052f":
        return "cyrillic"
    return ""


def _fold_cluster(cluster: str) -> str:
    text = unicodedata.normalize("NFKC", cluster)
    if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)):
        decomposed = "".join(c for c in unicodedata.normalize("NFD", text) if c not in STRESS_MARKS)
        text = unicodedata.normalize("NFC", decomposed)
    text = text.casefold()
    return "".join(PUNCT_FOLD.get(c, c) for c in text)


def _clusters(text: str) -> list[tuple[int, str]]:
    """(original index, base character plus its combining marks), invisible ones dropped."""
    out: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if char in INVISIBLE:
            continue
        if out and unicodedata.combining(char):
            at, cluster = out[-1]
            out[-1] = (at, cluster + char)
        else:
            out.append((index, char))
    return out


def _unconfuse(word: str, language: str) -> str:
    """Fold look-alike letters of a mixed-script word into the word's own script."""
    latin = sum(1 for c in word if _script(c) == "latin" and c not in LATIN_TO_CYRILLIC)
    cyrillic = sum(1 for c in word if _script(c) == "cyrillic" and c not in CYRILLIC_TO_LATIN)
    scripts = {_script(c) for c in word} - {""}
    if len(scripts) < 2 and not (language == "en" and scripts == {"cyrillic"} and cyrillic == 0):
        return word
    to_latin = latin > cyrillic or (latin == cyrillic and language != "ru")
    table = CYRILLIC_TO_LATIN if to_latin else LATIN_TO_CYRILLIC
    return "".join(table.get(c, c) for c in word)


@lru_cache(maxsize=16384)
def fold(text: str, language: str = "en") -> Folded:
    """NFKC, invisible characters removed, confusables folded, case-folded, with origins."""
    if tuning.OPTIMISE and text.isascii():
        return Folded(text.lower().translate(_ASCII_FOLD), range(len(text)), len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, cluster in _clusters(text):
        for char in _fold_cluster(cluster):
            chars.append(char)
            origin.append(index)
    folded = "".join(chars)
    if any(_script(c) == "cyrillic" for c in folded) or language == "en":
        pieces: list[str] = []
        last = 0
        for match in _WORD.finditer(folded):
            pieces.append(folded[last : match.start()])
            word = match.group()
            fixed = _unconfuse(word, language)
            pieces.append(fixed if len(fixed) == len(word) else word)
            last = match.end()
        pieces.append(folded[last:])
        folded = "".join(pieces)
    return Folded(folded, tuple(origin), len(text))
