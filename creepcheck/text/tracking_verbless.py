"""Tracking acts with no verb of the reader's own: the reader placed somewhere ("we saw
you at the pump", "welcome back from Denver", «вы сейчас в Казани»), a length of time on a
page ("25 minutes on the bankruptcy page yesterday"), a visit presumed by a question ("How
was the gig at Wembley last night?")."""

from __future__ import annotations

import re

from creepcheck.text.tracking_act import Detail, TrackingAct
from creepcheck.text.tracking_places import PlaceReader
from creepcheck.text.tracking_vocabulary import GREETINGS, HARD, LAST, NUMBER

__all__ = ["VerblessReader"]

ORDINAL = re.compile(r"^\d{1,2}(?:st|nd|rd|th)$")
TALLY_LEADS = (["that", "'s"], ["that", "is"], ["it", "'s"], ["this", "is"])
# Stretches of time up to now said in one word: "Eleven searches today".
STRETCH_WORDS = frozenset({"today", "yesterday", "tonight", "since"}) | LAST

# The reader's habit said as an adjective: "your usual time", "your regular 6pm slot"
USUAL = frozenset({"usual", "regular", "normal", "typical"})
# What is booked or sent, not a visit: "your usual delivery slot", "your regular order"
BOOKED = frozenset(
    {"delivery", "deliveries", "order", "orders", "prescription", "collection", "payment",
     "appointment", "booking", "reservation", "bill", "reminder", "email", "newsletter"}
)  # fmt: skip
SENDERS = frozenset({"our", "we", "open", "opens", "close", "closes", "closing", "opening"})
VISITS = frozenset({"visit", "stop", "trip", "shop", "session", "class", "slot", "swim", "run"})
# How far after "we missed you at" the session may be named ("Tuesday's 7am spin class").
SESSION_REACH = 6
# Before a length of time opening a line: "Almost an hour in the planner last night!"
HEDGES = frozenset({"almost", "nearly", "over", "about", "around", "just"})
# Before a distance from a place: "you're only about 200 metres from"; not "never more than".
NEAR_HEDGES = frozenset({"about", "around", "only", "just", "now", "roughly", "barely"})


