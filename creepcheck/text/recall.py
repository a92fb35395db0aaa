"""Reading of copy for the recall rules (CC204, CC301, CC302), English and Russian.

Words with small stems (Russian inflection handled by suffix stripping), sentences,
profile values found in the text (items, stores, pages), time expressions resolved
against the profile's own dates, prices, counts and second-person framing. Everything
here is pure and cheap: regular expressions over one rendered message.

Most of a message is template text that is the same for every profile, so what depends
only on a string (stems, a sentence's words and vocabulary, a phrase's stems) is cached
by that string (`caching.memoised`); a message's sentences are kept per rendered message
(`rules.base.sentences`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from creepcheck.caching import memoised
from creepcheck.values import as_date


def wordlist(text: str) -> list[str]:
    """Space-separated words: lexicons read better as one string than as a column."""
    return text.split()


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# Host labels and their count are bounded (as in DNS): a pattern tried at every position
# of a long dotted run must not scan to its end each time.
URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,63}/\S*", re.IGNORECASE
)

# Inflectional endings, longest first: enough to bring «лоферов», «лоферы» and «лоферам»
# (or «чёрных», «чёрные») to one stem. Not a morphology, a tolerant comparison.
_RU_ENDINGS = sorted(
    wordlist(
        "ыми ими ого его ому ему ая яя ое ее ые ие ый ий ой ей ую юю ых их ым им ом ем ам "
        "ям ах ях ами ями ов ев ью ия ию ии ешь ет ем ете ут ют ит ат ят ал ала али ил "
        "ила или ать ить еть а я ы и у ю е о ь й"
    ),
    key=len,
    reverse=True,
)
STOPWORDS = wordset(
    "a an the of and or in on with for to from by at & и в во с со для на из от по к"
)
SECOND_PERSON = wordset(
    "you your yours yourself you're you've you'd you'll вы вас вам вами ваш ваша ваше "
    "ваши вашего вашей вашему вашим ваших вашими вашу ты тебя тебе тобой твой твоя твое "
    "твои твоего твоей твоих твою"
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "once": 1, "twice": 2, "thrice": 3,
    "один": 1, "одну": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "пару": 2, "три": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
    "дважды": 2, "трижды": 3,
}  # fmt: skip


def normalise(text: str) -> str:
    """Lowercase, `ё` as `е`, typographic apostrophes as `'`; length is preserved."""
    return text.lower().replace("ё", "е").replace("’", "'")


@memoised(maxsize=16384)
def stem(word: str) -> str:
    """A crude stem: English plural and possessive, Russian case and number endings."""
    low = normalise(word)
    if CYRILLIC.search(low):
        for ending in _RU_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                return low[: -len(ending)]
        return low
    if low.endswith("'s"):
        low = low[:-2]
    if len(low) > 4 and low.endswith("ies"):
        return low[:-3] + "y"
    if len(low) > 4 and low.endswith(("ches", "shes", "sses", "xes", "zes")):
        return low[:-2]
    if len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return low[:-1]
    return low


def same_stem(a: str, b: str) -> bool:
    """Equal stems, or Russian stems differing only by a fleeting vowel («ботинк»/«ботинок»)."""
    if a == b:
        return True
    if not (CYRILLIC.search(a) and CYRILLIC.search(b)) or min(len(a), len(b)) < 4:
        return False
    common = len(_common_prefix(a, b))
    return common >= 5 and common >= min(len(a), len(b)) - 1


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    low: str
    stem: str
    start: int
    end: int


class Sentence:
    """A sentence of a message: its place, its text and, built on first use, its words.

    `words`, when given, must be `words(text, start)`; most sentences never need theirs.
    """

    __slots__ = ("start", "end", "text", "_words", "_hash")

    def __init__(
        self, start: int, end: int, text: str, words: tuple[Word, ...] | None = None
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self._words = words
        self._hash = hash((start, end, text))  # a key of the per-sentence caches

    @property
    def words(self) -> tuple[Word, ...]:
        if self._words is None:
            self._words = words(self.text, self.start)
        return self._words

    @property
    def low(self) -> str:
        return normalise(self.text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sentence):
            return NotImplemented
        return (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Sentence({self.start}, {self.end}, {self.text!r})"

    def may_contain(self, word_stem: str) -> bool:
        """False when no word of the sentence can have `word_stem` (see `same_stem`)."""
        stems, heads = _vocabulary(self.text)
        return word_stem in stems or word_stem[:5] in heads

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start < self.end or (start < self.start < end)

    def addressed(self) -> bool:
        """Whether the sentence speaks to the reader (you, your, вы, ваш...)."""
        return any(w.low in SECOND_PERSON for w in self.words)


@memoised(maxsize=4096)
def item_key(name: str) -> str:
    """An item's name as stems, to compare the copy's words with a purchase's name."""
    return " ".join(stem(w.text) for w in words(name))


