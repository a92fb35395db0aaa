"""Whether any of presidio's recognizers could match a text, answered without presidio.

Most copy that is read for personal data holds a few digits (a price, a date, a points
balance) and no personal data at all. presidio only reports what a recognizer matched:
its pattern recognizers (email, card, IBAN, SSN, IP address, URL) report matches of
their regular expressions, its phone recognizer what python-phonenumbers' matcher
finds. So a text that none of those expressions matches and where phonenumbers finds no
number holds nothing presidio would report, and presidio (a quarter of a second to
import, and spaCy with it) need not be started for it.

The expressions are read from presidio's recognizers once, when the package is built,
and shipped as `lexicons/pii.patterns.json`, stamped with the presidio version they were
read from; a table whose stamp differs is not used and presidio is asked as before, so
a stale table costs time, never a finding.

    python scripts/compile_lexicons.py      # writes the table with the others

tests/test_pii_patterns.py fails when the shipped table is stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

TABLE_FILE = "pii.patterns.json"
PHONE_NUMBER = "PHONE_NUMBER"
# presidio's `PhoneRecognizer` default, which creepcheck's recognizer is built with: a
# number must be valid for its region (phonenumbers' Leniency.VALID).
PHONE_LENIENCY = 1


def stamp() -> str:
    try:
        return f"presidio-analyzer={metadata.version('presidio-analyzer')}"
    except metadata.PackageNotFoundError:
        return "presidio-analyzer=-"


@cache
def _table() -> dict[str, dict[str, list[tuple[str, int]]]] | None:
    """language -> kind -> (expression, flags) of each pattern; None when stale."""
    try:
        raw = resources.files("creepcheck.text.lexicons").joinpath(TABLE_FILE)
        data = json.loads(raw.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp():
        return None
    patterns = data.get("patterns")
    return patterns if isinstance(patterns, dict) else None


@lru_cache(maxsize=64)
def _compiled(language: str, kind: str) -> tuple[Any, ...] | None:
    table = _table()
    if table is None or kind not in table.get(language, {}):
        return None
    import regex  # presidio's own engine: its expressions use its syntax

    return tuple(regex.compile(expression, flags) for expression, flags in table[language][kind])


def may_match(text: str, language: str, kinds: Iterable[str], regions: Iterable[str]) -> bool:
    """False when no recognizer of `kinds` can match anything in `text`; True when one
    may (or when the shipped table cannot tell). The phone matcher, the slowest, last."""
    kinds = tuple(kinds)
    for kind in kinds:
        if kind == PHONE_NUMBER:
            continue
        patterns = _compiled(language, kind)
        if patterns is None or any(pattern.search(text) for pattern in patterns):
            return True
    return PHONE_NUMBER in kinds and _phone_found(text, tuple(regions))


@lru_cache(maxsize=4096)
def _phone_found(text: str, regions: tuple[str, ...]) -> bool:
    from creepcheck.text.phones import any_number

    return any_number(text, regions, PHONE_LENIENCY)


def built(
    engine: Any, kinds: Iterable[str], languages: Iterable[str]
) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """The expressions of every pattern recognizer `engine` registers for `kinds`."""
    from presidio_analyzer import PatternRecognizer

    table: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for language in languages:
        by_kind: dict[str, list[tuple[str, int]]] = {}
        for kind in kinds:
            recognizers: list[Any] = engine.registry.get_recognizers(
                language=language, entities=[kind], all_fields=False
            )
            if kind == PHONE_NUMBER or not all(
                isinstance(r, PatternRecognizer) for r in recognizers
            ):
                continue
            by_kind[kind] = [
                (pattern.regex, int(recognizer.global_regex_flags))
                for recognizer in recognizers
                for pattern in recognizer.patterns
            ]
        table[language] = by_kind
    return table


def write(folder: Path, engine: Any, kinds: Iterable[str], languages: Iterable[str]) -> Path:
    path = folder / TABLE_FILE
    kinds = tuple(kinds)
    body = {"stamp": stamp(), "patterns": built(engine, kinds, languages)}
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", "utf-8")
    return path
