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

The words live in `lexicons/tracking.<language>.yaml` (read by `tracking_vocabulary`);
the grammar around an act is `tracking_clause`, its details `tracking_details`; this
module finds the acts. What a sentence says depends on its text alone, so it is read
once per distinct sentence and cached on the sentence's `Reading`. Offsets of the result
are relative to the sentence; `acts_in()` shifts them into the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import Sentence, Token
from creepcheck.text.tracking_act import Detail, TrackingAct
from creepcheck.text.tracking_details import DetailReader
from creepcheck.text.tracking_vocabulary import (
    GREETINGS,
    HARD,
    LAST,
    MOST_ACTS,
    NUMBER,
    RECEIPT_TIMES,
    YEAR,
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


class _Reader(DetailReader):
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
                details = [d for d in details if d.text.lower() not in RECEIPT_TIMES]
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
            thanks = self._phrase_before(self.v.thanks, i, 3)
            number = i - 1  # "40 visits", or with one word between: "one gym visit"
            if i > 1 and (self.lemmas[i - 1] | {self.low[i - 1]}) & self.v.place_nouns:
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
        another = self._another(i)
        if another is not None:
            owner = another
        elif i < 2 or not (self.lemmas[i - 1] & LAST or self.low[i - 1] in LAST):
            return None
        else:
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

    def _missed_count(self, i: int) -> tuple[TrackingAct, range] | None:
        """A count of classes missed or attended, the act said as an adjective: "two
        missed sessions in a row", «два пропущенных занятия подряд»."""
        if i < 1 or i + 1 >= len(self.tokens) or not (self.question or self.addressed):
            return None
        participle = "PRTF" in self.tokens[i].tags if self.ru else self.low[i].endswith("ed")
        kinds = {e.kind for lemma in self.lemmas[i] for e in self.v.entries.get(lemma, ())}
        if not participle or "attendance" not in kinds:
            return None
        if not (self.lemmas[i + 1] | {self.low[i + 1]}) & self.v.past_nouns:
            return None
        if not self._is_number(i - 1):
            return None
        begin, finish = self._clause(i - 1, i + 2)
        details = [self._detail("count", i - 1, i)] + [
            d for d in self._details(begin, finish, i, i + 2, False) if d.kind in ("time", "count")
        ]
        act = TrackingAct(
            "attendance",
            self._text(i - 1, i + 2),
            self.tokens[i - 1].start,
            self.tokens[i + 1].end,
            "counted",
            tuple(details),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
        )
        return act, range(i, i + 2)

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

    def _verbless(self, i: int) -> tuple[TrackingAct, range] | None:
        """The reader placed somewhere with no verb of their own: "we saw you at the
        pump", "welcome back from Denver", Russian "вы сейчас в Казани"."""
        if not self.ru:
            return self._seen_at(i) or self._spent_on(i) or self._how_was(i)
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
            and self._is_number(i)
            and (
                low[i + 1] in ("minutes", "mins", "hours", "hrs", "seconds")
                or self.lemmas[i + 1] & {"минута", "час"}
            )
            and (self.question or self.addressed or self._label_line(i))
        ):
            return None
        if low[i + 2] in ("on", "in", "на", "в"):
            return self._presumed(i, i + 2, "time", (i, i + 2))
        return self._spent_doing(i)

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
        act = TrackingAct(
            "time",
            self._text(i, verb + 1),
            self.tokens[i].start,
            self.tokens[verb].end,
            "elided",
            (self._detail("time", i, i + 2), *when),
            (self.tokens[begin].start, self.tokens[finish - 1].end),
        )
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
                and (low[i - 1] in self.v.numbers or bool(NUMBER.match(low[i - 1])))
                and self._opens(i - 1)
            )
        )
        if welcome:
            prep = i + 2
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
