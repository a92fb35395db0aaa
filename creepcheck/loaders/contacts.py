"""Choosing the contact point a message goes to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from creepcheck.models import PHONE_CHANNELS, Profile


@dataclass(frozen=True)
class Destination:
    point: Mapping[str, Any]
    listed_under: str  # the contact_points key it came from
    deliverable: bool  # False when no contact point of the channel is valid


@lru_cache(maxsize=64)
def candidate_keys(channel: str) -> tuple[str, ...]:
    """Where a channel's contact points may be listed, in order of preference."""
    if channel in PHONE_CHANNELS:
        return (channel, *(c for c in PHONE_CHANNELS if c != channel))
    if channel == "direct_mail":
        return ("postal", "direct_mail")
    return (channel,)


def choose_destination(profile: Profile, channel: str) -> Destination | None:
    """The first valid contact point of the channel, else the first listed one, else None."""
    first_listed: Destination | None = None
    for key in candidate_keys(channel):
        for point in profile.contact_points(key):
            if str(point.get("status", "valid")).lower() == "valid":
                return Destination(point, key, deliverable=True)
            if first_listed is None:
                first_listed = Destination(point, key, deliverable=False)
    return first_listed

