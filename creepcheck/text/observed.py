"""Copy that frames values from the profile's `behavior` records as watched (CC204).

The tracking-disclosure rule pairs these with what the profile recorded: a value printed
from `behavior` in a sentence said to the reader or framed as observed ("thanks for",
"we noticed you", "3 times"), or the reader told they viewed or visited something
("you browsed", "your last visit") beside a recorded page, product, place or search, a
count of times, a past time, or a page or product noun. Acts read from tokens whatever
the field (a count, time or place with "you looked at") are `tracking.py`'s; this module
keeps the phrase patterns of the behaviour-field reading, in English and Russian.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from creepcheck.caching import memoised
from creepcheck.text.recall import (
    SECOND_PERSON,
    Sentence,
    Word,
    normalise,
    partial_matches,
    phrase_matches,
    words,
    wordset,
)

__all__ = [
    "GENERIC_VALUES",
    "counts",
    "framing",
    "page_and_product_nouns",
    "told_as_observed",
    "told_by_reader",
    "value_matches",
]

# Values any visitor has: a page called "home" or a store called "online" recalls nothing.
GENERIC_VALUES = wordset(
    "home index online web website app mobile main page cart checkout account login "
    "search онлайн сайт главная"
)

# The reader did something we watched: past, perfect or progressive forms only, so
# "visit our pricing page" or "you can view it online" are not observations.
_VIEW_EN = (
    r"(?:(?:were|was|'ve been|have been|been) )?(?:looked|looking) (?:at|for|into|through|over)"
    r"|viewed|viewing|browsed|browsing|visited|visiting|explored|exploring|clicked|searched"
    r"|scrolled|lingered|eyed|checking out"
    r"|(?:'ve been|have been|been|were) eyeing|checked out|(?:were|been) checking out"
    r"|(?:dropped|stopped|popped|swung|came|coming|dropping|stopping|popping|swinging)"
    r" (?:by|in|into|round|over)|came to|were (?:in|at) our|spent \w+ (?:on|in|at|browsing)"
    r"|(?:opened|read|watched|tapped|returned to|came back to)(?= .{0,40}\b(?:page|app|email"
    r"|link|site|listing|product|item|store|video)s?\b)"
)
_VIEW_RU = (
    r"(?:(?:по|про)?смотр|просматрива|открыва|откры|заход|заш|загляды|загляну|посеща|посети"
    r"|иска|интересова|изуча|листа|клика|нажима|побыва|присматрива|приглядыва|возвраща|верну"
    r"|прове)\w*?(?:л|ла|ли|ло|лся|лась|лись)"
)
_VIEW = re.compile(rf"\b(?:{_VIEW_EN}|{_VIEW_RU})\b")
_THANKS = re.compile(r"\b(?:thanks|thank you) for\b|\bспасибо,? что\b|\bблагодарим,? что\b")
# The reader's own request, handed back: "thanks for asking to test-drive the X", "the
# dates you asked about", "as requested". What the reader told the sender is not watched.
_ASKED = re.compile(
    r"\b(?:thanks|thank you) for (?:asking|requesting|your request|your enquiry|enquiring"
    r"|booking|your booking)\b|\byou (?:asked|requested|told us|booked)\b"
    r"|\bas (?:you )?requested\b|\bспасибо за (?:заявку|запрос|бронирование)\b"
    r"|\bвы (?:просили|запросили|оставили заявку)\b"
)
_YOUR_VISIT = re.compile(
    r"\byour (?:recent |last |latest )?(?:visits?|views?|browsing|search(?:es)?|sessions?"
    r"|time on)\b|\bваш(?:и|е|его|ему)? (?:недавн\w+ |последн\w+ )?(?:визит|посещени|просмотр"
    r"|поиск)\w*"
)
_OBSERVE = re.compile(
    r"\b(?:we|we've|we have) (?:noticed|notice|saw|seen|see|spotted|tracked)(?: that)?"
    r" (?:\w+ )?(?:you|your)\b"
    r"|\bcaught your eye\b|\bleft (?:\w+ )?in your (?:cart|basket|bag)\b"
    r"|\b(?:great|good|nice|lovely) (?:to see|seeing) you\b|\bрады (?:были )?видеть вас\b"
    r"|\bstill (?:thinking about|considering|deciding on|interested in)\b"
    r"|\bмы (?:заметили|видели|видим|увидели|отметили),?(?: что)?(?: \w+){0,2} (?:вы|ваш\w*)\b"
)
_COUNT = re.compile(
    r"\b(?:\d+|once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|several|many"
    r"|multiple|a few|a couple of|a number of) (?:more )?times\b|\b\d+ (?:visits|views|sessions)\b"
    r"|\bagain and again\b|\bдважды\b|\bтрижды\b"
    r"|\b(?:\d+|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|несколько|много) раза?\b"
)
_PAGES = re.compile(r"\b(?:pages?|страниц\w*|раздел\w*)\b")
_PRODUCTS = re.compile(r"\b(?:products?|items?|listings?|товар\w*|карточк\w*)\b")
_HYPOTHETICAL = re.compile(r"\b(?:if|whether|ever|once|если|когда-нибудь)\b")
_OURS = frozenset({"we", "we've", "we're", "мы"})
_ARTICLES = frozenset({"the", "your", "that", "this"})


def told_as_observed(low: str) -> bool:
    """Whether a normalised sentence thanks the reader for an act, frames it as observed
    ("we noticed you") or counts times ("3 times")."""
    return bool(_THANKS.search(low) or _OBSERVE.search(low) or _COUNT.search(low))


def told_by_reader(low: str) -> bool:
    """Whether a normalised sentence hands back what the reader asked for or booked."""
    return bool(_ASKED.search(low))


def counts(low: str) -> Iterator[re.Match[str]]:
    """Counts of times in a normalised sentence: "3 times", "twice", «пять раз»."""
    return _COUNT.finditer(low)


def page_and_product_nouns(low: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Page and product nouns of a normalised sentence, with what they say was viewed."""
    for kind, pattern in (("pages viewed", _PAGES), ("products viewed", _PRODUCTS)):
        for match in pattern.finditer(low):
            yield kind, match


