from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import ProfileSubject, Rule
from creepcheck.values import as_date


class DeceasedRecipient(Rule):
    """Sending to a person who has died.

    What it flags:
        A profile with `status: deceased`, or with a `date_of_death`.

    Why it is creepy:
        A birthday offer addressed to someone who has died reaches a grieving family.

    Bad:
        {id: cust-9, status: active, date_of_death: 2025-12-02}

    Better:
        Suppress deceased records before every send and keep them suppressed.

    Options:
        None besides `severity`.
    """

    code = "CC401"
    name = "deceased-recipient"
    default_severity = Severity.ERROR
    scopes = ("profile",)
    summary = "The profile is deceased"
    drops_recipient = True

    def check(self, subject: ProfileSubject) -> Iterator[Finding]:
        data = subject.profile.data
        died = as_date(data.get("date_of_death"))
        if str(data.get("status", "")).lower() == "deceased" or died is not None:
            evidence = f"date_of_death: {died.isoformat()}" if died else "status: deceased"
            yield self.finding(
                subject,
                "The recipient is recorded as deceased",
                evidence=evidence,
                fix="Remove deceased records from the audience and from future sends.",
                fields=("date_of_death",) if died else ("status",),
                channel=None,
            )
