"""Tracking acts: where a sentence tells its reader what they were seen doing (CC204).

A tracking act is a second-person act of viewing, visiting, opening, searching, being
somewhere, picking up or dropping off, checking in or missing a class, or spending time
on a page ("you looked at", "you were at", "your last visit", "thanks for stopping by"),
told as a fact (past, perfect, progressive or habitual: not an invitation, a question or
a hypothetical), together with what makes it an observation of that person: a count
("3 times", "twice", "every day"), a time ("yesterday", "on Tuesday at 6pm", "since 4
May"), a place ("at our Elm St store", "from your phone") or an observation frame ("we
saw you"). Third parties ("87 shoppers viewed this"), the sender's own facts ("our store
opens at 9") and generic copy ("people who viewed this also viewed") have no such act.

The words live in `lexicons/tracking.<language>.yaml`; this module only reads tokens.
What a sentence says depends on its text alone, so it is read once per distinct sentence
and cached on the sentence's `Reading`. Offsets of the result are relative to the
sentence; `acts_in()` shifts them into the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from creepcheck.text.document import Sentence, Token

__all__ = ["Detail", "TrackingAct", "acts_in", "read_acts"]

# Clause boundaries: a detail after one of these belongs to another clause.
_HARD = frozenset(".!?;:—–()[]…")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?:[ap]m)?$|^\d{1,2}[ap]m$")
_NUMBER = re.compile(r"^\d[\d,.]*%?$")
_ADVERBS = frozenset(
    {"always", "usually", "often", "just", "still", "right", "all", "there", "never",
     "not", "n't", "also", "already", "really", "actually", "regularly", "normally",
     "sometimes", "recently", "even", "out", "again", "twice", "once"}
)  # fmt: skip
_DURATION_BEFORE = frozenset(
    {"a", "an", "of", "some", "long", "the", "whole", "entire", "most", "all", "full",
     "your", "every", "many", "those", "these", "весь", "целый"}
)  # fmt: skip
_BOOKING = frozenset(
    {"slot", "window", "booking", "appointment", "reservation", "code", "point", "time",
     "instructions", "address", "details", "location", "confirmation", "reminder", "date"}
)  # fmt: skip
_LAST = frozenset({"last", "latest", "previous", "последний", "прошлый", "предыдущий"})
_RECEIPT_TIMES = frozenset({"today", "tonight", "recently", "сегодня", "недавно"})
_GREETINGS = frozenset({"great", "nice", "good", "lovely", "wonderful", "glad", "fab"})
_MOST_ACTS = 24  # acts read in one sentence
_REACH = 16  # words a clause reaches either side of its act
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUOTES = frozenset("\"'“”«»‘’„")
_HABIT_TO = frozenset({"tend", "tends", "tended", "used"})


@dataclass(frozen=True)
class Detail:
    """What makes an act an observation: its kind and the words that say it."""

    kind: str  # count | habit | time | place | object | observed
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TrackingAct:
    """A second-person act told as a fact, with its details (possibly none)."""

    kind: str  # view | visit | open | search | pickup | attendance | time
    words: str  # the act as written ("looked at", "your last visit")
    start: int
    end: int
    who: str  # subject | thanks | possessive | dependent | elided
    details: tuple[Detail, ...]
    window: tuple[int, int]  # the clause it sits in: where a profile value is its detail
    needs: str = ""  # place: only with a place and another detail; time: with when

    @property
    def discloses(self) -> bool:
        """Whether the words alone make it an observation of the reader."""
        kinds = {d.kind for d in self.details}
        if "habit" in kinds and self.needs != "time":
            kinds = (kinds - {"habit"}) | {"count"}
        if self.who == "elided-ing":  # "Visiting your mum in Brighton again this weekend?"
            return "count" in kinds and bool(kinds & {"time", "place"})
        if "near" in kinds:
            kinds |= {"place", "time"}
        if self.needs == "place":
            return "place" in kinds and bool(kinds - {"place", "object", "habit"})
        if self.needs == "time":  # where alone is what any receipt says ("your order from")
            return bool(kinds & {"time", "observed", "count"})
        if self.who == "elided":
            return bool(kinds & {"count", "time", "place", "observed"})
        if self.who == "recap":  # "Viewed 4 times since Friday: the Alpine tent."
            small = all(
                int(n.replace(",", "")) <= 50
                for d in self.details
                if d.kind == "count"
                for n in re.findall(r"\d[\d,]*", d.text)
            )
            return small and "count" in kinds and bool(kinds & {"time", "place"})
        return bool(kinds)

    def shifted(self, offset: int) -> TrackingAct:
        return TrackingAct(
            self.kind,
            self.words,
            self.start + offset,
            self.end + offset,
            self.who,
            tuple(Detail(d.kind, d.start + offset, d.end + offset, d.text) for d in self.details),
            (self.window[0] + offset, self.window[1] + offset),
            self.needs,
        )


@dataclass(frozen=True)
class _Entry:
    kind: str
    words: tuple[str, ...]  # lemma of the verb, then the particles
    flag: str  # "" | place | duration | habitual | strong


class _Vocabulary:
    """One language's tracking words, as sets and phrase tuples."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.entries: dict[str, list[_Entry]] = {}
        for kind, listed in (data.get("acts") or {}).items():
            for phrase in listed:
                said, _, flag = str(phrase).partition("|")
                entry = _Entry(kind, tuple(said.split()), flag.strip())
                self.entries.setdefault(entry.words[0], []).append(entry)
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
        self.dependents = words("dependents")
        self.weekdays = words("weekdays")
        self.months = words("months")
        self.clock = words("clock")
        self.numbers = words("numbers")
        self.durations = words("durations")
        self.not_counts = words("not_counts")
        self.place_prepositions = words("place_prepositions")
        self.place_nouns = words("place_nouns")
        self.generic_places = words("generic_places")
        self.distance = words("distance")
        self.vague = words("vague_objects")
        self.future_nouns = words("future_nouns")
        self.generic_modifiers = words("generic_modifiers")
        self.purchase = words("purchase")
        self.function_words = words("function_words")
        self.not_tracked = words("not_tracked_objects")
        self.time_words = frozenset(w for p in self.time_phrases if len(p) == 1 for w in p)