@memoised(maxsize=4096)
def framing(text: str) -> tuple[re.Match[str], ...]:
    """Where a sentence says the reader viewed or visited something; none if hypothetical.

    Depends on the sentence's text alone, so it is worked out once per distinct sentence.
    """
    low = normalise(text)
    tokens = words(text)
    starts = [word.start for word in tokens]
    found = [m for m in _VIEW.finditer(low) if _by_reader(tokens, starts, low, m.start())]
    found += list(_YOUR_VISIT.finditer(low)) + list(_OBSERVE.finditer(low))
    if not found or _HYPOTHETICAL.search(low[: found[0].start()]):
        return ()
    return tuple(found)


def _by_reader(tokens: Sequence[Word], starts: list[int], low: str, offset: int) -> bool:
    """Whether the verb at `offset` has the reader as its subject ("you", "thanks for").
    `tokens` are the sentence's words, `starts` their offsets, `low` its normalised text:
    worked out once per sentence, so a sentence of many verbs stays linear."""
    position = bisect.bisect_left(starts, offset)
    before = tokens[max(0, position - 5) : position]
    for word in reversed(before):
        if word.low in _OURS:
            return False
        if word.low in SECOND_PERSON:
            return True
    return bool(_THANKS.search(low[max(0, offset - 30) : offset]))


def value_matches(
    sentence: Sentence, value: str, *, page: bool, product: bool
) -> list[tuple[int, int]]:
    """Where a recorded value is said in a sentence: a page by its path or the words of
    its last segment, a product in full or shortened, anything else in full."""
    if page:
        spans = (
            [
                (sentence.start + m.start(), sentence.start + m.end())
                for m in re.finditer(re.escape(value.lower()), sentence.low)
            ]
            if "/" in value
            else []
        )
        slug = [s for s in re.split(r"[/?#=&]", value) if s and not s.isdigit()]
        phrase = re.sub(r"[-_.]+", " ", slug[-1]) if slug else ""
        if phrase and phrase.lower() not in GENERIC_VALUES:
            spans += phrase_matches(sentence, phrase)
        return spans
    if value.strip().lower() in GENERIC_VALUES or len(value.strip()) < 3:
        return []
    if product:
        return phrase_matches(sentence, value) or partial_matches(sentence, value, _ARTICLES)
    return phrase_matches(sentence, value)
