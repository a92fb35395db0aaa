"""The words of the tracking reader: one language's vocabulary from
`lexicons/tracking.<language>.yaml`, the closed word classes the reader's grammar needs,
and the phrase-matching helpers over lowercased words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["ActEntry", "TrackingVocabulary", "vocabulary"]

# Clause boundaries: a detail after one of these belongs to another clause.
HARD = frozenset(".!?;:—–()[]…")
CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?:[ap]m)?$|^\d{1,2}[ap]m$")
NUMBER = re.compile(r"^\d[\d,.]*%?$")
ADVERBS = frozenset(
    {"always", "usually", "often", "just", "still", "right", "all", "there", "never",
     "not", "n't", "also", "already", "really", "actually", "regularly", "normally",
     "sometimes", "recently", "even", "out", "again", "twice", "once"}
)  # fmt: skip
DURATION_BEFORE = frozenset(
    {"a", "an", "of", "some", "long", "the", "whole", "entire", "most", "all", "full",
     "your", "every", "many", "those", "these", "весь", "целый"}
)  # fmt: skip
BOOKING = frozenset(
    {"slot", "window", "booking", "appointment", "reservation", "code", "point", "time",
     "instructions", "address", "details", "location", "confirmation", "reminder", "date"}
)  # fmt: skip
LAST = frozenset({"last", "latest", "previous", "последний", "прошлый", "предыдущий"})
RECEIPT_TIMES = frozenset({"today", "tonight", "recently", "сегодня", "недавно"})
GREETINGS = frozenset({"great", "nice", "good", "lovely", "wonderful", "glad", "fab"})
MOST_ACTS = 24  # acts read in one sentence
REACH = 16  # words a clause reaches either side of its act
YEAR = re.compile(r"^(?:19|20)\d\d$")
QUOTES = frozenset("\"'“”«»‘’„")
HABIT_TO = frozenset({"tend", "tends", "tended", "used"})
# A habit asked after, the adverb first and the subject left out: "Usually swing by on
# Sundays?", "Always in before 8?"
HABIT_OPENERS = frozenset({"usually", "always", "often", "normally", "regularly", "mostly"})
# standalone quotation marks around a title ("'The Great Debate: Left vs Right'")
TITLE_QUOTES = frozenset({"'", '"', "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb"})


@dataclass(frozen=True)
class ActEntry:
    kind: str
    words: tuple[str, ...]  # lemma of the verb, then the particles
    flag: str  # "" | place | duration | habitual | strong | timed | counted


class TrackingVocabulary:
    """One language's tracking words, as sets and phrase tuples."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.entries: dict[str, list[ActEntry]] = {}
        for kind, listed in (data.get("acts") or {}).items():
            for phrase in listed:
                said, _, flag = str(phrase).partition("|")
                entry = ActEntry(kind, tuple(said.split()), flag.strip())
                self.entries.setdefault(entry.words[0], []).append(entry)
        every = [e for listed in self.entries.values() for e in listed]
        self.pickup_verbs = frozenset(e.words[0] for e in every if e.kind == "pickup")
        self.past_nouns = frozenset(str(n) for n in data.get("past_nouns") or ())
        self.nouns: dict[tuple[str, ...], str] = {
            tuple(str(n).replace("-", " - ").split()): kind
            for kind, nouns in (data.get("act_nouns") or {}).items()
            for n in nouns
        }
        # by their first word: a token is tried only against the nouns it can start
        self.nouns_from: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for order, (noun, kind) in enumerate(self.nouns.items()):
            self.nouns_from.setdefault(noun[0], []).append((order, noun, kind))

        def phrases(key: str) -> tuple[tuple[str, ...], ...]:
            return tuple(
                sorted(
                    (tuple(str(p).split()) for p in data.get(key) or ()),
                    key=len,
                    reverse=True,
                )
            )

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w) for w in data.get(key) or ())

        self.observation = phrases("observation")
        self.thanks = phrases("thanks")
        self.count_phrases = phrases("count_words")
        self.time_phrases = phrases("time_words")
        self.hypothetical = phrases("hypothetical")
        self.temporal = phrases("temporal")
        self.modal = words("modal")
        self.question_aux = words("question_aux")
        self.not_subject = words("not_subject")
        self.habitual = words("habitual")
        self.main_verb = words("main_verb")
        self.dependents = words("dependents")
        self.sent_things = words("sent_things")
        self.messages = words("messages")
        self.devices = words("devices")
        self.logging_devices = words("logging_devices")
        self.handled = words("handled")
        self.tools = words("tools")
        self.not_counted_modifiers = words("not_counted_modifiers")
        self.counted_nouns: dict[str, str] = {
            str(noun): str(kind) for noun, kind in (data.get("counted_nouns") or {}).items()
        }
        self.weekdays = words("weekdays")
        self.months = words("months")
        self.clock = words("clock")
        self.numbers = words("numbers")
        self.durations = words("durations")
        self.not_counts = words("not_counts")
        self.not_acts = words("not_acts")
        self.appearance = words("appearance")
        self.place_prepositions = words("place_prepositions")
        self.place_nouns = words("place_nouns")
        self.generic_places = words("generic_places")
        self.containers = words("containers")
        self.distance = words("distance")
        self.vague = words("vague_objects")
        self.future_nouns = words("future_nouns")
        self.generic_modifiers = words("generic_modifiers")
        self.purchase = words("purchase")
        self.price_changes = words("price_changes")
        self.function_words = words("function_words")
        self.not_tracked = words("not_tracked_objects")
        self.time_words = frozenset(w for p in self.time_phrases if len(p) == 1 for w in p)


@lru_cache(maxsize=4)
def vocabulary(language: str) -> TrackingVocabulary:
    name = f"tracking.{language if language in ('en', 'ru') else 'en'}.yaml"
    text = resources.files("creepcheck.text").joinpath("lexicons").joinpath(name).read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return TrackingVocabulary(yaml.load(text, Loader=loader) or {})  # noqa: S506 (a safe loader)



def name_like(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.isalpha() and len(word) > 1


@lru_cache(maxsize=16384)
def unknown_verb(word: str, lemmas: frozenset[str]) -> set[str]:
    """The verb of a past form the lemma tables do not know ("rewatched", "hearted"):
    the word less "-ed" (and its doubled consonant or dropped "e")."""
    if len(word) < 6 or not word.endswith("ed") or (lemmas and lemmas != {word}):
        return set()
    stem = word[:-2]
    found = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        found.add(stem[:-1])
    if stem.endswith("i"):
        found.add(stem[:-1] + "y")
    return found


@lru_cache(maxsize=64)
def ending_in(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their last word: only those can end at a given word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(found) for word, found in out.items()}


def same_word(word: str, expected: str) -> bool:
    return word == expected or (expected == "'ve" and word == "have")


def match_skipping(words: Sequence[str], k: int, phrase: tuple[str, ...]) -> int | None:
    """A phrase ending at `k` with commas between its words ("спасибо, что")."""
    m = len(phrase) - 1
    j = k
    while m >= 0 and j >= 0:
        if words[j] == ",":
            j -= 1
            continue
        if not same_word(words[j], phrase[m]):
            return None
        m -= 1
        j -= 1
    return j + 1 if m < 0 else None
