"""The details that make an act an observation of the reader: how often ("3 times"),
when ("on Tuesday at 6pm", "since 4 May"), where ("at our Elm St store", "200 metres
from"), for how long ("14 minutes") and what ("the Alpine 2 tent")."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import hyphen_joins
from creepcheck.text.tracking_act import Detail, TrackingAct
from creepcheck.text.tracking_clause import ClauseReader
from creepcheck.text.tracking_vocabulary import (
    CLOCK,
    DURATION_BEFORE,
    HARD,
    NUMBER,
    QUOTES,
    YEAR,
    same_word,
)

__all__ = ["DetailReader"]


# Before a length of time: "for over an hour", "for almost 40 minutes".
LENGTH_HEDGES = frozenset({"over", "almost", "nearly", "about", "around", "more", "than", "just"})
# Lengths of a sitting, not of a life: "for 20 minutes", not "for two years".
SHORT_LENGTHS = frozenset({"second", "minute", "min", "hour", "hr"})


class DetailReader(ClauseReader):
    """The details around an act: counts, times, places, lengths of time and the thing
    viewed or searched for."""

    def _details(
        self, begin: int, finish: int, i: int, end: int, observed: bool, loose: bool = False
    ) -> list[Detail]:
        out: list[Detail] = []
        for k in range(begin, finish - 2):  # "200 metres from our store": where they are now
            if (
                (NUMBER.match(self.low[k]) or "NUMR" in self.tokens[k].tags)
                and (self.low[k + 1] in self.v.distance or self.lemmas[k + 1] & self.v.distance)
                and (self.low[k + 2] in ("from", "away", "от"))
            ):
                out.append(self._detail("near", k, k + 3))
        if observed:
            at = i if self._observation_at(i) else self._phrase_before(self.v.observation, i + 1, 9)
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
            # "It's been a while since you came in": the gap before the act, no count of it
            gap = kind == "count" and k < i and stop < finish and self.low[stop] == "since"
            if not gap and not (kind == "count" and k < i and self._counts_subject(k, i)):
                out.append(self._detail(kind, k, stop))
            k = stop
        return out

    def _counts_subject(self, k: int, i: int) -> bool:
        """ "3 new listings match your saved search": a number opening the sentence counts
        the plural noun right after it (the clause's subject), not the act."""
        if self.ru or any(t.is_alpha for t in self.tokens[:k]):
            return False
        for m in range(k + 1, min(i, k + 3)):
            token = self.tokens[m]
            if not token.is_alpha or self.low[m] in self.v.durations:
                return False
            if self.lemmas[m] & self.v.durations:
                return False  # "3 times you searched": the act's count
            if token.lower != token.lemma and token.lower.endswith("s"):
                return True
        return False

    def _time_at(self, k: int, finish: int | None = None) -> tuple[str, int] | None:
        low = self.low
        finish = len(low) if finish is None else finish
        word = low[k]
        lemmas = self.lemmas[k]
        if CLOCK.match(word):
            return "time", k + 1
        if (
            NUMBER.match(word)
            and k + 1 < finish
            and (low[k + 1] in self.v.clock or self.lemmas[k + 1] & self.v.clock)
        ):
            return "time", k + 2
        if NUMBER.match(word) and k + 1 < finish and self._month_at(k + 1):
            return "time", k + 2  # "on 3 May", «3 мая»: a day of the month, not a count
        if word in self.v.weekdays or (self.ru and lemmas & self.v.weekdays):
            after = low[k + 1] if k + 1 < finish else ""
            if (
                after.isalpha()
                and after not in self.v.time_words
                and not self.ru
                and after not in self.v.place_prepositions
                and after not in ("and", "or", "at", "alone")  # "twice on Tuesday alone"
            ):
                return "day", k + 1  # "our Sunday sale": a day naming a thing, weaker
            return "time", k + 1
        if self._month_at(k) and (  # "may" only next to a number ("3 May")
            word != "may"
            or (k and NUMBER.match(low[k - 1]))
            or (k + 1 < finish and NUMBER.match(low[k + 1]))
        ):
            return "time", k + 1
        for phrase in self.v.time_phrases:
            n = len(phrase)
            if k + n <= finish and all(
                same_word(low[k + m], p) or p in self.lemmas[k + m] for m, p in enumerate(phrase)
            ):
                return "time", k + n
        if word in ("since", "с", "со") and k + 1 < finish:
            nxt = self.tokens[k + 1]
            if not nxt.second_person and low[k + 1] not in ("we", "then", "мы", "тех"):
                if self.ru and not (
                    NUMBER.match(low[k + 1])
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
                or NUMBER.match(low[k + 1])
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
            if k + n <= finish and all(same_word(low[k + m], p) for m, p in enumerate(phrase)):
                if phrase == ("once",) and k + 1 < finish and self.tokens[k + 1].second_person:
                    return None
                if phrase[0] in ("every", "each") and k and low[k - 1] in ("off", "on"):
                    return None  # "10% off every shop", "points on every order": an offer
                return "count", k + n
        number = NUMBER.match(word) or word in self.v.numbers or self.lemmas[k] & self.v.numbers
        if not number or YEAR.match(word):  # "in 2019" dates a relationship, not an act
            return None
        before = low[k - 1] if k else ""
        after = low[k + 1] if k + 1 < finish else ""
        if before in self.v.not_counts or before in ("$", "£", "€", "size", "размер"):
            return None
        if k and NUMBER.match(word) and self._model_number(k, after):
            return None  # "with the Pixel 8", "your Model 3": a name, not how often
        if after in self.v.not_counts and after != "%":
            return None
        if after == "%" and k + 2 < finish and low[k + 2] in ("off", "скидк"):
            return None
        if (after in self.v.distance or (after and self.lemmas[k + 1] & self.v.distance)) and (
            k + 2 < finish and low[k + 2] in ("from", "away", "от")
        ):
            return "place", min(finish, k + 3)
        return "count", k + 1

    def _month_at(self, k: int) -> bool:
        return bool(self.low[k] in self.v.months or self.lemmas[k] & self.v.months) and (
            self.tokens[k].text[:1].isupper() or self.ru
        )

    def _model_number(self, k: int, after: str) -> bool:
        """A digit run right after a capitalised word of a name, with no counted noun after
        it: a product's model number."""
        name = self.tokens[k - 1]
        opens = k - 1 == 0 or not self.tokens[k - 2].is_alpha
        durations = self.v.durations
        counted = bool(after) and (after in durations or bool(self.lemmas[k + 1] & durations))
        return name.is_alpha and name.text[:1].isupper() and not opens and not counted

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
            if word in HARD or word == "," or when is not None:
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
            if word in ("'s", "-", "'", "&") or NUMBER.match(word) or "NUMR" in token.tags:
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
            if j + 2 < finish and hyphen_joins(self.tokens, j + 1):
                specific = True  # "our in-store wifi", "the out-of-town branch"
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
            at = end - 1
            if (
                self.low[at] not in self.v.place_prepositions
                and end < finish
                and self.low[end] in self.v.place_prepositions
            ):
                at = end  # "filled your tank at our Bridge Road station": after its object
            stop = self._place_at(at, finish, loose=True)
            return (at, stop) if stop is not None else None
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
                    or before in DURATION_BEFORE
                    or before in self.v.weekdays  # "your Sunday evening"
                    or (self.ru and "ADJF" in self.tokens[k - 1].tags)  # «субботний вечер»
                    or bool(
                        NUMBER.match(before)
                        or before in self.v.numbers
                        or before in ("lot", "few")
                    )
                ):
                    return (max(end, k - 1), k + 1)
                return None
        return None

    def _query(self, end: int, finish: int) -> list[Detail]:
        """The reader's own words searched for, quoted back: "Still searching for 'wide-fit
        wedding shoes'?" asks after a search only its maker could know."""
        k = end + 1 if end < finish and self.low[end] in ("for", "на", "о") else end
        if k >= finish or self.low[k] not in QUOTES:
            return []
        close = next((j for j in range(k + 2, finish) if self.low[j] in QUOTES), None)
        return [] if close is None else [self._detail("query", k, close + 1)]

    def _known_object(self, end: int, finish: int) -> list[Detail]:
        """A thing pointed at as known to both, in a question: "Still eyeing those trail
        runners?" (not "the perfect gift", which anyone may be looking for)."""
        k = end + 1 if end < finish and self.low[end] in ("at", "on", "over") else end
        if k + 1 >= finish or self.low[k] not in ("those", "that", "these"):
            return []
        if not (self.tokens[k + 1].is_alpha and "NOUN" in self.tokens[k + 1].pos):
            return []
        return [self._detail("object", k, k + 2)]

    def _object(self, end: int, finish: int) -> list[Detail]:
        """A definite thing viewed or searched for: "the Alpine 2 tent", "debt help"."""
        k = end
        if k < finish and self.low[k] in ("for", "at", "about", "на", "о", "об", "про"):
            k += 1
        if k >= finish:
            return []
        if self.low[k] in QUOTES:
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

    def _lasting(self, k: int, finish: int) -> tuple[int, int] | None:
        """How long the act went on: "for over an hour", "for 40 minutes"."""
        for at in range(k, finish):
            if self.low[at] == "for":
                start = at + 1
                while start < finish and self.low[start] in LENGTH_HEDGES:
                    start += 1
                span = self._duration(start, finish) if start < finish else None
                if span is None or not any(
                    self.lemmas[m] & SHORT_LENGTHS for m in range(span[0], span[1])
                ):
                    return None  # "Your phone lasted for two years": a life, not a session
                return span
        return None

    def _first_token(self, detail: Detail) -> int:
        """The index of the token a detail starts at."""
        return next(k for k, t in enumerate(self.tokens) if t.start == detail.start)

    def _after_for(self, detail: Detail) -> bool:
        """A length of time, not a point in it: "for three weeks"."""
        at = self._first_token(detail)
        return at > 0 and self.low[at - 1] == "for"

    def _clocked(self, detail: Detail) -> bool:
        """A time to the minute or hour: "6:02", "9 p.m.", "7am"."""
        at = self._first_token(detail)
        return any(
            CLOCK.match(self.low[k]) or self.low[k] in self.v.clock
            for k in range(at, min(len(self.tokens), at + 3))
            if self.tokens[k].start < detail.end
        )

    def _pinned(self, details: list[Detail]) -> bool:
        """A detail only a log would have: a named place ("Greenleaf Grocery"), a clock
        time or a weekday."""
        for detail in details:
            at = self._first_token(detail)
            inside = [k for k in range(at, len(self.tokens)) if self.tokens[k].start < detail.end]
            if detail.kind == "place" and any(self.tokens[k].text[:1].isupper() for k in inside):
                return True
            if detail.kind in ("time", "day") and (
                self._clocked(detail) or any(self.low[k] in self.v.weekdays for k in inside)
            ):
                return True
        return False

    def _act_over(
        self,
        kind: str,
        first: int,
        stop: int,
        who: str,
        details: Sequence[Detail],
        clause: tuple[int, int],
        needs: str = "",
    ) -> TrackingAct:
        """An act whose words are the tokens [first, stop), told in the clause's tokens."""
        begin, finish = clause
        return TrackingAct(
            kind,
            self._text(first, stop),
            self.tokens[first].start,
            self.tokens[stop - 1].end,
            who,
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
            needs,
        )
