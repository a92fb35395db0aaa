"""Finding personal data in rendered copy with presidio-analyzer, fully offline.

The engine is built from `creepcheck.text.presidio_offline`: presidio's spaCy engine on
blank pipelines (tokens only, enough for its context words) and an email recognizer
that validates domains from tldextract's bundled snapshot, never the network.

Only pattern and checksum recognizers are registered (email, phone, card, IBAN, US SSN,
IP address, URL); the engine is built once, lazily, and results are cached per text.

Most of a message is the same for every profile, so a text is read per segment (the
stretches between blank lines) where that provably gives what reading it whole gives:
see `_find_by_segment`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from creepcheck import tuning
from creepcheck.text import pii_patterns
from creepcheck.text.bounds import bounded
from creepcheck.text.presidio_offline import blank_nlp_engine, offline_email_recognizer

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

EMAIL_ADDRESS = "EMAIL_ADDRESS"
PHONE_NUMBER = "PHONE_NUMBER"
CREDIT_CARD = "CREDIT_CARD"
IBAN_CODE = "IBAN_CODE"
US_SSN = "US_SSN"
IP_ADDRESS = "IP_ADDRESS"
URL = "URL"
# When two findings overlap, the earlier kind wins (an email's domain is not also a URL).
KINDS = (EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, US_SSN, PHONE_NUMBER, IP_ADDRESS, URL)
# Data about a person; links and IP addresses are the sender's or nobody's.
PERSONAL_KINDS = frozenset({EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN})
LANGUAGES = ("en", "ru")
# presidio's weakest patterns (a bare 9-digit run as an SSN...) are noise in marketing copy.
MIN_SCORE = {US_SSN: 0.5, IP_ADDRESS: 0.5, URL: 0.5}
DEFAULT_MIN_SCORE = 0.3
PHONE_REGIONS = {
    "en": ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "IN", "RU"),
    "ru": ("RU", "KZ", "BY", "UA", "US", "GB", "DE"),
}
# Card issuer prefixes and lengths (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
# Maestro, Mir): a Luhn-valid digit run outside these is an order or account number.
CARD_RANGES = (
    (re.compile(r"4"), (13, 16, 19)),
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), (16,)),
    (re.compile(r"3[47]"), (15,)),
    (re.compile(r"6(?:011|5|4[4-9])"), (16, 19)),
    (re.compile(r"35(?:2[89]|[3-8])"), (16, 19)),
    (re.compile(r"3(?:0[0-5]|[689])"), (14, 16)),
    (re.compile(r"62"), (16, 17, 18, 19)),
    (re.compile(r"220[0-4]"), (16,)),
    (re.compile(r"5[06-9]|6\d"), (12, 13, 14, 15, 16, 17, 18, 19)),
)
# A number right after these words is a reference, not a phone or card.
REFERENCE_BEFORE = re.compile(
    r"(?:#|№|\b(?:order|invoice|ref|reference|ticket|case|booking|tracking|confirmation|"
    r"account|acct|member(?:ship)?|loyalty|customer|id|no|sku|item|receipt|код|заказ\w*|"
    r"сч[её]т\w*|номер\s+заказа)(?:\s+(?:number|no\.?|num|id|code|номер))?)[\s:.#№-]*$",
    re.IGNORECASE,
)
PHONE_CONTEXT = re.compile(
    r"\b(?:call|phone|tel|telephone|mobile|cell|text|sms|whatsapp|fax|ring|dial|number|"
    r"звон\w*|тел\w*|моб\w*|номер\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PiiEntity:
    """One piece of personal data found in a text, with its offsets."""

    kind: str  # EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS, URL
    start: int
    end: int
    text: str
    score: float


def find_pii(
    text: str, language: str, kinds: frozenset[str] | None = None
) -> list[PiiEntity]:
    """Every email address, phone number, card number... in `text`, by offset; only
    those of `kinds` when given. Links are still looked for where another kind may be
    (a number inside a link is not a phone number), but a text where nothing of `kinds`
    can be found never starts the engine: most copy holds a link and nothing else."""
    readable = bounded(text)  # same offsets; see creepcheck.text.bounds
    found = _find_in(readable, language, kinds)
    if kinds is not None:
        found = [e for e in found if e.kind in kinds]
    if readable is text:
        return found
    return [replace(e, text=text[e.start : e.end]) for e in found]


def _find_in(text: str, language: str, kinds: frozenset[str] | None) -> list[PiiEntity]:
    if not text or not _may_hold_pii(text):
        return []
    language = language if language in LANGUAGES else "en"
    wanted = _wanted_kinds(text)
    if not wanted or kinds is not None and kinds.isdisjoint(wanted):
        return []
    # A text short enough for the phone matcher never to run out of tries is read by
    # segment; its segments are found once for both questions below.
    short = tuning.OPTIMISE and len(text) <= MAX_SEGMENTED_LENGTH
    segments = _segments(text) if short else None
    if (
        tuning.OPTIMISE
        and kinds is not None
        and not _may_match(text, segments, language, wanted, kinds)
    ):
        return []  # links are looked for only beside what was asked for
    if segments is not None:
        found = _find_by_segment(text, segments, language, wanted)
        if found is not None:
            return found
        if not _has_matches(text, language, wanted):
            return []
    return list(_find_cached(text, language, wanted))


def _may_match(
    text: str,
    segments: list[tuple[int, int]] | None,
    language: str,
    wanted: tuple[str, ...],
    kinds: frozenset[str],
) -> bool:
    """Whether a recognizer of the kinds asked for may match: the engine reports only
    what its recognizers match, so where none can, nothing of those kinds is found.

    No recognizer matches across a newline (see `_find_by_segment`), so a text given with
    its segments is asked segment by segment: a message whose name, points or link make
    it unique still repeats most segments."""
    if segments is not None and len(segments) > 1:
        return any(
            _may_match_in(text[start:end], language, wanted, kinds) for start, end in segments
        )
    return _may_match_in(text, language, wanted, kinds)


@lru_cache(maxsize=4096)
def _may_match_in(
    text: str, language: str, wanted: tuple[str, ...], kinds: frozenset[str]
) -> bool:
    asked = tuple(kind for kind in wanted if kind in kinds)
    return pii_patterns.may_match(text, language, asked, PHONE_REGIONS[language])


@lru_cache(maxsize=4096)
def value_pattern(value: str) -> re.Pattern[str]:
    """Where a profile value is written whole in a text: not inside a longer word, dotted
    name or number ("ann@example.com" is not in "joann@example.com"). Case-insensitive."""
    return re.compile(rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)", re.IGNORECASE)


def digits(value: str) -> str:
    """The digits of a phone or card number, for comparing two ways of writing it."""
    return re.sub(r"\D", "", value)


def same_phone(a: str, b: str) -> bool:
    """Whether two phone numbers are the same line (country code optional on one side)."""
    da, db = digits(a), digits(b)
    if len(da) < 7 or len(db) < 7:
        return False
    return da == db or da.endswith(db[-10:]) and db.endswith(da[-10:])


def _may_hold_pii(text: str) -> bool:
    # Every kind needs an @, a run of digits, or a dotted host; most copy has neither.
    return bool(re.search(r"@|\d{3}|\w\.\w", text))


def _wanted_kinds(text: str) -> tuple[str, ...]:
    """Only the recognizers that can match: most copy has no @ and few digits."""
    kinds = [EMAIL_ADDRESS] if "@" in text else []
    if len(list(islice(filter(str.isdigit, text), 7))) >= 7:
        kinds += [PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS]
    if re.search(r"\w\.\w", text):
        kinds.append(URL)
    if not tuning.OPTIMISE:
        return tuple(kinds)
    return tuple(k for k in kinds if k not in NEEDS or NEEDS[k].search(text))


# What every match of a kind's presidio patterns holds (tests/test_pii_shortcuts.py pins
# the patterns): a text without it cannot match, and its recognizer is not asked.
NEEDS = {
    CREDIT_CARD: re.compile(r"\d{4}[- ]?\d{3}"),  # the issuer's four digits, then three
    IBAN_CODE: re.compile(r"[A-Z]{2}[0-9]{2}"),  # country code and check digits
    US_SSN: re.compile(r"[0-9]{3}[- .]?[0-9]{2}"),  # area and group numbers
    IP_ADDRESS: re.compile(r"[0-9]\.[0-9]{1,3}\.[0-9]|\w:\w|::"),  # dotted quad, or v6
    URL: re.compile(r"\.[^\W\d_]"),  # the dot before the top-level domain's first letter
}


@lru_cache(maxsize=4096)
def _find_cached(text: str, language: str, wanted: tuple[str, ...]) -> tuple[PiiEntity, ...]:
    results = _engine().analyze(text=text, language=language, entities=list(wanted))
    found: list[PiiEntity] = []
    for result in results:
        kind = result.entity_type
        if result.score < MIN_SCORE.get(kind, DEFAULT_MIN_SCORE):
            continue
        entity = PiiEntity(
            kind,
            result.start,
            result.end,
            text[result.start : result.end],
            round(float(result.score), 3),
        )
        if _plausible(entity, text):
            found.append(entity)
    return tuple(_resolve_overlaps(found))


# -- reading a text segment by segment ----------------------------------------------------
#
# No recognizer matches across a newline, so an entity lies inside one segment, and
# presidio's results are local but for two reads to the left: `_plausible` looks up to
# PLAUSIBLE_LOOKBACK characters back, and presidio scores an entity up by context words
# among the few keyword tokens before it (its `context_prefix_count`) and the first one
# from it onwards. A segment is therefore read together with enough of the segments before
# it; the whitespace token of a blank line is itself a keyword, so the forward look never
# leaves the segment in a way that matters. Tokens are the same either way (spaCy splits
# at whitespace first), and so is keyword membership unless a word with a colon
# ("re:the") makes a stop word a keyword: such texts, and texts long enough for
# phonenumbers to run out of tries (13 per character at most, 65,535 in all), are read
# whole.
PLAUSIBLE_LOOKBACK = 40
MAX_SEGMENTED_LENGTH = 5000
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# A recognizer needs a digit, an @, a colon (IPv6) or a dot before a letter (a host).
_MAY_MATCH = re.compile(r"\d|@|:|\.\w")


def _find_by_segment(
    text: str, segments: list[tuple[int, int]], language: str, wanted: tuple[str, ...]
) -> list[PiiEntity] | None:
    """What `_find_cached(text)` finds, read per segment; None when that is not provably
    the same (see above)."""
    if len(segments) < 2:
        return None
    busy = [i for i, (a, b) in enumerate(segments) if _has_matches(text[a:b], language, wanted)]
    if not busy:
        return []
    if not _context_is_local(text, segments, language):
        return None
    found: list[PiiEntity] = []
    for index in busy:
        start, end = segments[index]
        window = _window_start(text, segments, index, language)
        for entity in _find_cached(text[window:end], language, wanted):
            if entity.start >= start - window:
                found.append(replace(entity, start=entity.start + window, end=entity.end + window))
    return found


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches of `text` between whitespace holding a blank line;
    each starts and ends at a non-space character (but at the ends of the text)."""
    out: list[tuple[int, int]] = []
    start = 0
    for blank in _BLANK_LINE.finditer(text):
        gap_start, gap_end = blank.span()
        if gap_start < start:
            continue  # inside the whitespace run already taken
        while gap_start > start and text[gap_start - 1].isspace():
            gap_start -= 1
        while gap_end < len(text) and text[gap_end].isspace():
            gap_end += 1
        if gap_start > start:
            out.append((start, gap_start))
        start = gap_end
    if start < len(text):
        out.append((start, len(text)))
    return out


