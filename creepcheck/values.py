"""Reading loosely typed profile values: dates, times, booleans."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def as_date(value: Any) -> date | None:
    """A date from a date, datetime or ISO string; None when absent or unreadable."""
    if isinstance(value, str):
        return _date_from_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


@lru_cache(maxsize=4096)
def _date_from_text(value: str) -> date | None:
    """Dates repeat across an audience (consent and verification days)."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:  # "" too
        return None


def as_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime (UTC when none is given)."""
    if isinstance(value, str):
        parsed = _datetime_from_text(value)
    elif isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@lru_cache(maxsize=4096)
def _datetime_from_text(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def as_time(value: Any) -> time | None:
    """`"08:00"` style clock times."""
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)  # YAML 1.1 reads an unquoted 08:00 as 480
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", ""})


def flag(value: Any) -> bool | None:
    """A yes-or-no field as written (`true`, `yes`, `on`, `1`, a CSV's "Y"...); None when
    it is neither, and absent is False."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@lru_cache(maxsize=1024)
def local_time(moment: datetime, zone_name: str) -> datetime | None:
    """`moment` in the named time zone; None when the zone is unknown. An audience shares
    a few zones, so each (send time, zone) pair is worked out once."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return moment.astimezone(zone)