def words(text: str, offset: int = 0) -> tuple[Word, ...]:
    found = _words_at_zero(text)
    if not offset:
        return found
    return tuple(Word(w.text, w.low, w.stem, w.start + offset, w.end + offset) for w in found)


@memoised(maxsize=4096)
def _words_at_zero(text: str) -> tuple[Word, ...]:
    return tuple(
        Word(m.group(), normalise(m.group()), stem(m.group()), m.start(), m.end())
        for m in WORD.finditer(text)
    )


@memoised(maxsize=4096)
def _vocabulary(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The stems of `text`, and the five-letter heads of its Russian stems: two stems can
    only be `same_stem` when equal or, in Russian, sharing their first five letters."""
    stems = frozenset(w.stem for w in _words_at_zero(text))
    heads = frozenset(s[:5] for s in stems if len(s) >= 5 and CYRILLIC.search(s))
    return stems, heads


@memoised(maxsize=256)
def split_sentences(text: str, bounds: tuple[tuple[int, int], ...] | None) -> tuple[Sentence, ...]:
    """The text's sentences within `bounds` (the analysis's, else split at . ! ?); a
    blank line, or a line ending in punctuation, ends one too."""
    if bounds is None:
        bounds = tuple((m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]*", text))
    result: list[Sentence] = []
    for start, end in _merge_false_breaks(text, list(bounds)):
        for a, b in _split_lines(text, start, end):
            result.append(Sentence(a, b, text[a:b]))
    return tuple(result)


def _merge_false_breaks(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin sentences split inside a number ("189.00") or before a lowercase word."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(bounds):
        if merged:
            prev_start, prev_end = merged[-1]
            gap = text[prev_end:start]
            head = text[start:end].lstrip()
            tail = text[prev_start:prev_end].rstrip()
            in_number = tail[-2:-1].isdigit() and tail.endswith(".") and head[:1].isdigit()
            lower = head[:1].islower() and tail[-1:] not in ("!", "?") and "\n" not in gap
            if not gap.strip() and (in_number or (lower and not gap)):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _split_lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    cut = start
    for match in re.finditer(r"\n", text[start:end]):
        at = start + match.start()
        before = text[cut:at].rstrip()
        if text[at : at + 2] == "\n\n" or (before and before[-1] in ".!?:;,") or not before:
            yield from _trimmed(text, cut, at)
            cut = at + 1
    yield from _trimmed(text, cut, end)


def _trimmed(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_of(sents: Sequence[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sents if s.start <= offset < s.end), None)


def in_url(text: str, start: int) -> bool:
    return any(m.start() <= start < m.end() for m in URL.finditer(text))


# -- profile values in the text --------------------------------------------------------


@memoised(maxsize=4096)
def field_root(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


# Sentences are shared by every profile whose message has the same text, so what a
# sentence says (its matches, amounts, numbers, times) is worked out once per sentence.
# The public functions hand out fresh lists; the cached ones keep tuples.


def phrase_matches(sentence: Sentence, phrase: str) -> list[tuple[int, int]]:
    """Where the words of `phrase` occur in order, inflection tolerated."""
    return list(_phrase_matches(sentence, phrase))


@memoised(maxsize=16384)
def _phrase_matches(sentence: Sentence, phrase: str) -> tuple[tuple[int, int], ...]:
    target = _phrase_stems(phrase)
    found: list[tuple[int, int]] = []
    if not target or not all(sentence.may_contain(t) for t in target):
        return ()
    ws = sentence.words
    for i in range(len(ws) - len(target) + 1):
        if all(same_stem(ws[i + k].stem, t) for k, t in enumerate(target)):
            found.append((ws[i].start, ws[i + len(target) - 1].end))
    return tuple(found)


@memoised(maxsize=4096)
def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w.text) for w in words(phrase))


def anchor(phrase: str) -> str | None:
    """A stem every `phrase_matches` and `partial_matches` of `phrase` has a word of (by
    `same_stem`): its head word, else its last word. Sentences that cannot hold it are
    skipped."""
    head = head_word(phrase)
    if head is not None:
        return head
    stems = _phrase_stems(phrase)
    return stems[-1] if stems else None


@memoised(maxsize=4096)
def head_word(phrase: str) -> str | None:
    """The last content word of a product name: `strips` in `Blood glucose test strips`."""
    content = [w for w in words(phrase) if w.low not in STOPWORDS and w.low.isalpha()]
    return content[-1].stem if content and len(content[-1].low) >= 3 else None


def partial_matches(sentence: Sentence, phrase: str, cues: frozenset[str]) -> list[tuple[int, int]]:
    """A shortened mention of `phrase`: its head word with one of its other words before it
    ("black loafers" for Black leather loafers), or right after a cue ("your loafers")."""
    return list(_partial_matches(sentence, phrase, cues))


@memoised(maxsize=16384)
def _partial_matches(
    sentence: Sentence, phrase: str, cues: frozenset[str]
) -> tuple[tuple[int, int], ...]:
    head = head_word(phrase)
    if head is None or not sentence.may_contain(head):
        return ()
    others = _other_stems(phrase, head)
    ws = sentence.words
    found = []
    for i, word in enumerate(ws):
        if not same_stem(word.stem, head):
            continue
        j = i - 1
        while j >= 0 and (any(same_stem(ws[j].stem, o) for o in others) or ws[j].low in STOPWORDS):
            j -= 1
        first = j + 1
        modifiers = any(
            any(same_stem(w.stem, o) for o in others) for w in ws[first:i] if w.low not in STOPWORDS
        )
        if modifiers or (j >= 0 and ws[j].low in cues):
            while first < i and ws[first].low in STOPWORDS:
                first += 1
            found.append((ws[first].start, word.end))
    return tuple(found)


@memoised(maxsize=4096)
def _other_stems(phrase: str, head: str) -> frozenset[str]:
    return frozenset(w.stem for w in words(phrase) if w.low not in STOPWORDS) - {head}


def event_dates(records: Iterable[Any], keys: Sequence[str] = ("at",)) -> list[date]:
    """The dates of records: each record's first of `keys` that it holds."""
    dates = [
        as_date(next((r[k] for k in keys if k in r), None))
        for r in records
        if isinstance(r, (dict, Mapping))
    ]
    return [d for d in dates if d is not None]


def records(
    profile_data: Mapping[str, Any], roots: Sequence[str]
) -> list[tuple[str, Mapping[str, Any]]]:
    """`(path, record)` for each mapping in the first list found under `roots`."""
    # Records are mostly dicts, and `dict` is checked much faster than `Mapping`.
    for root in roots:
        value = profile_data.get(root)
        if isinstance(value, list):
            return [
                (f"{root}[{i}]", r) for i, r in enumerate(value) if isinstance(r, (dict, Mapping))
            ]
    return []
