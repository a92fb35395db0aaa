"""Time expressions, prices and counts in the copy, for the recall rules: "last
Tuesday", "on 3 May", "3 days ago" resolved against the person's own dates; "$212.40",
"2 490 ₽"; small counts in words or digits. English and Russian.

What a sentence says depends on its text alone, so it is worked out once per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from creepcheck.caching import memoised
from creepcheck.text.recall import NUMBER_WORDS, Sentence, wordlist

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
