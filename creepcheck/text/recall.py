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
from datetime import date, timedelta
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


@memoised(maxsize=65536)
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
def split_sentences(
    text: str, bounds: tuple[tuple[int, int], ...] | None
) -> tuple[Sentence, ...]:
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


def event_dates(records: Iterable[Any], key: str = "at") -> list[date]:
    dates = [as_date(r.get(key)) for r in records if isinstance(r, (dict, Mapping))]
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


# -- time expressions ------------------------------------------------------------------

_N_EN = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|several)"
_UNIT_EN = r"(?:minutes?|hours?|days?|nights?|weeks?|weekends?|months?|years?)"
_DAYS_EN = wordlist("monday tuesday wednesday thursday friday saturday sunday")
_MONTHS_EN = wordlist("jan feb mar apr may jun jul aug sep oct nov dec")
_MONTH_EN = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAYS_RU = ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"]
_MONTHS_RU = [
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
    "ноябр", "декабр",
]  # fmt: skip
_N_RU = r"(?:\d+|один|одну|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|пару|несколько)"

PAST = re.compile(
    "|".join(
        [
            r"\b(?:the day before )?yesterday\b",
            r"\blast (?:night|week|weekend|month|year|season|spring|summer|autumn|fall|winter)\b",
            rf"\b{_N_EN} {_UNIT_EN} (?:ago|back)\b",
            r"\b(?:the|a) (?:day|week|weekend|month|year|night|fortnight)"
            r" (?:before|earlier|prior)\b",
            r"\bearlier (?:today|this (?:week|month|year|morning|afternoon))\b",
            rf"\b(?:in|over|during) the (?:past|last) (?:few |couple of )?(?:\d+ )?{_UNIT_EN}\b",
            r"\bover the (?:weekend|holidays)\b|\bthe other day\b|\bjust now\b",
            r"\b(?:по)?вчера\b|\bпрошлой ночью\b|\bна днях\b|\bна прошлой неделе\b",
            r"\bв прошл(?:ом|ую|ый|ые) (?:месяце|году|раз|выходные|\w+)\b|\bна прошлых выходных\b",
            r"\b(?:(?:двумя |парой |несколькими )?(?:недел|месяц|дн|днем|год)\w*) "
            r"(?:раньше|ранее|прежде)\b",
            rf"\b{_N_RU} (?:минут|час|дн|ден|недел|месяц|год|лет)\w* (?:тому )?назад\b",
            r"\b(?:неделю|месяц|год|день) (?:тому )?назад\b",
            r"\bза (?:последн|прошл)\w+ (?:\w+ )?(?:дн|недел|месяц|час|сутк)\w*\b",
        ]
    )
)
RECENT = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b|\bсегодня\b|\b(?:этим )?утром\b"
)
WEEKDAY = re.compile(
    r"\b(?:(on|last|this past|this|next|until|till|by|every|from|before) )?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
    r"|\b(в|во|до|к|в прошл\w+|в эт\w+|в следующ\w+|по) "
    r"(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
)
DATE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH_EN}\.?(?:,? (\d{{4}}))?\b"
    rf"|\b{_MONTH_EN}\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b"
    r"|\b(\d{4})-(\d{2})-(\d{2})\b"
    r"|\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b"
    r"|\b(\d{1,2}) (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября"
    r"|декабря)(?: (\d{4}))?\b"
)
MONTH = re.compile(
    rf"\b(?:in|back in|during|last|this past) {_MONTH_EN}\b"
    r"|\bв (январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)\b"
)
# A verb in the past after its subject ("you ordered", "we noticed"): a bare "-ed" word
# is as often an adjective ("waxed canvas").
PAST_VERB_EN = re.compile(
    r"\b(?:you|we|i|they|he|she|it|you've|we've|have|has|had)\s+(?:\w+\s+)?"
    r"(?:\w{2,}ed|bought|got|saw|seen|came|went|spent|took|made|chose|paid|found|left|did"
    r"|grabbed|picked)\b|\b(?:was|were)\b"
)
PAST_VERB_RU = re.compile(r"\b\w{2,}(?:ли|ла|л|лся|лась|лись)\b")