class VerblessReader(PlaceReader):
    """The verbless acts of a sentence; `tracking._Reader` adds the verb and noun acts."""

    def _verbless(self, i: int) -> tuple[TrackingAct, range] | None:
        """The reader placed somewhere with no verb of their own: "we saw you at the
        pump", "welcome back from Denver", Russian "вы сейчас в Казани"."""
        if not self.ru:
            return (
                self._seen_at(i)
                or self._how_near(i)
                or self._back_for_look(i)
                or self._spent_on(i)
                or self._how_was(i)
                or self._counted_line(i)
                or self._placed_by_name(i)
                or self._usual_time(i)
            )
        if self.low[i] in ("вас", "с"):
            return self._seen_at(i)
        if self.lemmas[i] & {"минута", "час"}:
            return self._spent_on(i - 1) if i else None
        if self.low[i] not in ("вы", "ты"):
            return None
        for k in range(i + 1, min(len(self.tokens), i + 5)):
            if self.low[k] in HARD or self.low[k] == ",":
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
        act = self._act_over("visit", i, i + 1, "subject", details, (begin, finish), "place")
        return act, range(i, i + 1)

    def _spent_on(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "25 minutes on the bankruptcy page yesterday: need help?": time on a page,
        said to the reader, with when. A line that opens with the length ("Almost an hour
        in the kitchen planner last night!", "Forty minutes with our mortgage calculator
        on Sunday night") needs no "you" when the place is a page or tool of the sender's."""
        low = self.low
        end = self._length_at(i)
        if end is None or end >= len(low):
            return None
        told = self.question or self.addressed or self._label_line(i)
        line = not self.ru and self._opens(i - 1 if i and low[i - 1] in HEDGES else i)
        if not (told or line):
            return None
        if low[end] in ("on", "in", "на", "в") or (line and low[end] == "with"):
            found = self._presumed(i, end, "time", (i, end))
            if found is not None and not told and not self._tool_at(end + 1):
                return None  # "Two hours in the spa on Sunday, £49": an offer
            return found
        return self._spent_doing(i) if end == i + 2 and told else None

    def _usual_time(self, i: int) -> tuple[TrackingAct, range] | None:
        """When the reader habitually comes, said as theirs: "Come by at your usual time
        on Friday", "your usual 6pm slot", "See you at 7:45 as usual, Tom!". Not a thing
        they habitually have ("your usual order", "Book your usual class") or a service
        booked ("your delivery slot is Tuesday 6-8pm, as usual")."""
        low = self.low
        if low[i] == "your" and low[i + 1 : i + 2] and low[i + 1] in USUAL:
            when = self._time_named(i + 2)
            habit = (i + 1, i + 2)
        elif low[i : i + 2] == ["as", "usual"] and (self.addressed or self.question):
            k = i - 1
            while k > max(0, i - 4) and low[k] not in HARD | {","}:
                k -= 1  # the time said just before: "See you at 7:45 as usual"
            when = next(
                ((m, i) for m in range(k, i) if self._time_at(m) == ("time", i)), None
            )
            habit = (i, i + 2)
        else:
            return None
        if when is None:
            return None
        begin, finish = self._clause(min(i, when[0]), max(habit[1], when[1]))
        if any(w in BOOKED for w in low[begin:finish]):
            return None
        if low[i] == "as" and SENDERS.intersection(low[begin:i]):
            return None  # "Our stores close at 8pm as usual": the sender's hours
        details = (self._detail("habit", *habit), self._detail("time", *when))
        act = self._act_over("visit", i, habit[1], "possessive", details, (begin, finish))
        return act, range(i, habit[1])

    def _time_named(self, k: int) -> tuple[int, int] | None:
        """A time of day or week right at `k`, as a visit's: "time" (not "time to"), "6pm
        slot", "Friday-evening stop", "Saturday visit"."""
        low = self.low
        if k >= len(low):
            return None
        if low[k] == "time":
            return None if low[k + 1 : k + 2] in (["to"], ["for"]) else (k, k + 1)
        found = self._time_at(k)
        if found is None:
            return None
        if found[0] == "day" and not (low[found[1]] in VISITS or low[found[1]] == "-"):
            return None  # "your usual Sunday roast"
        return k, found[1]

    def _counted_line(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "7 looks at the Nordic armchair since Friday", "Eleven searches for running
        shoes this week", "Third curbside collection at Fernhill Market this week, Noor!":
        a count of the reader's acts opening its line, with the stretch of time it covers.
        Not a rate ("3 free searches a month"), a count of what others did on the reader's
        thing ("10 views on your listing today") or a schedule ("this Saturday")."""
        low = self.low
        if not (self._is_number(i) or ORDINAL.match(low[i])) or not self._opens(self._tally(i)):
            return None
        noun = i + 1
        if noun + 1 < len(low) and self.tokens[noun].is_alpha and not self._noun_key(noun):
            if low[noun] in self.v.not_counted_modifiers:
                return None
            noun += 1  # "Third curbside collection"
        if noun >= len(low) or not self._noun_key(noun):
            return None
        begin, finish = self._clause(i, noun + 1)
        rest = self.tokens[noun + 1 : finish]
        if any(t.second_person for t in rest) or any(
            low[k] in ("a", "per", "each") and self.lemmas[k + 1] & self.v.durations
            for k in range(noun + 1, finish - 1)
        ):
            return None
        details = [
            d
            for d in self._details(begin, finish, noun, noun + 1, False)
            if d.start > self.tokens[noun].start
        ]
        if not any(d.kind == "time" and self._stretch(d) for d in details):
            return None
        kind = self.v.counted_nouns[self._noun_key(noun)]
        counted = (self._detail("count", i, i + 1), *details)
        return self._act_over(kind, i, noun + 1, "recap", counted, (begin, finish)), range(
            i, noun + 1
        )

    def _tally(self, i: int) -> int:
        """Where a count's line starts when a tally leads it: "That's your third look this
        week", "It's your 5th visit this month"."""
        lead = i - 1 if i and self.low[i - 1] == "your" else i
        if lead >= 2 and self.low[lead - 2 : lead] in TALLY_LEADS:
            return lead - 2
        return i

    def _noun_key(self, k: int) -> str:
        return next(
            (w for w in (self.low[k], *sorted(self.lemmas[k])) if w in self.v.counted_nouns), ""
        )

    def _stretch(self, detail: Detail) -> bool:
        """A stretch of time up to now: "this week", "since Friday", "today", "in a row"."""
        at = self._first_token(detail)
        before = self.low[at - 1] if at else ""
        if before == "this" and self.low[at] in self.v.weekdays:
            return False  # "this Saturday": a day to come
        return before in ("this", "last", "since", "so") or self.low[at] in STRETCH_WORDS

    def _length_at(self, i: int) -> int | None:
        """The end of a length of time starting at `i`: "25 minutes", "an hour", "half an
        hour", «40 минут»."""
        low = self.low
        if i + 1 >= len(low):
            return None
        if low[i] == "half" and low[i + 1 : i + 3] == ["an", "hour"]:
            return i + 3
        number = self._is_number(i) or (low[i] in ("an", "a") and not self.ru)
        unit = (
            low[i + 1] in ("minutes", "mins", "hours", "hrs", "seconds")
            or (low[i] in ("an", "a") and low[i + 1] in ("hour", "minute"))
            or bool(self.lemmas[i + 1] & {"минута", "час"})
        )
        return i + 2 if number and unit else None

    def _tool_at(self, k: int) -> bool:
        """A page or tool of the sender's within the place phrase: "our mortgage
        calculator", "the kitchen planner"."""
        return any(
            self.low[m] in self.v.tools or bool(self.lemmas[m] & self.v.tools)
            for m in range(k, min(len(self.low), k + 5))
        )

    def _spent_doing(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "35 minutes reading about remortgaging last night?": a length of time, then a
        gerund of viewing or searching, then when."""
        verb = i + 2
        kinds = {e.kind for lemma in self.lemmas[verb] for e in self.v.entries.get(lemma, ())}
        if not (self.low[verb].endswith("ing") and kinds & {"view", "open", "search"}):
            return None
        begin, finish = self._clause(i, verb + 1)
        when = [
            d
            for d in self._details(begin, finish, verb, verb + 1, False)
            if d.kind == "time" and d.start > self.tokens[verb].start
        ]
        if not when:
            return None
        timed = (self._detail("time", i, i + 2), *when)
        act = self._act_over("time", i, verb + 1, "elided", timed, (begin, finish))
        return act, range(i, verb + 1)

    def _label_line(self, i: int) -> bool:
        """A fragment opening its sentence as a label: "Forty minutes on the mortgage page
        on Saturday: sounds like a big decision"."""
        return self._opens(i) and any(w in (":", "—", "–") for w in self.low[i + 3 :])

    def _how_was(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "How was the gig at Wembley last night?": a visit presumed by the question."""
        low = self.low
        if not (self.question and i > 0 and low[i] in ("was", "were") and low[i - 1] == "how"):
            return None
        for k in range(i + 1, min(len(low), i + 8)):
            if low[k] in HARD or low[k] == ",":
                return None
            if low[k] in self.v.place_prepositions:
                return self._presumed(i - 1, k, "visit", None)
        return None

    def _when_after(
        self, begin: int, finish: int, start: int, prep: int, observed: bool
    ) -> list[Detail]:
        """The times and counts of the clause said after the preposition at `prep`."""
        return [
            d
            for d in self._details(begin, finish, start, prep, observed)
            if d.kind in ("time", "count") and d.start > self.tokens[prep].start
        ]

    def _presumed(
        self, start: int, prep: int, kind: str, length: tuple[int, int] | None
    ) -> tuple[TrackingAct, range] | None:
        """An act with no verb of the reader's: it needs a place at `prep` and a time."""
        begin, finish = self._clause(start, prep)
        stop = self._place_at(prep, finish, loose=True)
        if stop is None:
            return None
        details = self._when_after(begin, finish, start, prep, False)
        if not details:
            return None
        details.append(self._detail("place", prep, stop))
        if length is not None:
            details.append(self._detail("time", *length))
        act = self._act_over(kind, start, prep, "elided", details, (begin, finish))
        return act, range(start, prep)

    def _back_for_look(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "Back for another look at the Alder oak table?", "Back for a fourth peek at
        ...?": asked, "back" says the reader was here before, and the look is counted."""
        low = self.low
        if not (self.question and low[i] == "back" and self._opens(i)):
            return None
        if low[i + 1 : i + 2] != ["for"]:
            return None
        k = i + 2
        if low[k : k + 1] == ["another"] or low[k : k + 2] == ["one", "more"]:
            count = (k, k + (1 if low[k] == "another" else 2))
        elif low[k : k + 1] == ["a"] and k + 1 < len(low) and self._ordinal(low[k + 1]):
            count = (k + 1, k + 2)
        else:
            return None
        look = count[1]
        if look + 1 >= len(low) or low[look + 1] != "at":
            return None
        if self.v.counted_nouns.get(low[look]) != "view":  # "look", "view"
            return None
        begin, finish = self._clause(i, look + 1)
        details = [self._detail("count", *count), *self._object(look + 1, finish)]
        act = self._act_over("view", i, look + 1, "elided", details, (begin, finish))
        return act, range(i, look + 1)

    def _ordinal(self, word: str) -> bool:
        """ "second", "fourth", "4th" after "a": a count said as an ordinal (the vocabulary's
        numbers hold the ordinals from "third"; "second" is also a length of time there)."""
        return word == "second" or word in self.v.numbers or bool(ORDINAL.match(word))

    def _missed_at(
        self, i: int, prep: int, clause: tuple[int, int]
    ) -> tuple[TrackingAct, range] | None:
        """ "We missed you at Tuesday's 7am spin class": a session the reader was booked
        on or keeps, told with its day or time, is attendance taken."""
        begin, finish = clause
        session = next(
            (
                k
                for k in range(prep + 1, min(finish, prep + 1 + SESSION_REACH))
                if self.lemmas[k] & self.v.past_nouns
            ),
            None,
        )
        if session is None:
            return None
        details = self._when_after(begin, finish, i, prep, True)
        if not details:
            return None
        details.append(self._detail("observed", i - 2, i + 1))
        act = self._act_over("attendance", i, session + 1, "subject", details, clause)
        return act, range(i, prep)

    def _how_near(self, i: int) -> tuple[TrackingAct, range] | None:
        """ "You're 200m from our King Street store right now": how far the reader is from
        a named place, told as a fact. Not a promise to everyone ("you're never more than
        10 minutes from a store") nor a distance to a reward ("3 stamps away from")."""
        low = self.low
        if low[i] != "you" or i + 1 >= len(low) or low[i + 1] not in ("'re", "are"):
            return None
        k = i + 2
        while k < len(low) and low[k] in NEAR_HEDGES:
            k += 1
        if k + 2 >= len(low) or not self._is_number(k):
            return None
        unit = k + 1
        if not (low[unit] in self.v.distance or self.lemmas[unit] & self.v.distance):
            return None
        at = unit + 2 if low[unit + 1 : unit + 3] == ["away", "from"] else unit + 1
        if at >= len(low) or low[at] != "from" or self._hypothetical(i):
            return None
        begin, finish = self._clause(i, i + 2)
        stop = self._place_at(at, finish)
        if stop is None:
            return None
        details = (self._detail("near", k, at + 1), self._detail("place", at, stop))
        act = self._act_over("visit", i, i + 2, "subject", details, (begin, finish), "place")
        return act, range(i, stop)

    def _seen_at(self, i: int) -> tuple[TrackingAct, range] | None:
        low = self.low
        welcome = low[i : i + 3] in (["welcome", "back", "from"], ["с", "возвращением", "из"])
        back = self.question and (
            (low[i] == "back" and self._opens(i))
            or (  # "Third time on the loans page today?"
                low[i] in ("time", "visit")
                and i > 0
                and (low[i - 1] in self.v.numbers or bool(NUMBER.match(low[i - 1])))
                and self._opens(i - 1)
            )
        )
        # "Near the Riverside Retail Park again?", "In Manchester again this weekend?": the
        # reader's whereabouts asked after, the "are you" left out
        asked = self.question and not self.ru and low[i] in ("near", "in", "at") and self._opens(i)
        if welcome:
            prep = i + 2
        elif asked:
            prep = i
        elif back or (low[i] in ("you", "вас") and (
            self._phrase_before(self.v.observation, i + 1, 3) is not None
            or (i >= 2 and low[i - 2 : i] == ["we", "missed"])
            or (i >= 1 and low[i - 1] in ("seeing", "saw", "seen"))
            or (i >= 3 and low[i - 2 : i] == ["to", "see"] and low[i - 3] in GREETINGS)
        )):  # "Back on the loans page again?", "we saw you at the pump", "great to see you"
            prep = i + 1
        else:
            return None
        if prep >= len(low) or low[prep] not in self.v.place_prepositions:
            return None
        begin, finish = self._clause(i, prep)
        stop = self._place_at(prep, finish, loose=not (welcome or asked))
        if stop is None:
            if i >= 2 and low[i - 2 : i] == ["we", "missed"]:
                return self._missed_at(i, prep, (begin, finish))
            return None
        details = [
            d for d in self._details(begin, finish, i, prep, not welcome) if d.kind != "place"
        ]
        if back and not {d.kind for d in details} & {"count", "time"}:
            return None
        if asked and not {d.kind for d in details} & {"count", "habit"}:
            return None  # "In Leeds? Visit our new branch", "In town this weekend?"
        details.append(self._detail("place", prep, stop))
        if welcome:
            details.append(self._detail("observed", i, prep))
        who = "thanks" if welcome else "elided" if back or asked else "subject"
        act = self._act_over("visit", i, max(prep, i + 1), who, details, (begin, finish), "place")
        return act, range(i, max(prep, i + 1))

    def _missed_count(self, i: int) -> tuple[TrackingAct, range] | None:
        """A count of classes missed or attended, the act said as an adjective: "two
        missed sessions in a row", «два пропущенных занятия подряд»."""
        if i < 1 or i + 1 >= len(self.tokens) or not (self.question or self.addressed):
            return None
        participle = "PRTF" in self.tokens[i].tags if self.ru else self.low[i].endswith("ed")
        kinds = {e.kind for lemma in self.lemmas[i] for e in self.v.entries.get(lemma, ())}
        if not participle or "attendance" not in kinds:
            return None
        if (self.lemmas[i + 1] | {self.low[i + 1]}) & self.v.past_nouns and self._is_number(i - 1):
            number, first, last = i - 1, i - 1, i + 2  # "two missed sessions"
        else:  # after the sessions: "Three Pilates classes missed in a row"
            noun = i - 1
            if not (self.lemmas[noun] | {self.low[noun]}) & self.v.past_nouns:
                return None
            counted = [k for k in (noun - 1, noun - 2) if k >= 0 and self._is_number(k)]
            if not counted:
                return None
            number, first, last = counted[0], counted[0], i + 1
        begin, finish = self._clause(first, last)
        details = [self._detail("count", number, number + 1)] + [
            d for d in self._details(begin, finish, i, last, False) if d.kind in ("time", "count")
        ]
        act = self._act_over("attendance", first, last, "counted", details, (begin, finish))
        return act, range(i, last)