@lru_cache(maxsize=4)
def vocabulary(language: str) -> _Vocabulary:
    name = f"tracking.{language if language in ('en', 'ru') else 'en'}.yaml"
    text = resources.files("creepcheck.text").joinpath("lexicons").joinpath(name).read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _Vocabulary(yaml.load(text, Loader=loader) or {})  # noqa: S506 (a safe loader)


def acts_in(sentence: Sentence, language: str) -> tuple[TrackingAct, ...]:
    """The tracking acts of a sentence, with offsets into the message."""
    key = ("tracking", language)
    cached = sentence.reading.cache.get(key)
    if cached is None:
        cached = sentence.reading.cache[key] = read_acts(sentence.reading.tokens, language)
    acts: tuple[TrackingAct, ...] = cached  # type: ignore[assignment]
    if not sentence.start:
        return acts
    return tuple(a.shifted(sentence.start) for a in acts)


def read_acts(tokens: Sequence[Token], language: str) -> tuple[TrackingAct, ...]:
    """The tracking acts in a sentence's tokens (offsets as the tokens have them)."""
    if not tokens:
        return ()
    return tuple(_Reader(tokens, language).acts())


class _Reader:
    def __init__(self, tokens: Sequence[Token], language: str) -> None:
        self.tokens = tokens
        self.language = language
        self.ru = language == "ru"
        self.v = vocabulary(language)
        self.low = [t.lower.replace("’", "'").replace("ё", "е") for t in tokens]
        self.lemmas = [
            {lemma.replace("ё", "е") for lemma in (t.lemmas or {t.lemma})}
            | {t.lemma, low}
            | (set() if self.ru else _unknown_verb(low, t.lemmas))
            for t, low in zip(tokens, self.low, strict=True)
        ]
        self.question = any(t.lower == "?" for t in tokens)
        self.addressed = any(t.second_person for t in tokens) or self._vocative()

    def _label(self, i: int, end: int) -> tuple[int, int] | None:
        """A recap line's label opening the sentence, said to the reader: "Last visit:",
        "Views this week:". Returns where the label starts and its colon."""
        start = i - 1 if i > 0 and self.low[i - 1] in _LAST | {"recent"} else i
        if start > 3 or self.ru or not self._opens(start) or not (start < i or self.addressed):
            return None  # a label opens its line: at most one per sentence is tried
        for k in range(end, min(len(self.low) - 1, end + 4)):
            if self.low[k] == ":":
                return start, k
            if self.low[k] in _HARD:
                return None
        return None

    def _vocative(self) -> bool:
        """A name the sentence is said to, set off by a comma at either end: "Leo, ..."
        or "..., Leo!"."""
        tokens, n = self.tokens, len(self.tokens)
        if n > 2 and tokens[1].text == "," and _name_like(tokens[0].text):
            return True
        end = n - 1 if n and tokens[-1].text in (".", "!", "?") else n
        return end >= 3 and tokens[end - 2].text == "," and _name_like(tokens[end - 1].text)

    # -- the acts ---------------------------------------------------------------------
    def acts(self) -> list[TrackingAct]:
        out: list[TrackingAct] = []
        taken: set[int] = set()
        for i in range(len(self.tokens)):
            if len(out) >= _MOST_ACTS:
                break  # a sentence of endless "you viewed" says nothing its first acts do not
            if i in taken:
                continue
            found = (
                self._verb_act(i) or self._noun_act(i) or self._past_noun(i) or self._verbless(i)
            )
            if found is not None:
                act, used = found
                taken.update(used)
                out.append(act)
        return out

    def _verb_act(self, i: int) -> tuple[TrackingAct, range] | None:
        candidates = [e for lemma in self.lemmas[i] for e in self.v.entries.get(lemma, ())]
        if not candidates:
            return None
        for entry in sorted(candidates, key=lambda e: len(e.words), reverse=True):
            end = self._particles(i, entry.words[1:])
            if end is None:
                continue
            form = self._form(i, entry.words[0])
            if form is None:
                return None
            who, observed = self._who(i, form)
            if who is None:
                return None
            begin, finish = self._clause(i, end)
            if self._purchase(begin, finish) or (
                entry.kind == "pickup" and who == "subject" and not self.ru and self._relative(i)
            ):
                return None  # "the dress you picked up", "you bought...": purchase recall
            habitual = self._habitual(begin, finish)
            if habitual is None and form == "present" and self._times_counted(begin, finish):
                habitual = i  # "вы уже пятый раз открываете": a count of times is a habit
            if form == "present" and habitual is None and entry.flag != "place":
                return None
            if entry.flag == "habitual" and habitual is None:
                return None
            needs = {"place": "place", "habitual": "time", "timed": "time"}.get(entry.flag, "")
            if entry.words[-1] == "home" and needs == "place":
                needs = ""  # "you were home at 3pm": home is the place
            if entry.kind == "pickup":
                needs = "time"
            details = self._details(begin, finish, i, end, observed, loose=needs == "place")
            if needs == "place":
                details = [d for d in details if d.kind != "place"]
                here = self._place_here(i, end, finish)
                if here is not None:
                    details.append(self._detail("place", here[0], here[1]))
            if entry.kind == "visit" and end == i + 1 and not needs:
                named = self._place_at(i, finish)  # "visited the Westgate clinic"
                if named is not None and any(
                    t.text[:1].isupper() for t in self.tokens[i + 1 : named]
                ):
                    details.append(self._detail("place", i + 1, named))
            if who == "thanks":  # "thanks for visiting us today": a receipt, not a log
                details = [d for d in details if d.text.lower() not in _RECEIPT_TIMES]
            if entry.kind == "open" and self._opens_other(i, end, finish):
                return None  # "you opened an account": not a tracked open
            if needs == "place" and (
                end >= finish
                or self.low[end] in ("since", "с", "со")
                or (not self.ru and entry.words[-1] == "in" and self._time_at(end, finish))
                or (habitual is not None and self._time_at(end + 1, finish) is not None)
            ):
                needs = ""  # "you haven't been in since May": been in is a visit
            if entry.flag == "duration":
                length = self._duration(end, finish)
                if length is None:
                    return None
                details.append(self._detail("time", *length))
            if (entry.flag == "strong" or entry.kind == "search") and not self.question:
                details += self._object(end, finish)  # a question may ask what they saw
            if habitual is not None:
                details.append(self._detail("habit", habitual, habitual + 1))
            elif self._keeps(begin, i):
                details.append(self._detail("count", i, i + 1))
            elif who == "elided-ing" and i > 0 and self.low[i - 1] == "still":
                details.append(self._detail("count", i - 1, i))  # "Still browsing at 2am?"
            act = TrackingAct(
                entry.kind,
                self._text(i, end),
                self.tokens[i].start,
                self.tokens[end - 1].end,
                who,
                tuple(details),
                (self.tokens[begin].start, self.tokens[finish - 1].end),
                needs,
            )
            if needs == "place" and form == "present":
                # "you're in luck", "you're at the heart of": a present state needs a time
                kinds = {d.kind for d in details}
                if not kinds & {"time", "observed", "near"}:
                    return None
            return act, range(i, end)
        return None

    def _noun_act(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "your last visit", "your searches for", "спасибо за визит"."""
        firsts = self.lemmas[i] if self.ru else (self.low[i],)
        candidates = sorted(n for first in firsts for n in self.v.nouns_from.get(first, ()))
        for _, words, kind in candidates:
            end = i + len(words)
            if end > len(self.tokens) or not all(
                w == self.low[i + k] or (self.ru and w in self.lemmas[i + k])
                for k, w in enumerate(words)
            ):
                continue
            if self.ru and "NOUN" not in self.tokens[i].pos:
                continue
            owner = None
            for k in range(i - 1, max(-1, i - 5), -1):
                token = self.tokens[k]
                if "POSS" in token.tags and token.second_person:
                    owner = k
                    break
                if self.low[k] in ("'s", "'"):
                    continue  # "your son's drop-off"
                if (
                    not token.is_alpha
                    or self.low[k] in self.v.future_nouns
                    or (self.lemmas[k] & self.v.future_nouns)
                ):
                    break
            thanks = self._phrase_before(self.v.thanks, i, 3)
            number = i - 1  # "40 visits", or with one word between: "one gym visit"
            if i > 1 and (self.lemmas[i - 1] | {self.low[i - 1]}) & self.v.place_nouns:
                number = i - 2
            counted = (
                i > 0
                and (
                    bool(_NUMBER.match(self.low[number]))
                    or self.low[number] in self.v.numbers
                    or self.low[number] == "one"
                )
                and not _YEAR.match(self.low[number])
                and (self.question or self.addressed)
            )  # "40 visits this year", "Three no-shows at physio this month: ...?"
            none_since = (
                i > 0
                and self.low[i - 1] == "no"
                and any(self.low[k] == "since" for k in range(i, min(len(self.low), i + 8)))
            )  # "No check-ins at the gym since 2 January"
            counted = counted or none_since
            label = None
            if owner is None and thanks is None and not counted:
                label = self._label(i, end)
                if label is None:
                    continue
            start = owner if owner is not None else (number if counted else i)
            if label is not None:
                start = label[0]
            who = (
                "possessive"
                if owner is not None or label is not None
                else "thanks"
                if thanks is not None
                else "counted"
            )
            if start > 0 and (
                self.low[start - 1] in self.v.future_nouns
                or (
                    self.lemmas[start - 1] & self.v.future_nouns
                    and not self.low[start - 1].endswith(("ing", "ed"))  # "Enjoying your visit?"
                )
            ):
                continue
            begin, finish = self._clause(start, end)
            if label is not None:  # "Last visit: 12 March at 6:40 pm": the detail follows
                finish = self._clause(label[1] + 1, label[1] + 2)[1]
            if self._purchase(begin, finish) or self._booking(start, end):
                continue
            details = self._details(begin, finish, i, end, False)
            if label is not None and not details:
                continue
            ordinal = [
                k
                for k in range(start, i)
                if self.low[k] in self.v.numbers or _NUMBER.match(self.low[k])
            ]
            details += [self._detail("count", k, k + 1) for k in ordinal]
            if kind == "search":
                details += self._object(end, finish)
            if end + 1 < len(self.tokens) and self.low[end] == ":":
                details.append(self._detail("object", end + 1, min(len(self.tokens), end + 4)))
            act = TrackingAct(
                kind,
                self._text(start, end),
                self.tokens[start].start,
                self.tokens[end - 1].end,
                who,
                tuple(details),
                (self.tokens[begin].start, self.tokens[finish - 1].end),
                "time" if kind in ("visit", "pickup") else "",
            )
            return act, range(i, end)
        return None

    def _past_noun(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "your last class was 3 weeks ago", "ваше последнее занятие было..."."""
        if not (self.lemmas[i] & self.v.past_nouns or self.low[i] in self.v.past_nouns):
            return None
        if i < 2 or not (self.lemmas[i - 1] & _LAST or self.low[i - 1] in _LAST):
            return None
        owner = i - 2
        if not (self.tokens[owner].second_person and "POSS" in self.tokens[owner].tags):
            return None
        begin, finish = self._clause(owner, i + 1)
        details = [
            d for d in self._details(begin, finish, i, i + 1, False) if d.kind in ("time", "count")
        ]
        act = TrackingAct(
            "attendance",
            self._text(owner, i + 1),
            self.tokens[owner].start,
            self.tokens[i].end,
            "possessive",
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
        )
        return act, range(i, i + 1)

    def _verbless(self, i: int) -> tuple[TrackingAct, range] | None:
        """The reader placed somewhere with no verb of their own: "we saw you at the
        pump", "welcome back from Denver", Russian "вы сейчас в Казани"."""
        if not self.ru:
            return self._seen_at(i) or self._spent_on(i) or self._how_was(i)
        if self.low[i] in ("вас", "с"):
            return self._seen_at(i)
        if self.low[i] not in ("вы", "ты"):
            return None
        for k in range(i + 1, min(len(self.tokens), i + 5)):
            if self.low[k] in _HARD or self.low[k] == ",":
                return None
            if "VERB" in self.tokens[k].pos or "INFN" in self.tokens[k].tags:
                return None
            if self.low[k] in self.v.place_prepositions and self._place_at(k) is not None:
                break
        else:
            return None
        if self._hypothetical(i):
            return None
        begin, finish = self._clause(i, i + 1)
        observed = self._phrase_before(self.v.observation, i + 1, 8) is not None
        details = self._details(begin, finish, i, i + 1, observed)
        kinds = {d.kind for d in details}
        if "place" not in kinds or not kinds & {"time", "count", "observed"}:
            return None
        act = TrackingAct(
            "visit",
            self.tokens[i].text,
            self.tokens[i].start,
            self.tokens[i].end,
            "subject",
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
            "place",
        )
        return act, range(i, i + 1)

    def _spent_on(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "25 minutes on the bankruptcy page yesterday: need help?": time on a page,
        said to the reader, with when."""
        low = self.low
        if not (
            i + 2 < len(low)
            and (_NUMBER.match(low[i]) or low[i] in self.v.numbers)
            and low[i + 1] in ("minutes", "mins", "hours", "hrs", "seconds")
            and low[i + 2] in ("on", "in")
            and (self.question or self.addressed)
        ):
            return None
        return self._presumed(i, i + 2, "time", (i, i + 2))

    def _how_was(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "How was the gig at Wembley last night?": a visit presumed by the question."""
        low = self.low
        if not (self.question and i > 0 and low[i] in ("was", "were") and low[i - 1] == "how"):
            return None
        for k in range(i + 1, min(len(low), i + 8)):
            if low[k] in _HARD or low[k] == ",":
                return None
            if low[k] in self.v.place_prepositions:
                return self._presumed(i - 1, k, "visit", None)
        return None

    def _presumed(
        self, start: int, prep: int, kind: str, length: tuple[int, int] | None
    ) -> tuple[TrackingAct, range] | None:
        """An act with no verb of the reader's: it needs a place at `prep` and a time."""
        begin, finish = self._clause(start, prep)
        stop = self._place_at(prep, finish, loose=True)
        if stop is None:
            return None
        details = [
            d
            for d in self._details(begin, finish, start, prep, False)
            if d.kind in ("time", "count") and d.start > self.tokens[prep].start
        ]
        if not details:
            return None
        details.append(self._detail("place", prep, stop))
        if length is not None:
            details.append(self._detail("time", *length))
        act = TrackingAct(
            kind,
            self._text(start, prep),
            self.tokens[start].start,
            self.tokens[prep - 1].end,
            "elided",
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
        )
        return act, range(start, prep)

    def _seen_at(self, i: int) -> tuple[TrackingAct, range] | None:
        low = self.low
        welcome = low[i : i + 3] in (["welcome", "back", "from"], ["с", "возвращением", "из"])
        back = self.question and (
            (low[i] == "back" and self._opens(i))
            or (  # "Third time on the loans page today?"
                low[i] in ("time", "visit")
                and i > 0
                and (low[i - 1] in self.v.numbers or bool(_NUMBER.match(low[i - 1])))
                and self._opens(i - 1)
            )
        )
        if welcome:
            prep = i + 2
        elif back or (low[i] in ("you", "вас") and (
            self._phrase_before(self.v.observation, i + 1, 3) is not None
            or (i >= 2 and low[i - 2 : i] == ["we", "missed"])
            or (i >= 1 and low[i - 1] in ("seeing", "saw", "seen"))
            or (i >= 3 and low[i - 2 : i] == ["to", "see"] and low[i - 3] in _GREETINGS)
        )):  # "Back on the loans page again?", "we saw you at the pump", "great to see you"
            prep = i + 1
        else:
            return None
        if prep >= len(low) or low[prep] not in self.v.place_prepositions:
            return None
        begin, finish = self._clause(i, prep)
        stop = self._place_at(prep, finish, loose=not welcome)
        if stop is None:
            return None
        details = [
            d for d in self._details(begin, finish, i, prep, not welcome) if d.kind != "place"
        ]
        if back and not {d.kind for d in details} & {"count", "time"}:
            return None
        details.append(self._detail("place", prep, stop))
        if welcome:
            details.append(self._detail("observed", i, prep))
        act = TrackingAct(
            "visit",
            self._text(i, prep),
            self.tokens[i].start,
            self.tokens[prep - 1].end,
            "thanks" if welcome else "elided" if back else "subject",
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
            "place",
        )
        return act, range(i, prep)

    # -- grammar --------------------------------------------------------------------
    def _particles(self, i: int, particles: Sequence[str]) -> int | None:
        """Where the act's words end, when its particles follow it: next to it, after an
        adverb ("were always in"), or after a short object ("checked it out")."""
        end = i + 1
        be = "be" in self.lemmas[i] or "быть" in self.lemmas[i]
        for particle in particles:
            reach = 4 if be or self.ru else 6  # "had the Smith & Co sofa page open"
            for k in range(end, min(len(self.tokens), end + reach)):
                if particle == self.low[k] or particle in self.lemmas[k]:
                    end = k + 1
                    break
                if self.low[k] in _HARD or self.low[k] == ",":
                    return None
                if not self.ru and self.low[k] in self.v.place_prepositions:
                    return None  # "detected near our store at 8": near is the particle
                if be and not (
                    self.low[k] in _ADVERBS
                    or _NUMBER.match(self.low[k])
                    or self.low[k] in self.v.distance
                ):
                    return None
                if self.lemmas[k] & self.v.entries.keys() and particle not in ("back",):
                    return None
            else:
                return None
        return end

    def _form(self, i: int, lemma: str) -> str | None:
        """past | ing | present, or None for an imperative or infinitive: the form of
        the word at `i` as a form of the verb `lemma`."""
        token = self.tokens[i]
        if self.ru:
            tags = token.tags
            if "past" in tags or "PRTS" in tags or "PRTF" in tags:
                return "past"
            if "impr" in tags or "INFN" in tags:
                return None
            if "pres" in tags:
                return "present"
            if "futr" in tags and lemma != "быть":
                return "present"  # only with a habitual word: "каждый день заходите"
            return None
        low = self.low[i]
        if low.endswith("ing") and low != lemma:
            return "ing"
        if lemma == "be":
            return "past" if low in ("was", "were", "been") else "present"
        if (
            low != lemma
            and not (low.endswith("s") and low[:-1] == lemma)
            and not (low.endswith("es") and low[:-2] == lemma)
        ):
            return "past"
        if low in ("read", "hit", "put", "set"):
            return "past"
        return "present"

    def _who(self, i: int, form: str) -> tuple[str | None, bool]:
        """Who does the act at `i`, and whether the copy frames it as observed."""
        observed = self._phrase_before(self.v.observation, i, 8) is not None
        if self._phrase_before(self.v.thanks, i, 4) is not None:
            return "thanks", observed
        low = self.low
        joined = False  # "you left your bike ... and grabbed it": one subject, two acts
        for k in range(i - 1, max(-1, i - 12), -1):
            word = low[k]
            joined = joined or word in ("and", "then", "и", "а")
            if k < i - 6 and not joined:
                break
            if word in _HARD or (word == "," and k < i - 1 and not self.ru):
                break
            if word == "to" and k > 0 and low[k - 1] in _HABIT_TO:
                continue  # "you tend to visit on Wednesdays": a habit, not a wish
            if word in self.v.modal or self.lemmas[k] & self.v.modal:
                return None, observed
            if self.ru and word in ("мы", "я", "он", "она", "они"):
                return None, observed
            if not self.ru and word in ("we", "i", "they", "he", "she", "who", "people"):
                return None, observed
            if (
                not self.ru
                and word in ("someone", "somebody", "someone's", "somebody's")
                and self._opens(k)
                and self.addressed
            ):  # "Someone's been eyeing the gold hoops again, Priya!": the reader, teased
                return "subject", observed
            if self.tokens[k].second_person and (
                "PRON" in self.tokens[k].tags or "NPRO" in self.tokens[k].tags
            ):
                if "POSS" in self.tokens[k].tags:
                    if not any(w in ("and", "then", "и") for w in low[k:i]):
                        break
                    continue  # "you left your bike at 8:10 and grabbed it at 5:55"
                if k > 0 and low[k - 1] in self.v.not_subject and not observed:
                    return None, observed
                if self.ru and "nomn" not in self.tokens[k].tags:
                    return None, observed
                if k > 0 and low[k - 1] in self.v.question_aux and self.question and not observed:
                    return None, observed
                if self._hypothetical(k, past=form == "past" and not self._perfect(k, i)):
                    return None, observed
                return "subject", observed
        dependent = self._dependent(i)
        if dependent:
            return "dependent", observed
        if not self.ru and "by" in low[i + 1 : i + 3] and "you" in low[i + 2 : i + 4]:
            return "subject", observed  # "Ava was signed out by you at 3:17"
        if (self.question or observed) and self._elided(i, form):
            return ("elided" if form == "past" else "elided-ing"), observed
        if form == "past" and self._elided(i, form) and "by" not in low[i + 1 : i + 3]:
            return "recap", observed  # a recap line: "Opened 3 times from Leeds this week."
        return None, observed

    def _dependent(self, i: int) -> bool:
        """ "your son was collected", "ваших детей забрали": someone of the reader's."""
        if self.ru:
            window = range(max(0, i - 3), min(len(self.tokens), i + 4))
            return any(
                self.lemmas[k] & self.v.dependents
                and k > 0
                and "2per" in self.tokens[k - 1].tags
                and "POSS" in self.tokens[k - 1].tags
                for k in window
            )
        for k in range(i - 1, max(-1, i - 5), -1):
            if self.lemmas[k] & self.v.dependents or self.low[k] in self.v.dependents:
                # "your son was collected", "your morning run took you past"
                return "your" in self.low[max(0, k - 2) : k]
            if self.low[k] not in ("was", "were", "been", "has", "have", "had", "just"):
                return False
        return False

    def _perfect(self, k: int, i: int) -> bool:
        """ "once you've visited": a perfect after the reader, still a condition."""
        return any(w in ("'ve", "have", "has", "'d", "had") for w in self.low[k:i])

    def _opens(self, i: int) -> bool:
        """Whether the word at `i` opens its sentence (after punctuation or a greeting)."""
        k = i - 1
        while k >= 0 and not self.tokens[k].is_alpha and self.low[k] not in _HARD:
            k -= 1
        return k < 0 or self.low[k] in _HARD or (k == 0 and self.low[k] in ("hey", "hi", "so"))

    def _elided(self, i: int, form: str) -> bool:
        """ "Skipped leg day again?", "Spent a while on ...": a past verb opening a clause."""
        if form not in ("past", "ing") or self.ru:
            return False
        k = i - 1
        while k >= 0 and not self.tokens[k].is_alpha and self.low[k] not in _HARD:
            k -= 1
        if k < 0 or self.low[k] in _HARD:
            return True
        return k == 0 and self.low[k] in ("hey", "hi", "so", "psst", "oh", "still")

    def _hypothetical(self, k: int, past: bool = False) -> bool:
        """Whether the reader at `k` is in a condition ("if you visit"). A temporal
        clause in the past tells a fact ("when you stopped by on Tuesday")."""
        at = self._phrase_before(self.v.hypothetical, k, 5, stop_at_comma=False)
        if at is None:
            return False
        return not (past and any(self.low[at : at + len(p)] == list(p) for p in self.v.temporal))

    def _phrase_before(
        self,
        phrases: tuple[tuple[str, ...], ...],
        i: int,
        reach: int,
        stop_at_comma: bool = False,
    ) -> int | None:
        """The start of the nearest phrase ending within `reach` words before `i`."""
        words = self.low
        for k in range(i - 1, max(-1, i - reach - 1), -1):
            if words[k] in _HARD and words[k] != ".":
                return None
            if stop_at_comma and words[k] == ",":
                return None
            last = "'ve" if words[k] == "have" else words[k]
            for phrase in _ending_in(phrases).get(last, ()):
                n = len(phrase)
                if k - n + 1 < 0:
                    continue
                if all(_same(words[k - n + 1 + m], p) for m, p in enumerate(phrase)):
                    return k - n + 1
                # phrases may span a comma ("спасибо, что")
                found = _match_skipping(words, k, phrase)
                if found is not None:
                    return found
        return None

    def _clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around tokens [start, end): up to hard punctuation or a comma, and
        at most `_REACH` words either side, so that reading a sentence stays linear in
        its length however many acts it holds."""
        low = self.low
        begin = start
        floor = max(0, start - _REACH)
        while begin > floor and low[begin - 1] not in _HARD and low[begin - 1] != ",":
            begin -= 1
        if begin > 1 and low[begin - 1] == ",":
            # a short opening adverbial of time ("On Tuesday, you ...") belongs here
            opening = begin - 1
            while opening > max(0, begin - 5) and low[opening - 1] not in _HARD | {","}:
                opening -= 1
            if begin - 1 - opening <= 3 and any(
                self._time_at(k) for k in range(opening, begin - 1)
            ):
                begin = opening
        finish = end
        ceiling = min(len(self.tokens), end + _REACH)
        while finish < ceiling and low[finish] not in _HARD:
            if low[finish] == "," and not self._continues(finish):
                break
            finish += 1
        return begin, max(finish, end)

    def _continues(self, comma: int) -> bool:
        """A comma inside a clause: before a time or a number ("at 6, on Tuesday")."""
        nxt = comma + 1
        return nxt < len(self.tokens) and (
            self._time_at(nxt) is not None
            or _NUMBER.match(self.low[nxt]) is not None
            or self.low[nxt] in ("twice", "thrice", "again", "once")  # "..., twice now"
        )

    def _habitual(self, begin: int, finish: int) -> int | None:
        """The habitual word of the clause ("usually", "every"), if any."""
        for k in range(begin, finish):
            if self.low[k] in self.v.habitual:
                return k
        return None

    def _booking(self, start: int, end: int) -> bool:
        """ "your drop-off slot": a booking named by the act, not an act done."""
        if end >= len(self.tokens) or self.low[end] not in _BOOKING:
            return False
        usual = {"usual", "regular", "normal", "last", "latest", "обычный", "последний"}
        return not any(self.low[k] in usual or self.lemmas[k] & usual for k in range(start, end))

    def _purchase(self, begin: int, finish: int) -> bool:
        return any(
            (self.low[k] in self.v.purchase or self.lemmas[k] & self.v.purchase)
            and not (k and self.low[k - 1] in ("n't", "not", "never", "не"))
            and not (k > begin and self.tokens[k].text[:1].isupper())  # "the Buy button"
            for k in range(begin, finish)
        )

    def _relative(self, i: int) -> bool:
        """ "the dress you picked up": the reader's act inside a noun phrase."""
        k = i - 1
        while k >= 0 and not (self.tokens[k].second_person and "POSS" not in self.tokens[k].tags):
            k -= 1
        return (
            k > 0
            and self.tokens[k - 1].is_alpha
            and self.low[k - 1]
            not in (
                "and",
                "but",
                "so",
                "since",
                "because",
                "as",
                "that",
                "thanks",
                "noticed",
                "saw",
                "hey",
                "hi",
            )
            and not self._phrase_before(self.v.observation, k + 1, 3)
        )

    def _times_counted(self, begin: int, finish: int) -> bool:
        """A count of times in the clause ("for the fifth time", «пятый раз»)."""
        return any(
            self.low[k] in ("time", "times", "раз")
            and k > begin
            and (self.low[k - 1] in self.v.numbers or _NUMBER.match(self.low[k - 1]) is not None
                 or self.lemmas[k - 1] & self.v.numbers)
            for k in range(begin, finish)
        )

    def _keeps(self, begin: int, i: int) -> bool:
        return any(self.low[k] in ("keep", "keeps", "kept") for k in range(begin, i))

    # -- details --------------------------------------------------------------------
    def _details(
        self, begin: int, finish: int, i: int, end: int, observed: bool, loose: bool = False
    ) -> list[Detail]:
        out: list[Detail] = []
        for k in range(begin, finish - 2):  # "200 metres from our store": where they are now
            if (
                (_NUMBER.match(self.low[k]) or "NUMR" in self.tokens[k].tags)
                and (self.low[k + 1] in self.v.distance or self.lemmas[k + 1] & self.v.distance)
                and (self.low[k + 2] in ("from", "away", "от"))
            ):
                out.append(self._detail("near", k, k + 3))
        if observed:
            at = self._phrase_before(self.v.observation, i + 1, 9)
            if at is not None:
                out.append(self._detail("observed", at, max(at + 1, min(i, at + 2))))
        k = begin
        while k < finish:
            if k == i:
                k += 1
                continue
            found = (
                self._time_at(k, finish)
                or self._count_at(k, finish)
                # a place before an English act is what a relative clause hangs on
                # ("catch up on the sessions you missed"), not where the reader was
                or (self._place_span(k, finish, loose) if k > i or self.ru else None)
            )
            if found is None:
                k += 1
                continue
            kind, stop = found
            out.append(self._detail(kind, k, stop))
            k = stop
        return out

    def _time_at(self, k: int, finish: int | None = None) -> tuple[str, int] | None:
        low = self.low
        finish = len(low) if finish is None else finish
        word = low[k]
        lemmas = self.lemmas[k]
        if _CLOCK.match(word):
            return "time", k + 1
        if (
            _NUMBER.match(word)
            and k + 1 < finish
            and (low[k + 1] in self.v.clock or self.lemmas[k + 1] & self.v.clock)
        ):
            return "time", k + 2
        if word in self.v.weekdays or (self.ru and lemmas & self.v.weekdays):
            after = low[k + 1] if k + 1 < finish else ""
            if (
                after.isalpha()
                and after not in self.v.time_words
                and not self.ru
                and (after not in self.v.place_prepositions and after not in ("and", "or", "at"))
            ):
                return "day", k + 1  # "our Sunday sale": a day naming a thing, weaker
            return "time", k + 1
        month = (word in self.v.months or lemmas & self.v.months) and (
            self.tokens[k].text[:1].isupper() or self.ru
        )
        if month and (  # "may" only next to a number ("3 May")
            word != "may"
            or (k and _NUMBER.match(low[k - 1]))
            or (k + 1 < finish and _NUMBER.match(low[k + 1]))
        ):
            return "time", k + 1
        for phrase in self.v.time_phrases:
            n = len(phrase)
            if k + n <= finish and all(
                _same(low[k + m], p) or p in self.lemmas[k + m] for m, p in enumerate(phrase)
            ):
                return "time", k + n
        if word in ("since", "с", "со") and k + 1 < finish:
            nxt = self.tokens[k + 1]
            if not nxt.second_person and low[k + 1] not in ("we", "then", "мы", "тех"):
                if self.ru and not (
                    _NUMBER.match(low[k + 1])
                    or self.lemmas[k + 1] & (self.v.weekdays | self.v.months)
                ):
                    return None
                return "time", k + 2
        if word in ("at", "around", "by", "about") and k + 1 < finish and not self.ru:
            hour = low[k + 1]
            if hour.isdigit() and 0 < int(hour) <= 24:
                return "time", k + 2
        if word in ("ago", "назад"):
            return "time", k + 1
        if (
            word in ("within", "for", "в", "за")
            and k + 2 < finish
            and (
                low[k + 1] in ("a", "an", "one")
                or _NUMBER.match(low[k + 1])
                or low[k + 1] in self.v.numbers
            )
            and (low[k + 2] in self.v.durations or self.lemmas[k + 2] & self.v.durations)
        ):
            return "time", k + 3
        return None

    def _count_at(self, k: int, finish: int) -> tuple[str, int] | None:
        low = self.low
        word = low[k]
        for phrase in self.v.count_phrases:
            n = len(phrase)
            if k + n <= finish and all(_same(low[k + m], p) for m, p in enumerate(phrase)):
                if phrase == ("once",) and k + 1 < finish and self.tokens[k + 1].second_person:
                    return None
                return "count", k + n
        number = _NUMBER.match(word) or word in self.v.numbers or self.lemmas[k] & self.v.numbers
        if not number or _YEAR.match(word):  # "in 2019" dates a relationship, not an act
            return None
        before = low[k - 1] if k else ""
        after = low[k + 1] if k + 1 < finish else ""
        if before in self.v.not_counts or before in ("$", "£", "€", "size", "размер"):
            return None
        if after in self.v.not_counts and after != "%":
            return None
        if after == "%" and k + 2 < finish and low[k + 2] in ("off", "скидк"):
            return None
        if (after in self.v.distance or (after and self.lemmas[k + 1] & self.v.distance)) and (
            k + 2 < finish and low[k + 2] in ("from", "away", "от")
        ):
            return "place", min(finish, k + 3)
        return "count", k + 1

    def _place_span(self, k: int, finish: int, loose: bool = False) -> tuple[str, int] | None:
        if self.low[k] not in self.v.place_prepositions:
            return None
        stop = self._place_at(k, finish, loose)
        return ("place", stop) if stop is not None else None

    def _place_at(self, k: int, finish: int | None = None, loose: bool = False) -> int | None:
        """The end of a place phrase after the preposition at `k`: a named place ("our
        Elm St store", "Lisbon"), a place a person goes ("the gym"), a device. A place any
        reader has ("our website") counts only when `loose` (being on it at a time)."""
        low = self.low
        finish = len(low) if finish is None else finish
        if self.ru and low[k] == "у" and k + 1 < finish and low[k + 1] == "нас":
            return k + 2
        if k + 1 < finish and low[k] == "from" and low[k + 1] in ("us", "we"):
            return None
        specific = False
        named = 0  # the end of the last capitalised word: a name ("Lisbon", "Elm St")
        j = k + 1
        while j < min(finish, k + 7):
            token = self.tokens[j]
            word = low[j]
            when = self._time_at(j, finish)
            if when is not None and when[1] + 1 < finish and low[when[1]] == "'s":
                when = ("time", when[1] + 1)  # "Tuesday's class"
            if (
                when is not None
                and when[1] < finish
                and ((self.lemmas[when[1]] | {low[when[1]]}) & self.v.place_nouns)
            ):
                j = when[1]  # "the 7am class"
                continue
            if word in _HARD or word == "," or when is not None:
                break
            lemmas = self.lemmas[j]
            nouns = (lemmas | {word}) & self.v.place_nouns
            if nouns and not (self.ru and "NOUN" not in token.pos):
                while j + 1 < finish and (self.lemmas[j + 1] | {low[j + 1]}) & self.v.place_nouns:
                    j += 1
                    nouns |= (self.lemmas[j] | {low[j]}) & self.v.place_nouns
                generic = not (nouns - self.v.generic_places)
                return j + 1 if (specific or named or loose or not generic) else None
            if token.is_alpha and token.text[:1].isupper() and j > 0:
                if word in self.v.weekdays or word in self.v.months:
                    break
                j += 1
                named = j
                continue
            if word in self.v.generic_modifiers or lemmas & self.v.generic_modifiers:
                j += 1
                continue
            if word in ("'s", "-", "'", "&") or _NUMBER.match(word) or "NUMR" in token.tags:
                j += 1
                continue
            if (
                (word in self.v.distance or lemmas & self.v.distance)
                and j + 1 < finish
                and (low[j + 1] in ("from", "от", "away"))
            ):
                j += 2  # "200 metres from our store": how near is where they are
                specific = True
                continue
            if j == k + 1 and low[k] in ("рядом", "near", "next") and word in ("с", "со", "to"):
                j += 1
                continue
            if not token.is_alpha or word in self.v.vague or word in self.v.place_prepositions:
                break
            if self.ru:
                if "ADJF" in token.tags or "PRTF" in token.tags:
                    specific = True
                    j += 1
                    continue
                if "Geox" in token.tags or "Name" in token.tags or "Surn" in token.tags:
                    j += 1
                    named = j
                    continue
                if "NOUN" in token.pos and not specific and j + 1 < finish:
                    specific = True  # "в районе Арбата", "в парке Горького"
                    j += 1
                    continue
                break
            specific = True  # a modifier of a place noun still to come ("our pricing page")
            j += 1
        return named or None

    def _place_here(self, i: int, end: int, finish: int) -> tuple[int, int] | None:
        """The place a being-somewhere act names itself: after its particle ("were at
        the stadium"), its object ("used the pool"), or for a bare verb a preposition
        next to it ("были на стадионе")."""
        if end > i + 1:
            stop = self._place_at(end - 1, finish, loose=True)
            return (end - 1, stop) if stop is not None else None
        for k in range(i + 1, min(finish, i + 3)):
            if self.low[k] in self.v.place_prepositions:
                stop = self._place_at(k, finish, loose=True)
                if stop is None and self.ru:
                    # "на пробежке в парке": the next phrase may name the place
                    for n in range(k + 2, min(finish, k + 4)):
                        if self.low[n] in ("в", "на"):
                            stop = self._place_at(n, finish, loose=True)
                            break
                return (k, stop) if stop is not None else None
            if not self.ru:
                break
            if self.low[k] not in self.v.time_words and "ADVB" not in self.tokens[k].tags:
                break
        if not self.ru:  # "used our app": a place any reader has, told with when or how often
            stop = self._place_at(i, finish, loose=True)
            return (i + 1, stop) if stop is not None else None
        return None

    def _opens_other(self, i: int, end: int, finish: int) -> bool:
        """ "you opened an account": opening that is not reading a message."""
        if not self.lemmas[i] & {"open", "открыть", "открывать"}:
            return False
        return any(
            self.low[k] in self.v.not_tracked or self.lemmas[k] & self.v.not_tracked
            for k in range(end, min(finish, end + 4))
        )

    def _duration(self, end: int, finish: int) -> tuple[int, int] | None:
        """A length of time after the verb: "14 minutes", "ages", "a while", "полчаса"."""
        for k in range(end, min(finish, end + (8 if self.ru else 4))):
            word = self.low[k]
            if word in self.v.purchase:
                return None
            when = self._time_at(k, finish) if k == end and not self.ru else None
            if when is not None:
                return (k, when[1])  # "spent Sunday at the park"
            if word in ("most", "much", "all") and k + 2 < finish and self.low[k + 1] == "of":
                when = self._time_at(k + 2, finish)  # "spent most of Saturday on"
                if when is not None:
                    return (k, when[1])
            if word in self.v.durations or self.lemmas[k] & self.v.durations:
                before = self.low[k - 1] if k > end else ""
                if (
                    k == end
                    or before in _DURATION_BEFORE
                    or before in self.v.weekdays  # "your Sunday evening"
                    or (self.ru and "ADJF" in self.tokens[k - 1].tags)  # «субботний вечер»
                    or bool(
                        _NUMBER.match(before)
                        or before in self.v.numbers
                        or before in ("lot", "few")
                    )
                ):
                    return (max(end, k - 1), k + 1)
                return None
        return None

    def _object(self, end: int, finish: int) -> list[Detail]:
        """A definite thing viewed or searched for: "the Alpine 2 tent", "debt help"."""
        k = end
        if k < finish and self.low[k] in ("for", "at", "about", "на", "о", "об", "про"):
            k += 1
        if k >= finish:
            return []
        if self.low[k] in _QUOTES:
            return [self._detail("object", k, min(finish, k + 4))]
        if self.low[k] in self.v.vague and self.low[k] not in (
            "the",
            "our",
            "that",
            "your",
            "a",
            "an",
            "this",
            "these",
            "those",
        ):
            return []
        j = k
        while j < finish and self.low[j] in (
            "the",
            "our",
            "that",
            "your",
            "this",
            "these",
            "those",
            "same",
            "a",
            "an",
            "наш",
            "ваш",
        ):
            j += 1
        if j >= finish or not self.tokens[j].is_alpha or self.low[j] in self.v.vague:
            return []
        if self.lemmas[j] & {"be", "have", "do", "быть"} or self.low[j] in self.v.modal:
            return []
        if self.low[j] in self.v.function_words:
            return []
        if self.low[k] in ("a", "an") and j == k + 1:
            return []
        return [self._detail("object", k, min(finish, j + 2))]

    # -- helpers ----------------------------------------------------------------------
    def _detail(self, kind: str, start: int, stop: int) -> Detail:
        stop = max(stop, start + 1)
        return Detail(
            kind,
            self.tokens[start].start,
            self.tokens[stop - 1].end,
            self._text(start, stop),
        )

    def _text(self, start: int, stop: int) -> str:
        return " ".join(t.text for t in self.tokens[start:stop])


def _name_like(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.isalpha() and len(word) > 1


@lru_cache(maxsize=65536)
def _unknown_verb(word: str, lemmas: frozenset[str]) -> set[str]:
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
def _ending_in(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their last word: only those can end at a given word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(found) for word, found in out.items()}


def _same(word: str, expected: str) -> bool:
    return word == expected or (expected == "'ve" and word == "have")


def _match_skipping(words: Sequence[str], k: int, phrase: tuple[str, ...]) -> int | None:
    """A phrase ending at `k` with commas between its words ("спасибо, что")."""
    m = len(phrase) - 1
    j = k
    while m >= 0 and j >= 0:
        if words[j] == ",":
            j -= 1
            continue
        if not _same(words[j], phrase[m]):
            return None
        m -= 1
        j -= 1
    return j + 1 if m < 0 else None