@memoised(maxsize=16384)
def has_past_verb(sentence: Sentence) -> bool:
    low = sentence.low
    return bool(PAST_VERB_EN.search(low) or PAST_VERB_RU.search(low))


def past_times(sentence: Sentence, dates: Sequence[date], today: date) -> list[tuple[int, int]]:
    """Spans of the sentence that say when something happened in the past.

    Clearly past phrases always count ("last week", «неделей раньше»); a weekday, a date
    or a month counts when it is past and matches one of `dates` (the person's own
    purchase or visit dates), or is said with a past-tense verb.
    """
    past, fixed, past_verb, weekdays, numeric, months = _time_phrases(sentence)
    if not (weekdays or numeric or months):  # nothing that depends on the person's dates
        return list(fixed)
    spans = list(past)
    for start, end, name in weekdays:
        if _weekday_matches(name, dates, today):
            spans.append((start, end))
    for start, end, groups in numeric:
        if _date_matches(groups, dates, today, past_verb):
            spans.append((start, end))
    for start, end, month in months:
        if any(d.month == month and 0 <= (today - d).days <= 366 for d in dates):
            spans.append((start, end))
    base = sentence.start
    return sorted((a + base, b + base) for a, b in set(spans))


def needs_dates(sentence: Sentence) -> bool:
    """Whether `past_times` of the sentence depends on the dates it is given."""
    _, _, _, weekdays, numeric, months = _time_phrases(sentence)
    return bool(weekdays or numeric or months)


@memoised(maxsize=16384)
def _time_phrases(sentence: Sentence) -> tuple[
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int], ...],
    bool,
    tuple[tuple[int, int, str], ...],
    tuple[tuple[int, int, tuple[Any, ...]], ...],
    tuple[tuple[int, int, int], ...],
]:
    """What `past_times` reads in a sentence, whoever it is read for: the spans that are
    past whatever the dates (in the sentence, and as `past_times` returns them), whether
    a past-tense verb is there, and the weekdays, numeric dates and months that are past
    only when they match one of the person's dates."""
    low, base = sentence.low, sentence.start
    spans = [(m.start(), m.end()) for m in PAST.finditer(low)]
    past_verb = has_past_verb(sentence)
    if past_verb:
        spans += [(m.start(), m.end()) for m in RECENT.finditer(low)]
    weekdays = []
    for m in WEEKDAY.finditer(low):
        lead, name = m.group(1) or m.group(3) or "", m.group(2) or m.group(4) or ""
        on_day = lead in ("on", "в", "во")
        if lead.startswith(("last", "this past", "в прошл")) or (on_day and past_verb):
            spans.append((m.start(), m.end()))  # past whatever the dates
        elif on_day or (not lead and past_verb):
            weekdays.append((m.start(), m.end(), name))  # past if one of the person's days
    numeric = tuple((m.start(), m.end(), m.groups()) for m in DATE.finditer(low))
    months = tuple(
        (m.start(), m.end(), _month_number(next(g for g in m.groups() if g)))
        for m in MONTH.finditer(low)
    )
    fixed = tuple(sorted((a + base, b + base) for a, b in set(spans)))
    return tuple(spans), fixed, past_verb, tuple(weekdays), numeric, months


def _weekday_index(name: str) -> int:
    for i, (en, ru) in enumerate(zip(_DAYS_EN, _DAYS_RU, strict=True)):
        if name.startswith((en, ru)):
            return i
    return -1


def _weekday_matches(name: str, dates: Sequence[date], today: date) -> bool:
    index = _weekday_index(name)
    return any(d.weekday() == index and 0 <= (today - d).days <= 14 for d in dates)


def _month_number(name: str) -> int:
    name = name.lower()
    for i, (en, ru) in enumerate(zip(_MONTHS_EN, _MONTHS_RU, strict=True)):
        if name.startswith(en) or (name.startswith(ru) and (ru != "ма" or name in ("мая", "мае"))):
            return i + 1
    return 0


