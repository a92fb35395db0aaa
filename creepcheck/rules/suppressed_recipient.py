from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import Option, ProfileSubject, Rule
from creepcheck.values import age_on, as_date, flag


class SuppressedRecipient(Rule):
    """Marketing to someone who must not be contacted.

    What it flags:
        A profile with `do_not_contact: true`, `erasure_requested: true`, `status`
        `suppressed` or `closed`, or a birth date that makes the person younger than
        `min_age` on the send date (marketing campaigns only for the age check). A flag
        written as neither true nor false ("maybe") counts as set, and is reported.

    Why it is creepy:
        Ignoring a do-not-contact or erasure request is exactly what people fear
        companies do with their data; marketing to children is restricted almost
        everywhere (GDPR Art. 8, COPPA).

    Bad:
        {id: cust-4, erasure_requested: true} in a newsletter audience.

    Better:
        Apply suppression lists and age checks before the audience is built.

    Options:
        min_age: the youngest age that may receive marketing.
    """

    code = "CC403"
    name = "suppressed-recipient"
    default_severity = Severity.ERROR
    scopes = ("profile",)
    summary = "Do-not-contact, erasure requested, suppressed, closed, or under the minimum age"
    drops_recipient = True
    options = {
        "min_age": Option("int", 16, "youngest age that may receive marketing", minimum=0),
    }

    def check(self, subject: ProfileSubject) -> Iterator[Finding]:
        data = subject.profile.data
        reasons: list[tuple[str, str, str]] = []
        # A flag that is neither true nor false is read as set: the safe reading of a
        # suppression (the value is reported as an input problem too).
        if flag(data.get("do_not_contact")) is not False:
            reasons.append(
                ("do_not_contact", "is on the do-not-contact list", "do_not_contact: true")
            )
        if flag(data.get("erasure_requested")) is not False:
            reasons.append(
                (
                    "erasure_requested",
                    "asked for their data to be erased",
                    "erasure_requested: true",
                )
            )
        status = str(data.get("status", "")).lower()
        if status in {"suppressed", "closed"}:
            reasons.append(("status", f"has status {status}", f"status: {status}"))
        if subject.campaign.purpose == "marketing":
            reasons.extend(self._age_reason(subject))
        for field, reason, evidence in reasons:
            yield self.finding(
                subject,
                f"The recipient {reason}",
                evidence=evidence,
                fix="Remove the record from the audience; suppression must be applied "
                "before every send.",
                fields=(field if field != "birth_date" else "attributes.birth_date",),
                channel=None,
            )

    def _age_reason(self, subject: ProfileSubject) -> list[tuple[str, str, str]]:
        birth = subject.profile.get("attributes.birth_date")
        if isinstance(birth, dict):
            birth = birth.get("value")
        birth = as_date(birth if birth is not None else subject.profile.data.get("birth_date"))
        if birth is None:
            return []
        send_day = subject.campaign.send_at.date()
        age = age_on(birth, send_day)
        if age < self.config["min_age"]:
            return [
                (
                    "birth_date",
                    f"is {age}, under the minimum age of {self.config['min_age']}",
                    f"age {age} on the send date {send_day.isoformat()}",
                )
            ]
        return []
