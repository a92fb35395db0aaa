"""Tracking acts: where a sentence tells its reader what they were seen doing (CC204).

A tracking act is a second-person act of viewing, visiting, opening, searching, being
somewhere, picking up or dropping off, checking in or missing a class, or spending time
on a page ("you looked at", "you were at", "your last visit", "thanks for stopping by"),
told as a fact (past, perfect, progressive or habitual: not an invitation, a question or
a hypothetical), together with what makes it an observation of that person: a count ("3
times", "twice", "every day"), a time ("yesterday", "on Tuesday at 6pm", "since 4 May"),
a place ("at our Elm St store", "from your phone") or an observation frame ("we saw
you"). Any other act of the reader's counts too when the copy tells how many times and
when ("you braked hard 14 times last week"). Third parties ("87 shoppers viewed this"),
the sender's own facts ("our store opens at 9") and generic copy ("people who viewed
this also viewed") have no such act.

The words live in `lexicons/tracking.<language>.yaml` (read by `tracking_vocabulary`);
the grammar around an act is `tracking_clause`, its details `tracking_details`, acts
with no verb of the reader's `tracking_verbless`; this module finds the acts. What a
sentence says depends on its text alone, so it is read once per distinct sentence and
cached on the sentence's `Reading`. Offsets of the result are relative to the sentence;
`acts_in()` shifts them into the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import Sentence, Token
from creepcheck.text.tracking_act import Detail, TrackingAct
from creepcheck.text.tracking_verbless import VerblessReader
from creepcheck.text.tracking_vocabulary import (
    HARD,
    LAST,
    MOST_ACTS,
    NUMBER,
    RECEIPT_TIMES,
    YEAR,
    ActEntry,
)

__all__ = ["Detail", "TrackingAct", "acts_in", "read_acts"]


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


# Before a count of things, words that make a following "left" mean "remaining": "you have
# 3 free articles left", "only 2 days left".
HELD = frozenset({"have", "has", "'ve", "got", "only", "just", "still", "with"})

# After a number, words that make it a share of something: "3 of our photos".
PARTITIVE = frozenset({"of", "out", "из", "от"})

# After a session: what makes it one still to come ("your last class is on Friday").
SCHEDULED = frozenset({"is", "'s", "will", "'ll", "starts", "begins", "runs", "takes"})

PASSIVE = frozenset({"been", "was", "were", "is", "are", "being", "got", "get"})


# Before a clock time: when an act happened ("before 7am", "around 6").
TIME_PREPOSITIONS = frozenset({"before", "after", "by", "around", "until", "till"})

# What an act of a flagged entry needs before it tells anything (tracking.en.yaml).
NEEDS = {"place": "place", "habitual": "time", "timed": "time", "counted": "count"}


class _Reader(VerblessReader):
    """The acts of one sentence: verbs, nouns and verbless phrases said of the reader."""

    def acts(self) -> list[TrackingAct]:
        out: list[TrackingAct] = []
        taken: set[int] = set()
        for i in range(len(self.tokens)):
            if len(out) >= MOST_ACTS:
                break  # a sentence of endless "you viewed" says nothing its first acts do not
            if i in taken:
                continue
            found = (
                self._verb_act(i)
                or self._noun_act(i)
                or self._past_noun(i)
                or self._missed_count(i)
                or self._verbless(i)
                or self._counted_act(i)
            )
            if found is not None:
                act, used = found
                taken.update(used)
                out.append(act)
        return out

    def _remaining(self, i: int) -> bool:
        """ "left" after a count of things held: what remains, not a place left."""
        if self.ru or self.low[i] != "left" or i == 0 or self.tokens[i - 1].second_person:
            return False
        for k in range(i - 1, max(-1, i - 6), -1):
            if self.tokens[k].is_punct:
                return False
            if self.low[k] in HELD:
                return k < i - 1
        return False

    def _into_container(self, entry: ActEntry, end: int) -> bool:
        """A cart act said with its particle ("add to", "remove from") names a basket,
        wishlist or saved list within a few words; one without ("abandon") needs none."""
        if len(entry.words) == 1 or not self.v.containers:
            return True
        return any(w in self.v.containers for w in self.low[end : end + 4])

    def _verb_act(self, i: int) -> tuple[TrackingAct, range] | None:
        candidates = [e for lemma in self.lemmas[i] for e in self.v.entries.get(lemma, ())]
        if not candidates or self._remaining(i):
            return None
        for entry in sorted(candidates, key=lambda e: len(e.words), reverse=True):
            end = self._particles(i, entry.words[1:])
            if end is None:
                continue
            if entry.kind == "cart" and not self._into_container(entry, end):
                continue  # "A device was removed from your account": not a basket
            form = self._form(i, entry.words[0])
            if form is None:
                return None
            who, observed = self._who(i, form)
            if who is None:
                return None
            begin, finish = self._clause(i, end)
            if who == "subject" and not self.ru and self._relative(i):
                main = (k for k in range(end, finish) if self.low[k] in self.v.main_verb)
                finish = next(main, finish)  # "the suite you saved is 20% off by Sunday"
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
            needs = NEEDS.get(entry.flag, "")
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
            if who == "elided-ing" and form == "present" and not self._pinned(details):
                return None  # "Usually visit us at the weekend?" asks; "on Sundays at 8" knows
            if who == "thanks":  # "thanks for visiting us today" is a receipt; what stands
                # before the thanks is another clause's ("... 2 million times - thank you!")
                said = self.tokens[self._phrase_before(self.v.thanks, i, 4) or 0].start
                details = [d for d in details if d.text.lower() not in RECEIPT_TIMES]
                details = [d for d in details if d.start >= said]
            if entry.kind == "open" and self._opens_other(i, end, finish):
                return None  # "you opened an account": not a tracked open
            if needs == "place" and (
                end >= finish
                or self.low[end] in ("since", "с", "со")
                or (not self.ru and entry.words[-1] == "in" and self._time_after(end, finish))
                or (habitual is not None and self._time_at(end + 1, finish) is not None)
            ):
                needs = ""  # "you haven't been in since May": been in is a visit
            if entry.flag == "counted" and not any(self._of_times(d) for d in details):
                return None  # "you looked great", "you looked amazing in 3 photos"
            if entry.flag == "duration":
                length = self._duration(end, finish)
                if length is None:
                    return None
                details.append(self._detail("time", *length))
            if (entry.flag == "strong" or entry.kind == "search") and not self.question:
                details += self._object(end, finish)  # a question may ask what they saw
            elif entry.kind == "search":
                details += self._query(end, finish)  # but not quote what they typed
            elif entry.flag == "strong":
                details += self._known_object(end, finish)  # or point at what they saw
            if habitual is not None:
                details.append(self._detail("habit", habitual, habitual + 1))
            elif self._keeps(begin, i):
                details.append(self._detail("count", i, i + 1))
            elif who == "elided-ing" and i > 0 and self.low[i - 1] == "still":
                details.append(self._detail("count", i - 1, i))  # "Still browsing at 2am?"
            act = self._act_over(entry.kind, i, end, who, details, (begin, finish), needs)
            if needs == "place" and form == "present":
                # "you're in luck", "you're at the heart of": a present state needs a time
                kinds = {d.kind for d in details}
                if not kinds & {"time", "observed", "near"}:
                    return None
            return act, range(i, end)
        return None

    def _time_after(self, k: int, finish: int) -> bool:
        """A time right after `k`, or after a preposition of time: "been in at 6am", "been
        in before 7am three days running"."""
        if self._time_at(k, finish):
            return True
        if k + 1 >= finish or self.low[k] not in TIME_PREPOSITIONS:
            return False
        return bool(self._time_at(k + 1, finish))

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
            if len(words) == 1 and self._verb_after_noun(i):
                continue  # "your priority boarding lane opens on Monday": a verb
            owner = None
            quoted = self._quoted_before(i) if kind == "search" else None
            named = quoted[0] if quoted is not None else i  # "your 'cabin in Wales' search"
            for k in range(named - 1, max(-1, named - 5), -1):
                token = self.tokens[k]
                if ("POSS" in token.tags and token.second_person) or (
                    self.low[k] == "another" and (self.question or self.addressed)
                ):  # "your visits", "Another lunchtime visit, Sam?"
                    owner = k
                    break
                if self.low[k] in ("'s", "'") or self._time_at(k, i) is not None:
                    continue  # "your son's drop-off", "your Saturday 10am visits"
                if (
                    not token.is_alpha
                    or self.low[k] in self.v.future_nouns
                    or (self.lemmas[k] & self.v.future_nouns)
                ):
                    break
            if quoted is not None and owner and self._instruction(owner - 1):
                continue  # "Try your 'near me' search in the app": an example to follow
            thanks = self._phrase_before(self.v.thanks, i, 3)
            number = i - 1  # "40 visits", or with one word between: "one gym visit",
            before = self.tokens[i - 1] if i else None  # "3 early rides"; not "several visits"
            describes = (
                before is not None
                and "ADJ" in before.pos
                and "NOUN" not in before.pos
                and self.low[i - 1] not in self.v.numbers
            )
            place = i > 0 and (self.lemmas[i - 1] | {self.low[i - 1]}) & self.v.place_nouns
            if i > 1 and (place or describes):
                number = i - 2
            counted = (
                i > 0
                and (
                    bool(NUMBER.match(self.low[number]))
                    or self.low[number] in self.v.numbers
                    or self.low[number] == "one"
                )
                and not YEAR.match(self.low[number])
                and (self.question or self.addressed or self._tallied(number))
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
            if owner is not None and self._hypothetical(owner, past=self._past_after(end)):
                continue  # "We'll email you when your search alert has new matches"
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
                if self.low[k] in self.v.numbers or NUMBER.match(self.low[k])
            ]
            details += [self._detail("count", k, k + 1) for k in ordinal]
            if kind == "search":
                details += self._object(end, finish)
                if quoted is not None:
                    details.append(self._detail("query", *quoted))
            if end + 1 < len(self.tokens) and self.low[end] == ":":
                details.append(self._detail("object", end + 1, min(len(self.tokens), end + 4)))
            needs = "time" if kind in ("visit", "pickup") else ""
            act = self._act_over(kind, start, end, who, details, (begin, finish), needs)
            return act, range(i, end)
        return None

    def _past_noun(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "your last class was 3 weeks ago", "ваше последнее занятие было..."."""
        if not (self.lemmas[i] & self.v.past_nouns or self.low[i] in self.v.past_nouns):
            return None
        another = self._another(i)
        if another is not None:
            owner = another
        else:
            # "your last class", or with what kind between: "your last spin class"
            lasts = (k for k in (i - 1, i - 2) if k >= 1 and self._is_last(k))
            last = next(lasts, None)
            if last is None or (last == i - 2 and not self.tokens[i - 1].is_alpha):
                return None
            owner = last - 1
            if not (self.tokens[owner].second_person and "POSS" in self.tokens[owner].tags):
                return None
        if self._scheduled(i + 1):
            return None  # "Your last class of the term is on 3 February": one to come
        begin, finish = self._clause(owner, i + 1)
        details = [
            d for d in self._details(begin, finish, i, i + 1, False) if d.kind in ("time", "count")
        ]
        act = self._act_over("attendance", owner, i + 1, "possessive", details, (begin, finish))
        return act, range(i, i + 1)

    def _verb_after_noun(self, i: int) -> bool:
        """An English word that can only be a verb, after a noun that is its subject."""
        if self.ru or i == 0 or "NOUN" in self.tokens[i].pos:
            return False
        before = self.tokens[i - 1]
        return before.is_alpha and "NOUN" in before.pos and not before.tags & {"POSS", "2per"}

    def _is_last(self, k: int) -> bool:
        return bool(self.lemmas[k] & LAST) or self.low[k] in LAST

    def _scheduled(self, k: int) -> bool:
        """Whether the clause from `k` tells a session still to come: "is on", "will be",
        "starts at" before any "was" or "ago"."""
        for word in self.low[k : k + 8]:
            if word in ("was", "were", "ago") or word in HARD:
                return False
            if word in SCHEDULED:
                return True
        return False

    def _counted_act(self, i: int) -> tuple[TrackingAct, range] | None:
        """Any act of the reader's told as a fact with how many times and when, whatever
        the verb: "you braked hard 14 times last week", "you took 7 rides between
        midnight and 4 am last month". Counting someone's acts over a stretch of time is
        what a log does; the verbs of the vocabulary are read by `_verb_act` first."""
        token = self.tokens[i]
        if "VERB" not in token.pos or not token.is_alpha or self.lemmas[i] & self.v.not_acts:
            return None  # "you ordered 18 times": purchase recall
        form = self._form(i, token.lemma)
        if form != "past":
            return None
        who, observed = self._who(i, form)
        begin, finish = self._clause(i, i + 1)
        device = (
            who in ("dependent", None)
            and self._device_subject(i)
            and not any(self.lemmas[k] & self.v.handled for k in range(i, finish))
        )
        if who != "subject" and not device:
            return None
        if self._purchase(begin, finish):
            return None  # "you bought 3 pairs last month": purchase recall
        details = self._details(begin, finish, i, i + 1, observed)
        counted = any(self._counts_acts(d) for d in details)
        timed = any(d.kind == "time" for d in details)
        if device and not counted:
            # what the reader's device logged says when to the minute or for how long:
            # "Your toll tag crossed the bridge at 6:02", "Your tablet stayed on chapter 7
            # for over an hour"
            clocked = any(d.kind == "time" and self._clocked(d) for d in details)
            placed = any(d.kind == "place" for d in details) and any(
                d.kind == "time" and not self._after_for(d) for d in details
            )  # "went looking for chargers near Lakeview on Saturday"
            length = self._lasting(i + 1, finish)
            if length is not None:
                details.append(self._detail("time", *length))
            counted = timed = clocked or placed or length is not None
        if not (counted and timed):
            return None
        who = who or "dependent"
        act = self._act_over("activity", i, i + 1, who, details, (begin, finish))
        return act, range(i, i + 1)

    def _device_subject(self, i: int) -> bool:
        """The reader's car, phone, watch or toll tag did the act: "Your car has made 9
        trips to Westgate this month", "Your car's sat-nav went looking for chargers" log
        their owner. Not a card or an account, whose uses a statement lists."""
        if i == 0 or self.lemmas[i] & {"be", "have", "get"} or self.low[i - 1] in PASSIVE:
            return False  # "Your car has been serviced twice": done to it, not by it
        for k in range(i - 1, max(-1, i - 5), -1):
            if self.tokens[k].is_punct and self.low[k] != "'s":
                return False
            if self.lemmas[k] & self.v.logging_devices or self.low[k] in self.v.logging_devices:
                return "your" in self.low[max(0, k - 3) : k]
        return False

    def _of_times(self, detail: Detail) -> bool:
        """A count of times and nothing else: "5 times", "twice", «3 раза»."""
        if detail.kind != "count":
            return False
        at = self._first_token(detail)
        if self.low[at] in ("twice", "thrice", "once"):
            return True
        after = self.lemmas[at + 1] if at + 1 < len(self.tokens) else frozenset()
        return bool(after & {"time", "раз"})

    def _counts_acts(self, detail: Detail) -> bool:
        """A count of occurrences: "twice", "14 times", "7 rides"; not the number of a
        length of time ("3 years ago") or of a price or a score."""
        if detail.kind != "count":
            return False
        at = self._first_token(detail)
        word = self.low[at]
        if not (NUMBER.match(word) or word in self.v.numbers):
            return word not in ("again", "keep", "kept", "every", "each")
        after = at + 1
        if after >= len(self.tokens) or not self.tokens[after].is_alpha:
            return False
        lemmas = self.lemmas[after] | {self.low[after]}
        if "time" in lemmas or "раз" in lemmas:
            return True  # "14 times", «3 раза»
        if self.low[after] in PARTITIVE:
            return False  # "in 3 of our photos", "2 out of 5": a share, not a count of acts
        measures = self.v.durations | self.v.time_words | self.v.clock | self.v.months
        return not lemmas & (measures | self.v.distance | self.v.not_acts)

    def _another(self, i: int) -> int | None:
        """ "Another 6am swim this morning?": one more of the reader's sessions, asked or
        said to them, with only times between "another" and the noun."""
        if not (self.question or self.addressed):
            return None
        for k in range(i - 1, max(-1, i - 4), -1):
            if self.low[k] == "another":
                return k
            if self._time_at(k, i) is None and not self.lemmas[k] & self.v.clock:
                return None
        return None