def _date_matches(
    g: tuple[Any, ...], dates: Sequence[date], today: date, past_verb: bool
) -> bool:
    if g[0] or g[3]:
        day, month, year = (g[0], g[1], g[2]) if g[0] else (g[4], g[3], g[5])
        candidates = [(int(day), _month_number(month), year)]
    elif g[6]:
        candidates = [(int(g[8]), int(g[7]), g[6])]
    elif g[9]:
        a, b, year = int(g[9]), int(g[10]), g[11]
        candidates = [(a, b, year), (b, a, year)]
        if year is None:  # "24/7" is not a date unless it is one of the person's
            return any(
                _same_day(d, day, month, None) for day, month, _ in candidates for d in dates
            )
    else:
        candidates = [(int(g[12]), _month_number(g[13]), g[14])]
    for day, month, year in candidates:
        if any(_same_day(d, day, month, year) for d in dates):
            return True
        when = _as_date(day, month, year, today)
        if when is not None and past_verb:
            return True
    return False


def _same_day(d: date, day: int, month: int, year: str | None) -> bool:
    if year is not None and int(year) % 100 != d.year % 100:
        return False
    for offset in (0, -1, 1):  # a day either side: time zones
        try:
            shifted = d + timedelta(days=offset)
        except OverflowError:  # a purchase on 0001-01-01 or 9999-12-31
            continue
        if shifted.day == day and shifted.month == month:
            return True
    return False


def _as_date(day: int, month: int, year: str | None, today: date) -> date | None:
    try:
        when = date(int(year) if year else today.year, month, day)
    except ValueError:
        return None
    if year is None and (when - today).days > 60:  # "20 December" said in January
        try:
            when = when.replace(year=today.year - 1)
        except ValueError:
            return None
    return when if when <= today else None


# -- prices and counts -----------------------------------------------------------------

_CURRENCY = r"(?:[$€£₽¥]|usd|eur|gbp|rub|cad|aud|руб(?:\.|лей|ля|ль)?|р\.)"
_AMOUNT = r"\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
MONEY = re.compile(
    rf"{_CURRENCY}\s?({_AMOUNT})|({_AMOUNT})\s?(?:{_CURRENCY}|dollars?|euros?|pounds?)"
    rf"|\b(\d+[.,]\d{{2}}|\d{{3,}})\b",
    re.IGNORECASE,
)


def _amount(text: str) -> float | None:
    clean = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in clean and "." in clean:
        clean = clean.replace(",", "")
    elif "," in clean:
        head, _, tail = clean.rpartition(",")
        clean = f"{head.replace(',', '')}.{tail}" if len(tail) <= 2 else clean.replace(",", "")
    try:
        return float(clean)
    except ValueError:
        return None


def amounts(sentence: Sentence) -> list[tuple[int, int, float]]:
    """Money amounts in the sentence (bare numbers only when they have cents or 3+ digits)."""
    return list(_amounts(sentence))


@memoised(maxsize=16384)
def _amounts(sentence: Sentence) -> tuple[tuple[int, int, float], ...]:
    found = []
    for m in MONEY.finditer(sentence.text):
        raw = m.group(1) or m.group(2) or m.group(3)
        value = _amount(raw)
        if value is not None:
            found.append((sentence.start + m.start(), sentence.start + m.end(), value))
    return tuple(found)


def as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return _amount(value.strip())
    return None


def numbers(sentence: Sentence) -> list[tuple[int, int, int]]:
    """Whole numbers written as digits or words ("3", "three", «три», «дважды»)."""
    return list(_numbers(sentence))


@memoised(maxsize=16384)
def _numbers(sentence: Sentence) -> tuple[tuple[int, int, int], ...]:
    found = []
    for w in sentence.words:
        if w.low.isdigit() and len(w.low) <= 4:
            found.append((w.start, w.end, int(w.low)))
        elif w.low in NUMBER_WORDS:
            found.append((w.start, w.end, NUMBER_WORDS[w.low]))
    return tuple(found)
