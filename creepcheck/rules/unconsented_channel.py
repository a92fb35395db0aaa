from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from creepcheck.caching import Derived
from creepcheck.models import Finding, Profile, Severity
from creepcheck.policy.model import ConsentAllowance
from creepcheck.privacy.outbound import input_value
from creepcheck.rules.base import DeliverySubject, Rule
from creepcheck.values import as_date


class UnconsentedChannel(Rule):
    """Sending on a channel whose consent does not cover the campaign's purpose.

    What it flags:
        A message whose channel consent is `none`, `denied` or `withdrawn`, has expired
        by `send_at`, was granted only for other purposes (`purposes: [service]` for a
        marketing campaign), or is implied consent that has lapsed. Which statuses allow
        which purpose on which channel is set in the policy's `consent:` section;
        purposes the policy does not list (transactional, service) need no consent.

    Why it is creepy:
        A text from a company you told to stop is the clearest sign that your wishes
        were ignored, and unconsented marketing breaks GDPR, PECR, TCPA and CASL.

    Bad:
        consents: {sms: {status: withdrawn}} and a marketing SMS to that person.

    Better:
        Drop people without consent for the channel from the audience, or reach them
        on a channel they agreed to.

    Options:
        None besides `severity`; the statuses come from the policy's `consent:` section.
    """

    code = "CC101"
    name = "unconsented-channel"
    default_severity = Severity.ERROR
    scopes = ("delivery",)
    summary = "The channel's consent does not cover the campaign's purpose"
    drops_recipient = True

    def check(self, subject: DeliverySubject) -> Iterator[Finding]:
        if not subject.deliverable:
            return
        campaign, channel = subject.campaign, subject.spec.channel
        requirement = subject.run.policy.consent_for(campaign.purpose, channel)
        if requirement.any:
            return
        consent = _consent(subject.profile, channel)
        status = str(consent.get("status") or "none").lower()
        problem = _consent_problem(
            status,
            requirement.allowance(status),
            consent,
            subject.profile,
            campaign.send_at,
            campaign.purpose,
        )
        if problem:
            yield self.finding(
                subject,
                f"{channel} consent {problem}, "
                f"so this {campaign.purpose} {channel} may not be sent",
                evidence=f"consents.{channel}.status: {status}",
                fix=f"Leave this person out of the {channel} audience, or use a channel "
                f"they consented to for {campaign.purpose}.",
                fields=(f"consents.{channel}",),
            )


def _consent(profile: Profile, channel: str) -> Mapping[str, Any]:
    return profile.consent(channel)


def _consent_problem(
    status: str,
    allowance: ConsentAllowance | None,
    consent: dict[str, Any] | Any,
    profile: Profile,
    send_at: datetime,
    purpose: str,
) -> str | None:
    if allowance is None:
        return "is missing" if status == "none" else f"is {input_value(status)}"
    send_day = send_at.date()
    expires = as_date(consent.get("expires"))
    if expires is not None and expires < send_day:
        return f"expired on {expires.isoformat()}"
    purposes = consent.get("purposes")
    if isinstance(purposes, list) and purposes and purpose not in purposes:
        return f"covers only {', '.join(map(input_value, purposes))}"
    if allowance.lapses_after_days and not _implied_consent_current(
        allowance, consent, profile, send_day
    ):
        return f"is {input_value(status)} and has lapsed"
    return None


def _implied_consent_current(
    allowance: ConsentAllowance, consent: Any, profile: Profile, send_day: date
) -> bool:
    """Implied consent holds while the latest purchase or inquiry is recent enough."""
    events = {kind: list(dates) for kind, dates in _events(profile).items()}
    source, granted_at = str(consent.get("source") or ""), as_date(consent.get("at"))
    if source in events and granted_at is not None:
        events[source].append(granted_at)
    return any(
        (send_day - max(events.get(kind) or [date.min])).days <= days
        for kind, days in allowance.lapses_after_days.items()
        if events.get(kind)
    )


def _read_events(profile: Profile) -> dict[str, list[date]]:
    """The dates of the person's purchases and inquiries."""
    events: dict[str, list[date]] = {"purchase": [], "inquiry": []}
    for kind, key in (("purchase", "purchases"), ("inquiry", "inquiries")):
        for entry in profile.get(key) or []:
            when = as_date(entry.get("at")) if isinstance(entry, dict) else None
            if when is not None:
                events[kind].append(when)
    return events


EVENTS: Derived[dict[str, list[date]]] = Derived(_read_events)


def _events(profile: Profile) -> dict[str, list[date]]:
    return EVENTS.of(profile)
