"""python-phonenumbers' matcher, as presidio's phone recognizer runs it, with each
distinct candidate number verified once (the recognizer itself, which needs presidio,
is `creepcheck.text.phone_recognizer`; `any_number` asks the same without presidio).

presidio's `PhoneRecognizer` runs python-phonenumbers' `PhoneNumberMatcher` over a text
once per region. The matcher finds candidates with one regular expression (cheap) and
parses and validates each (the slowest step of reading a message for PII). On a real
audience every message differs (prices, points, tokens), yet the candidate numbers in
it repeat: the same points balance, price or postcode appears in many messages.

What the matcher makes of a candidate depends on the candidate, the region, the
leniency, whether the characters either side of it are Latin letters or currency and
percent signs, whether a time stamp's minutes follow it (`:[0-5]\\d`), and the tries
left. So `_extract_match` is remembered under that key, with how many tries it took; a
remembered answer is reused only when its computation never ran out of tries and more
are left now than it took, and the tries are then spent as the computation spent them.
Everything else (the scan, the per-region loop, the results) is presidio's own code,
so the recognizer answers what presidio's answers (tests/test_pii_shortcuts.py); but
when every candidate of a text is remembered as no number for a region, the region's
matcher is not run at all (the scan's candidates are the same for every region while
none matches).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatch, PhoneNumberMatcher, phonenumbermatcher
from phonenumbers.phonenumberutil import NumberParseException

# The matcher's scan for candidates, to tell beforehand that a text holds no number.
_CANDIDATE = getattr(phonenumbermatcher, "_PATTERN", None)
_SECOND_NUMBER_START = getattr(phonenumbermatcher, "_SECOND_NUMBER_START_PATTERN", None)
# What the matcher looks for after a candidate that looks like a date and hour.
TIME_STAMP_SUFFIX = re.compile(r":[0-5]\d")
MAX_ENTRIES = 16_384

# (region, leniency, candidate, character before, character after, minutes after) ->
# (start within the candidate, raw string, number) or None, tries spent
_Outcome = tuple[tuple[int, str, Any] | None, int]
_EXTRACTED: OrderedDict[tuple[Any, ...], _Outcome] = OrderedDict()
_CHAR_KINDS: dict[str, tuple[bool, bool]] = {}
_PARSED_REGION: dict[str, tuple[bool, str | None]] = {}


class RememberingMatcher(PhoneNumberMatcher):  # type: ignore[misc]
    def candidates(self) -> list[tuple[str, int, bool, tuple[Any, ...]]] | None:
        """The candidates the scan in `_find` meets while none matches, whatever the
        region: (candidate, offset, turned down, the region-free part of its key).
        None when the scan cannot be followed here."""
        if _CANDIDATE is None or _SECOND_NUMBER_START is None:
            return None
        found = []
        match = _CANDIDATE.search(self.text, 0)
        while match is not None:
            start = match.start()
            candidate = self.text[start : match.end()]
            second = _SECOND_NUMBER_START.search(candidate)
            if second:
                candidate = candidate[: second.start()]
            if not candidate:
                return None
            turned_down = self._turned_down(candidate, start)
            found.append((candidate, start, turned_down, self._key(candidate, start)[2:]))
            match = _CANDIDATE.search(self.text, start + len(candidate))
        return found

    def known_empty(self, candidates: list[tuple[str, int, bool, tuple[Any, ...]]]) -> bool:
        """Whether this matcher is sure to find nothing: every candidate its scan meets
        is turned down or remembered as no number here, with tries enough for each."""
        tries = self._max_tries
        region = (self.preferred_region, int(self.leniency))
        for candidate, _, turned_down, rest in candidates:
            if tries <= 0:
                break
            if len(candidate) < self._min_candidate_length:
                continue
            spent = 0
            if not turned_down:
                known = _EXTRACTED.get(region + rest)
                if known is None or known[0] is not None or known[1] >= tries:
                    return False
                spent = known[1]
            tries -= spent + 1
        return True

    def _key(self, candidate: str, offset: int) -> tuple[Any, ...]:
        end = offset + len(candidate)
        return (
            self.preferred_region,
            int(self.leniency),
            candidate,
            self._kind(offset - 1),
            self._kind(end),
            bool(TIME_STAMP_SUFFIX.match(self.text, end)),
        )

    def _turned_down(self, candidate: str, offset: int) -> bool:
        """Plain digits with a Latin letter, a currency or a percent sign beside them (the
        digits of a link token, `20%`): the matcher turns them down before parsing, in
        every region, and finds no inner number to try (its inner patterns all need a
        separator), so no tries are spent either."""
        if self.leniency < Leniency.VALID or not candidate.isdecimal():
            return False
        return any(kind is not None and any(kind) for kind in (
            self._kind(offset - 1), self._kind(offset + len(candidate))
        ))

    def _extract_match(self, candidate: str, offset: int) -> PhoneNumberMatch | None:
        if self._turned_down(candidate, offset):
            return None
        key = self._key(candidate, offset)
        known = _EXTRACTED.get(key)
        if known is not None and known[1] < self._max_tries:
            found, spent = known
            self._max_tries -= spent
            if found is None:
                return None
            start, raw, number = found
            return PhoneNumberMatch(offset + start, raw, _copy(number))
        tries = self._max_tries
        match = super()._extract_match(candidate, offset)
        spent = tries - self._max_tries
        if self._max_tries > 0:  # never ran out of tries: the answer holds for any budget
            found = None
            if match is not None:
                found = (match.start - offset, match.raw_string, _copy(match.number))
            _remember(key, (found, spent))
        return match  # type: ignore[no-any-return]


    def _kind(self, index: int) -> tuple[bool, bool] | None:
        """All the matcher asks of the character before or after a candidate."""
        if not 0 <= index < len(self.text):
            return None
        char = self.text[index]
        kind = _CHAR_KINDS.get(char)
        if kind is None:
            kind = (self._is_invalid_punctuation_symbol(char), self._is_latin_letter(char))
            if len(_CHAR_KINDS) < MAX_ENTRIES:
                _CHAR_KINDS[char] = kind
        return kind


def matchers(text: str, regions: Iterable[Any], leniency: int) -> Iterator[tuple[Any, Any]]:
    """(region, matcher) for each region whose matcher may find a number in `text`: the
    regions where every candidate is remembered as no number are left out (the scan's
    candidates are the same for every region)."""
    candidates: list[tuple[str, int, bool, tuple[Any, ...]]] | None = None
    for index, region in enumerate(regions):
        matches = RememberingMatcher(text, region, leniency)
        if index == 0:
            candidates = matches.candidates()
        if candidates is not None and matches.known_empty(candidates):
            continue
        yield region, matches


def any_number(text: str, regions: tuple[str, ...], leniency: int) -> bool:
    """Whether phonenumbers' matcher finds a number in `text` for any of `regions` (what
    presidio's phone recognizer asks, without presidio), each candidate verified once."""
    return any(
        next(iter(matches), None) is not None for _, matches in matchers(text, regions, leniency)
    )


def _remember(key: tuple[Any, ...], outcome: _Outcome) -> None:
    if len(_EXTRACTED) >= MAX_ENTRIES:
        _EXTRACTED.popitem(last=False)
    _EXTRACTED[key] = outcome


def _copy(number: Any) -> Any:
    copied = phonenumbers.PhoneNumber()
    copied.merge_from(number)
    return copied


def parsed_region(raw: str) -> tuple[bool, str | None]:
    """Whether presidio's re-parse of a match succeeds, and the region it then names."""
    known = _PARSED_REGION.get(raw)
    if known is None:
        try:
            known = (True, phonenumbers.region_code_for_number(phonenumbers.parse(raw)))
        except NumberParseException:
            known = (False, None)
        if len(_PARSED_REGION) >= MAX_ENTRIES:
            _PARSED_REGION.clear()
        _PARSED_REGION[raw] = known
    return known
