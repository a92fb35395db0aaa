"""Checking the values of a loaded profile against the vocabulary of SPEC section 1.3.

Unknown statuses, sources or unreadable dates do not reject the profile (a CRM export
often has a few), but each is reported with its file and line, and the rules read the
value conservatively (an unknown consent status allows nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creepcheck.loaders.yamlio import describe
from creepcheck.models import CONSENT_STATUSES, CONTACT_SOURCES, PROFILE_STATUSES, Profile
from creepcheck.values import as_date

CONTACT_STATUSES = ("valid", "bounced", "invalid")
CONTACT_KINDS = ("work", "personal")
DATE_FIELDS = ("last_verified", "date_of_death")


def value_problems(profile: Profile) -> list[str]:
    """Plain-words problems with the profile's known fields ("consents.sms.status: ...")."""
    data = profile.data
    problems: list[str] = []
    _choice(data.get("status"), "status", PROFILE_STATUSES, problems)
    for key in DATE_FIELDS:
        _date(data.get(key), key, problems)
    consents = data.get("consents")
    if isinstance(consents, Mapping):
        for channel, consent in consents.items():
            if isinstance(consent, Mapping):
                where = f"consents.{channel}"
                _choice(consent.get("status"), f"{where}.status", CONSENT_STATUSES, problems)
                _date(consent.get("at"), f"{where}.at", problems)
                _date(consent.get("expires"), f"{where}.expires", problems)
    _contact_points(data.get("contact_points"), problems)
    return problems


def _contact_points(points: Any, problems: list[str]) -> None:
    if points is None:
        return
    if not isinstance(points, Mapping):
        message = f"expected a mapping of channels to lists of contact points, got {_kind(points)}"
        problems.append(f"contact_points: {message} (ignored)")
        return
    for channel, entries in points.items():
        listed = isinstance(entries, list)
        for index, point in enumerate(entries if listed else [entries]):
            where = f"contact_points.{channel}" + (f"[{index}]" if listed else "")
            if not isinstance(point, Mapping):
                if point is not None:
                    problems.append(f"{where}: {CONTACT_POINT_SHAPE}, got {_kind(point)} (ignored)")
                continue
            _choice(point.get("source"), f"{where}.source", CONTACT_SOURCES, problems)
            _choice(point.get("status"), f"{where}.status", CONTACT_STATUSES, problems)
            _choice(point.get("kind"), f"{where}.kind", CONTACT_KINDS, problems)


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


def _choice(value: Any, where: str, allowed: tuple[str, ...], problems: list[str]) -> None:
    if value is not None and value not in allowed and str(value).lower() not in allowed:
        problems.append(f"{where}: expected one of {', '.join(allowed)}, got {describe(value)}")


def _date(value: Any, where: str, problems: list[str]) -> None:
    if value not in (None, "") and as_date(value) is None:
        problems.append(f"{where}: expected a date (YYYY-MM-DD), got {describe(value)}")
