"""The grammar the tracking reader needs around an act: who does it (the reader, a
dependant, nobody), in what form (past, habitual, an invitation), and how far its clause
reaches."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from creepcheck.text.document import Token
from creepcheck.text.tracking_act import Detail
from creepcheck.text.tracking_dependants import dependent
from creepcheck.text.tracking_vocabulary import (
    ADVERBS,
    BOOKING,
    HABIT_OPENERS,
    HABIT_TO,
    HARD,
    LAST,
    NUMBER,
    QUOTES,
    REACH,
    TITLE_QUOTES,
    ending_in,
    match_skipping,
    name_like,
    same_word,
    unknown_verb,
    vocabulary,
)

__all__ = ["ClauseReader"]


# The one reader a message may be written for, named before "who" (`_written_for`).
WRITTEN_FOR = frozenset({"someone", "somebody", "person", "one", "shopper", "customer"})


class ClauseReader:
    """A sentence's tokens as the tracking reader sees them: lowercased words, their
    lemmas, and the grammar around an act (who does it, its form, its clause). The
    detail and act readers build on it."""

    def __init__(self, tokens: Sequence[Token], language: str) -> None:
        self.tokens = tokens
        self.language = language
        self.ru = language == "ru"
        self.v = vocabulary(language)
        self.low = [t.lower.replace("’", "'").replace("ё", "е") for t in tokens]
        self.lemmas = [
            {lemma.replace("ё", "е") for lemma in (t.lemmas or {t.lemma})}
            | {t.lemma, low}
            | (set() if self.ru else unknown_verb(low, t.lemmas))
            for t, low in zip(tokens, self.low, strict=True)
        ]
        self.question = any(t.lower == "?" for t in tokens)
        # how many quotation marks stand before each word (and, last, in all)
        quoted = (w in TITLE_QUOTES for w in self.low)
        self._quotes_before = list(itertools.accumulate(quoted, initial=0))
        self.addressed = any(t.second_person for t in tokens) or self._vocative()

    def _label(self, i: int, end: int) -> tuple[int, int] | None:
        """A recap line's label opening the sentence, said to the reader: "Last visit:",
        "Views this week:". Returns where the label starts and its colon."""
        last = i > 0 and (self.low[i - 1] in LAST | {"recent"} or bool(self.lemmas[i - 1] & LAST))
        start = i - 1 if last else i
        if start > 3 or not self._opens(start) or not (start < i or self.addressed):
            return None  # a label opens its line: at most one per sentence is tried
        for k in range(end, min(len(self.low) - 1, end + 4)):
            if self.low[k] == ":":
                return start, k
            if self.low[k] in HARD:
                return None
        return None

    def _vocative(self) -> bool:
        """A name the sentence is said to, set off by a comma at either end: "Leo, ..."
        or "..., Leo!"."""
        tokens, n = self.tokens, len(self.tokens)
        if n > 2 and tokens[1].text == "," and name_like(tokens[0].text):
            return True
        end = n - 1 if n and tokens[-1].text in (".", "!", "?") else n
        return end >= 3 and tokens[end - 2].text == "," and name_like(tokens[end - 1].text)


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
                if self.low[k] in HARD or self.low[k] == ",":
                    return None
                if self.low[k] in self.v.appearance and "look" in self.lemmas[i]:
                    return None  # "you looked great at the party": how, not what, they saw
                if not self.ru and self.low[k] in self.v.place_prepositions:
                    return None  # "detected near our store at 8": near is the particle
                if be and not (
                    self.low[k] in ADVERBS
                    or NUMBER.match(self.low[k])
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
        if low == lemma and self._did_not(i):
            return "past"  # "You didn't make it to HIIT at 6:30am yesterday"
        if low.endswith("ing") and low != lemma:
            return "ing"
        if lemma == "be":
            return "past" if low in ("was", "were", "been") else "present"
        if lemma in ("have", "do"):  # "has", "does" are not past forms
            return "past" if low in ("had", "did", "done") else "present"
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
        if self._quoted(i):
            return None, False  # a title: "'The Great Debate: Left vs Right'"
        observed = self._phrase_before(self.v.observation, i, 8) is not None or (
            self._observation_at(i)  # "Spotted you near our King's Road shop"
        )
        if self._phrase_before(self.v.thanks, i, 4) is not None:
            return "thanks", observed
        low = self.low
        joined = False  # "you left your bike ... and grabbed it": one subject, two acts
        for k in range(i - 1, max(-1, i - 12), -1):
            word = low[k]
            joined = joined or word in ("and", "then", "и", "а")
            if k < i - 6 and not joined:
                break
            if word in HARD or (word == "," and k < i - 1 and not self.ru):
                break
            if word == "to" and k > 0 and low[k - 1] in HABIT_TO:
                continue  # "you tend to visit on Wednesdays": a habit, not a wish
            if word in self.v.modal or self.lemmas[k] & self.v.modal:
                return None, observed
            if self.ru and word in ("мы", "я", "он", "она", "они"):
                return None, observed
            if not self.ru and word == "who" and form == "past" and (
                self._written_for(k) or self._reader_is(k)
            ):  # "For the person who searched ...", "You were the only one who skipped ..."
                return "subject", observed
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
        if dependent(self, i):
            return "dependent", observed
        if not self.ru and "by" in low[i + 1 : i + 3] and "you" in low[i + 2 : i + 4]:
            return "subject", observed  # "Ava was signed out by you at 3:17"
        if (self.question or observed) and self._elided(i, form):
            return ("elided" if form == "past" else "elided-ing"), observed
        if form == "past" and self._elided(i, form) and "by" not in low[i + 1 : i + 3]:
            if self._instruction(i):
                return None, observed
            # a recap line: "Opened 3 times from Leeds this week."; in a sentence said to the
            # reader, any detail will do ("Opened 5 times, clicked twice: you like our deals")
            return ("elided" if self.addressed else "recap"), observed
        return None, observed

    def _tallied(self, k: int) -> bool:
        """A count at `k` told as the reader's tally: "that's three visits", "that makes 5"."""
        before = self.low[max(0, k - 2) : k]
        return before in (["that", "'s"], ["that", "is"], ["that", "makes"]) or before[-1:] == [
            "that's"
        ]

    def _is_number(self, k: int) -> bool:
        """A number in digits or words: "40", "forty", «сорок»."""
        word = self.low[k]
        return bool(NUMBER.match(word) or word in self.v.numbers or self.lemmas[k] & self.v.numbers)

    def _perfect(self, k: int, i: int) -> bool:
        """ "once you've visited": a perfect after the reader, still a condition."""
        return any(w in ("'ve", "have", "has", "'d", "had") for w in self.low[k:i])

    def _quoted_before(self, i: int) -> tuple[int, int] | None:
        """The quoted words right before the word at `i`, quotes included, as token
        indexes [first, last): "'garden office under £5k' search"."""
        if i < 3 or self.low[i - 1] not in QUOTES:
            return None
        for k in range(i - 3, max(-1, i - 12), -1):
            if self.low[k] in QUOTES:
                return k, i
            if self.low[k] in HARD:
                return None
        return None

    def _written_for(self, who: int) -> bool:
        """ "who" after the one person a message opens by writing to: "For the person who
        searched ...", "To the shopper who viewed ...", "For someone who's browsed our
        coats all week, ...". Not people at large ("anyone who", "shoppers who"), and not
        a pitch inside a sentence ("Perfect for someone who ...")."""
        k = who - 1
        if k < 1 or self.low[k] not in WRITTEN_FOR:
            return False
        k -= 1 if self.low[k - 1] in ("the", "a") else 0
        if k < 1:
            return False
        before = k - 2  # what stands before "for": nothing, or the end of a sentence
        return self.low[k - 1] in ("for", "to") and (before < 0 or self.low[before] in HARD)

    def _reader_is(self, who: int) -> bool:
        """ "who" after what the reader is said to be: "You were the only regular who
        skipped Saturday's book club", "you're one of the few who ..."."""
        low = self.low
        for j in range(who - 1, max(0, who - 7), -1):
            if low[j] in HARD or low[j] in (",", "to", "for", "with", "from", "by", "at"):
                return False  # "You were a great help to the customer who visited"
            if low[j] in ("were", "are", "'re") and low[j - 1] == "you":
                return low[j + 1] in ("the", "a", "an", "one")
        return False

    def _opens(self, i: int) -> bool:
        """Whether the word at `i` opens its sentence (after punctuation, a greeting or the
        reader's name: "Ana, time on our site last night: 2 h")."""
        k = i - 1
        while k >= 0 and not self.tokens[k].is_alpha and self.low[k] not in HARD:
            k -= 1
        opener = k == 0 and (self.low[k] in ("hey", "hi", "so") or name_like(self.tokens[k].text))
        return k < 0 or self.low[k] in HARD or opener

    def _elided(self, i: int, form: str) -> bool:
        """ "Skipped leg day again?", "Spent a while on ...": a past verb opening a clause;
        or a habit asked after with its adverb first ("Usually swing by on Sundays?")."""
        if self.ru:
            return False
        if form not in ("past", "ing"):
            habit = i == 1 and self.question and self.low[0] in HABIT_OPENERS
            return habit and form == "present"
        k = i - 1
        while k >= 0 and not self.tokens[k].is_alpha and self.low[k] not in HARD:
            k -= 1
        if k < 0 or self.low[k] in HARD:
            return True
        if i == 2 and self.low[:2] in (["did", "n't"], ["did", "not"]) and form == "past":
            # "Didn't make it to spin class last Tuesday?", asked with when
            return any(self._time_at(m) for m in range(i + 1, len(self.low)))
        return k == 0 and self.low[k] in ("hey", "hi", "so", "psst", "oh", "still", "just")

    def _quoted(self, i: int) -> bool:
        """Whether the word at `i` stands inside quotation marks opened before it and
        closed after it."""
        before = self._quotes_before[i]
        return before % 2 == 1 and self._quotes_before[-1] > before

    def _instruction(self, i: int) -> bool:
        """ "Read your meter this week": a verb whose past is its base form, before the
        reader's own thing, tells the reader what to do rather than what they did."""
        token = self.tokens[i]
        return token.lower == token.lemma and i + 1 < len(self.low) and self.low[i + 1] == "your"

    def _hypothetical(self, k: int, past: bool = False) -> bool:
        """Whether the reader at `k` is in a condition ("if you visit"). A temporal
        clause in the past tells a fact ("when you stopped by on Tuesday")."""
        at = self._phrase_before(self.v.hypothetical, k, 5, stop_at_comma=False)
        if at is None:
            return False
        if self.low[at] in ("before", "after", "until") and self._time_at(at + 1) is not None:
            return False  # "Every Friday after 6pm you're at the club": a time, no condition
        return not (past and any(self.low[at : at + len(p)] == list(p) for p in self.v.temporal))

    def _past_after(self, i: int) -> bool:
        """Whether a verb after `i`, in the same clause, is in the past: a noun act in a
        "when" clause is a fact then ("when your visit on Tuesday ran late"), and a
        condition otherwise ("we'll email you when your search alert has matches")."""
        if i >= len(self.tokens):
            return False  # the act ends the sentence: "Before your next visit"
        finish = self._clause(i, i + 1)[1]
        return any(
            "VERB" in self.tokens[k].pos and self._form(k, self.tokens[k].lemma) == "past"
            for k in range(i, finish)
        )

    def _did_not(self, i: int) -> bool:
        """ "didn't" or "did not" right before the word: a past act, negated."""
        return i >= 2 and self.low[i - 1] in ("n't", "not") and self.low[i - 2] == "did"

    def _observation_at(self, i: int) -> bool:
        """The act's own verb opens an observation of the reader: "Spotted you near..."."""
        return any(self.low[i : i + len(p)] == list(p) for p in self.v.observation)

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
            if words[k] in HARD and words[k] != ".":
                return None
            if stop_at_comma and words[k] == ",":
                return None
            last = "'ve" if words[k] == "have" else words[k]
            for phrase in ending_in(phrases).get(last, ()):
                n = len(phrase)
                if k - n + 1 < 0:
                    continue
                if all(same_word(words[k - n + 1 + m], p) for m, p in enumerate(phrase)):
                    return k - n + 1
                # phrases may span a comma ("спасибо, что")
                found = match_skipping(words, k, phrase)
                if found is not None:
                    return found
        return None

    def _clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around tokens [start, end): up to hard punctuation or a comma, and
        at most `REACH` words either side, so that reading a sentence stays linear in
        its length however many acts it holds."""
        low = self.low
        begin = start
        floor = max(0, start - REACH)
        while begin > floor and low[begin - 1] not in HARD and low[begin - 1] != ",":
            begin -= 1
        if begin > 1 and low[begin - 1] == ",":
            # a short opening adverbial of time ("On Tuesday, you ...") belongs here
            opening = begin - 1
            while opening > max(0, begin - 5) and low[opening - 1] not in HARD | {","}:
                opening -= 1
            if begin - 1 - opening <= 3 and any(
                self._time_at(k) for k in range(opening, begin - 1)
            ):
                begin = opening
        finish = end
        ceiling = min(len(self.tokens), end + REACH)
        while finish < ceiling and low[finish] not in HARD:
            if low[finish] == "," and not self._continues(finish):
                break
            finish += 1
        return begin, max(finish, end)

    def _continues(self, comma: int) -> bool:
        """A comma inside a clause: before a time or a number ("at 6, on Tuesday")."""
        nxt = comma + 1
        return nxt < len(self.tokens) and (
            self._time_at(nxt) is not None
            or NUMBER.match(self.low[nxt]) is not None
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
        if end >= len(self.tokens) or self.low[end] not in BOOKING:
            return False
        usual = {"usual", "regular", "normal", "last", "latest", "обычный", "последний"}
        return not any(self.low[k] in usual or self.lemmas[k] & usual for k in range(start, end))

    def _purchase(self, begin: int, finish: int) -> bool:
        return any(
            (self.low[k] in self.v.purchase or self.lemmas[k] & self.v.purchase)
            and not (k and self.low[k - 1] in ("n't", "not", "never", "without", "не"))
            and not (k + 1 < len(self.low) and self.low[k + 1] == "nothing")
            and not (k > begin and self.tokens[k].text[:1].isupper())  # "the Buy button"
            and not self._new_price(k)
            for k in range(begin, finish)
        )

    def _new_price(self, k: int) -> bool:
        """A price the item has now, not one the reader paid: "has dropped by $120"."""
        return not self.tokens[k].is_alpha and any(
            w in self.v.price_changes for w in self.low[max(0, k - 3) : k]
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
                "until",
                "till",
                "when",
                "while",
                "after",
                "before",
            )
            and not self._phrase_before(self.v.observation, k + 1, 3)
        )

    def _times_counted(self, begin: int, finish: int) -> bool:
        """A count of times in the clause ("for the fifth time", «пятый раз»)."""
        return any(
            self.low[k] in ("time", "times", "раз")
            and k > begin
            and (self.low[k - 1] in self.v.numbers or NUMBER.match(self.low[k - 1]) is not None
                 or self.lemmas[k - 1] & self.v.numbers)
            for k in range(begin, finish)
        )

    def _keeps(self, begin: int, i: int) -> bool:
        return any(self.low[k] in ("keep", "keeps", "kept") for k in range(begin, i))


    def _time_at(self, k: int, finish: int | None = None) -> tuple[str, int] | None:
        """A time phrase at `k` and where it ends; `DetailReader` reads it. The clause
        uses it to keep an opening "On Tuesday," with its act."""
        raise NotImplementedError

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