@lru_cache(maxsize=4096)
def _has_matches(segment: str, language: str, wanted: tuple[str, ...]) -> bool:
    """Whether any recognizer matches in the segment; context only changes scores (the
    engine's score threshold is 0), so a segment without matches has none in any text."""
    if not _MAY_MATCH.search(segment):
        return False
    if tuning.OPTIMISE and not pii_patterns.may_match(
        segment, language, wanted, PHONE_REGIONS[language]
    ):
        return False
    engine = _engine()
    recognizers = _bare_recognizers(language, wanted)
    if recognizers is None:
        return bool(engine.analyze(text=segment, language=language, entities=list(wanted)))
    entities = list(wanted)
    return any(r.analyze(text=segment, entities=entities, nlp_artifacts=None) for r in recognizers)


@lru_cache(maxsize=64)
def _bare_recognizers(language: str, wanted: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The recognizers `analyze` would run for `wanted`, to be asked one by one whether any
    matches, without the tokenizer, context scoring and overlap pass around them; the
    phone recognizer, the slowest, last. Whether the engine's answer is empty depends on
    those only through score thresholds: with none above 0 (scores are never negative),
    any raw match survives. None when a threshold could drop one."""
    engine = _engine()
    recognizers = engine.registry.get_recognizers(
        language=language, entities=list(wanted), all_fields=False
    )
    if engine.default_score_threshold > 0 or any(
        value > 0 for r in recognizers for value in (r.score_thresholds or {}).values()
    ):
        return None
    return tuple(sorted(recognizers, key=lambda r: PHONE_NUMBER in r.supported_entities))


def _window_start(text: str, segments: list[tuple[int, int]], index: int, language: str) -> int:
    """Where to start reading for segment `index`: far enough back for every context."""
    start = segments[index][0]
    needed = _engine().context_aware_enhancer.context_prefix_count + 1
    keywords = 0
    for begin, end in reversed(segments[:index]):
        keywords += _keyword_facts(text[begin:end], language)[0]
        if keywords >= needed and start - begin >= PLAUSIBLE_LOOKBACK:
            return begin
    return 0


def _context_is_local(text: str, segments: list[tuple[int, int]], language: str) -> bool:
    if _engine().context_aware_enhancer.context_suffix_count != 0:
        return False
    return all(":" not in text[a:b] or _keyword_facts(text[a:b], language)[1] for a, b in segments)


@lru_cache(maxsize=4096)
def _keyword_facts(segment: str, language: str) -> tuple[int, bool]:
    """How many of the segment's tokens are presidio keywords, and whether its words with a
    colon split only into words that are keywords anyway."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    nlp_engine = _engine().nlp_engine
    artifacts = nlp_engine.process_text(segment, language)
    keywords = set(artifacts.keywords)
    count = sum(1 for lemma in artifacts.lemmas if lemma.lower() in keywords)
    safe = all(
        not part or NlpArtifacts.set_keywords(nlp_engine, [part], language)
        for lemma in artifacts.lemmas
        if ":" in lemma
        for part in NlpArtifacts.set_keywords(nlp_engine, [lemma], language)
    )
    return count, safe


def _plausible(entity: PiiEntity, text: str) -> bool:
    """Drop presidio matches that are prices, dates or reference numbers in context."""
    before = text[max(0, entity.start - 24) : entity.start]
    if entity.kind == PHONE_NUMBER:
        value = entity.text.strip()
        if REFERENCE_BEFORE.search(before):
            return False
        # A bare digit run is a phone only with a phone word nearby; written numbers
        # have a +, brackets, spaces or dashes.
        if value.isdigit() and not PHONE_CONTEXT.search(
            text[max(0, entity.start - PLAUSIBLE_LOOKBACK) : entity.start]
        ):
            return False
        return not re.search(r"[$€£¥₽]\s*$", before)
    if entity.kind == CREDIT_CARD:
        number = digits(entity.text)
        if REFERENCE_BEFORE.search(before):
            return False
        return any(
            prefix.match(number) and len(number) in lengths for prefix, lengths in CARD_RANGES
        )
    return True


def _resolve_overlaps(found: list[PiiEntity]) -> list[PiiEntity]:
    # A number inside a link (a tracking id, an order path) is part of the link.
    links = [e for e in found if e.kind == URL and re.search(r"/|^(?:https?:|www\.)", e.text)]
    found = [
        e
        for e in found
        if e.kind in (URL, EMAIL_ADDRESS)
        or not any(u.start <= e.start and e.end <= u.end for u in links)
    ]
    rank = {kind: index for index, kind in enumerate(KINDS)}
    ordered = sorted(
        found, key=lambda e: (rank.get(e.kind, len(KINDS)), -(e.end - e.start), e.start)
    )
    kept: list[PiiEntity] = []
    for entity in ordered:
        if any(entity.start < other.end and other.start < entity.end for other in kept):
            continue
        kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end))


