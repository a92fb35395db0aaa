"""Checking the values of a loaded profile against the vocabulary of SPEC section 1.3.

Unknown statuses, sources, time zones or unreadable dates do not reject the profile (a
CRM export often has a few), but each is reported with its file and line, and the rules
read the value conservatively (an unknown consent status allows nothing). A value a
rule cannot read keeps that rule from judging the profile: the problem names the rule
(`skipped`), and the run's summary counts the checks not run.
"""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from creepcheck.loaders.records import BOOL_FIELDS
from creepcheck.loaders.yamlio import describe
from creepcheck.models import (
    CONSENT_STATUSES,
    CONTACT_SOURCES,
    PROFILE_STATUSES,
    Profile,
    ProfileView,
)
from creepcheck.values import as_date, flag

CONTACT_STATUSES = ("valid", "bounced", "invalid")
CONTACT_KINDS = ("work", "personal")
DATE_FIELDS = {"last_verified": "stale-record", "date_of_death": "deceased-recipient"}
DATE_FORMS = "an ISO 8601 date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
UNREADABLE_DATE = "unreadable date"
UNKNOWN_ZONE = "unknown time zone"
NO_ZONE = "no time zone"


@dataclass(frozen=True)
class ValueProblem:
    """A problem with one value; `skipped` names the rule it kept from judging the
    profile, `reason` says why in a few words (for the run's summary)."""

    message: str
    skipped: str | None = None
    reason: str | None = None


def value_problems(profile: Profile) -> list[ValueProblem]:
    """Plain-words problems with the profile's known fields ("consents.sms.status: ...")."""
    data = profile.data
    problems: list[ValueProblem] = []
    _choice(data.get("status"), "status", PROFILE_STATUSES, problems)
    for key, rule in DATE_FIELDS.items():
        _date(data.get(key), key, problems, rule)
    _zone(data.get("timezone"), problems)
    for key in BOOL_FIELDS:
        _flag(data.get(key), key, problems)
    consents = data.get("consents")
    if isinstance(consents, Mapping):
        for channel, consent in consents.items():
            if isinstance(consent, Mapping):
                where = f"consents.{channel}"
                _choice(consent.get("status"), f"{where}.status", CONSENT_STATUSES, problems)
                _date(consent.get("at"), f"{where}.at", problems)
                _date(consent.get("expires"), f"{where}.expires", problems, "unconsented-channel")
    _contact_points(profile.view, problems)
    return problems


def _contact_points(view: ProfileView, problems: list[ValueProblem]) -> None:
    if view.malformed_contact_points is not None:
        kind = _kind(view.malformed_contact_points)
        message = f"expected a mapping of channels to lists of contact points, got {kind}"
        problems.append(ValueProblem(f"contact_points: {message} (ignored)"))
        return
    for point in view.entries:
        if not point.is_point:
            shape = f"{CONTACT_POINT_SHAPE}, got {_kind(point.entry)} (ignored)"
            problems.append(ValueProblem(f"{point.where}: {shape}"))
            continue
        _choice(point.source, f"{point.where}.source", CONTACT_SOURCES, problems)
        _choice(point.status, f"{point.where}.status", CONTACT_STATUSES, problems)
        _choice(point.kind, f"{point.where}.kind", CONTACT_KINDS, problems)


CONTACT_POINT_SHAPE = "expected a contact point such as {value: ..., source: customer}"


def _kind(value: Any) -> str:
    """What a misplaced value is, without quoting it: it may be personal data."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return describe(value)


def _choice(value: Any, where: str, allowed: tuple[str, ...], problems: list[ValueProblem]) -> None:
    if value is not None and value not in allowed and str(value).lower() not in allowed:
        message = f"{where}: expected one of {', '.join(allowed)}, got {describe(value)}"
        problems.append(ValueProblem(message))


def _date(value: Any, where: str, problems: list[ValueProblem], rule: str | None = None) -> None:
    if value in (None, "") or as_date(value) is not None:
        return
    message = f"{where}: unreadable date {describe(value)}: expected {DATE_FORMS}"
    if rule is not None:
        message += f"; {rule} not checked for this profile"
    problems.append(ValueProblem(message, rule, UNREADABLE_DATE if rule else None))


def _flag(value: Any, where: str, problems: list[ValueProblem]) -> None:
    if flag(value) is None:
        message = (
            f"{where}: expected true or false (yes, no, 1, 0), got {describe(value)}; "
            "read as true, so the recipient is dropped"
        )
        problems.append(ValueProblem(message))


def _zone(value: Any, problems: list[ValueProblem]) -> None:
    if value in (None, "") or (isinstance(value, str) and is_time_zone(value)):
        return
    hint = zone_suggestion(value) if isinstance(value, str) else None
    tip = f' (did you mean "{hint}"?)' if hint else ""
    message = (
        f"timezone: unknown time zone {describe(value)}{tip}: expected an IANA zone name "
        "such as America/Chicago or Europe/Berlin; quiet-hours not checked for this profile"
    )
    problems.append(ValueProblem(message, "quiet-hours", UNKNOWN_ZONE))


@lru_cache(maxsize=1024)
def is_time_zone(name: str) -> bool:
    """Whether zoneinfo knows the name. Audiences share a few zones."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@lru_cache(maxsize=256)
def zone_suggestion(name: str) -> str | None:
    """The zone a misspelt or abbreviated name probably means: `America/Chicagoo` ->
    `America/Chicago`, `Central` -> `US/Central`."""
    zones = sorted(_zones())
    by_lower = {zone.lower(): zone for zone in zones}
    if name.strip().lower() in by_lower:
        return by_lower[name.strip().lower()]
    close = difflib.get_close_matches(name, zones, n=1, cutoff=0.8)
    if close:
        return close[0]
    cities = {zone.rsplit("/", 1)[-1].lower(): zone for zone in reversed(zones)}
    key = name.strip().replace(" ", "_").lower()
    close = difflib.get_close_matches(key, list(cities), n=1, cutoff=0.8)
    return cities[close[0]] if close else None


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
