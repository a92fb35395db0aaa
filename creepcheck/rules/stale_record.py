from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.privacy.outbound import input_value
from creepcheck.rules.base import DeliverySubject, Option, ProfileSubject, Rule
from creepcheck.values import as_date


class StaleRecord(Rule):
    """Sending on data the person has not confirmed for years, or to a dead address.

    What it flags:
        A profile whose `last_verified` is more than `max_age_days` before the
        campaign's `send_at` (not before today), and a message whose channel has only
        `bounced` or `invalid` contact points.

    Why it is creepy:
        Old data reaches people at addresses they gave up, or people who are no longer
        who the record says; GDPR requires personal data to be kept accurate.

    Bad:
        last_verified: 2019-03-01 for a campaign sent in 2026.

    Better:
        Ask people to confirm their details, and drop records past the limit.

    Options:
        max_age_days: how old `last_verified` may be on the send date.
    """

    code = "CC402"
    name = "stale-record"
    default_severity = Severity.WARNING
    scopes = ("profile", "delivery")
    summary = "The record is unverified for too long, or the destination bounced"
    drops_recipient = True
    options = {
        "max_age_days": Option(
            "int", 730, "days since last_verified before a record is stale", minimum=0
        ),
    }

    def check(self, subject: ProfileSubject | DeliverySubject) -> Iterator[Finding]:
        if isinstance(subject, DeliverySubject):
            yield from self._check_destination(subject)
            return
        verified = as_date(subject.profile.view.last_verified)
        if verified is None:
            return
        age = (subject.campaign.send_at.date() - verified).days
        limit = self.config["max_age_days"]
        if age > limit:
            yield self.finding(
                subject,
                f"Last verified {age} days before the send, more than {limit}",
                evidence=f"last_verified: {verified.isoformat()}",
                fix="Ask the person to confirm their details before marketing to them, or "
                "drop the record.",
                fields=("last_verified",),
                channel=None,
            )

    def _check_destination(self, subject: DeliverySubject) -> Iterator[Finding]:
        if subject.deliverable:
            return
        status = subject.destination.get("status", "invalid")
        where = f"contact_points.{subject.destination_channel}"
        yield self.finding(
            subject,
            f"Every {subject.spec.channel} contact point is {status} or invalid "
            f"({input_value(subject.destination.get('value', ''))})",
            evidence=f"{where}[0].status: {status}",
            fix="Remove bounced and invalid contact points, or confirm a new one with the person.",
            fields=(f"{where}[0].status",),
        )