_LOCK = threading.Lock()
_ENGINE: AnalyzerEngine | None = None


def _engine() -> AnalyzerEngine:
    global _ENGINE
    if _ENGINE is None:
        with _LOCK:
            if _ENGINE is None:
                _ENGINE = _build_engine()
    return _ENGINE


def _build_engine() -> AnalyzerEngine:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        UrlRecognizer,
        UsSsnRecognizer,
    )

    # It answers what presidio's PhoneRecognizer answers, and is that one on the plain
    # path (creepcheck/text/phone_recognizer.py).
    from creepcheck.text.phone_recognizer import RememberingPhoneRecognizer

    recognizers: list[Any] = []
    for language in LANGUAGES:
        recognizers += [
            offline_email_recognizer(language),
            RememberingPhoneRecognizer(
                supported_language=language,
                supported_regions=PHONE_REGIONS[language],
                leniency=pii_patterns.PHONE_LENIENCY,
            ),
            CreditCardRecognizer(supported_language=language),
            IbanRecognizer(supported_language=language),
            UsSsnRecognizer(supported_language=language),
            IpRecognizer(supported_language=language),
            UrlRecognizer(supported_language=language),
        ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=list(LANGUAGES))
    languages = list(LANGUAGES)
    return AnalyzerEngine(
        registry=registry, nlp_engine=blank_nlp_engine(LANGUAGES), supported_languages=languages
    )
