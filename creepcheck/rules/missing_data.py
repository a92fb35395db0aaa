from __future__ import annotations

from collections.abc import Hashable, Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Rule


class MissingData(Rule):
    """A template that renders an empty or missing value for this profile.

    What it flags:
        An output expression (`{{ first_name }}`) whose value is missing, empty or
        None for the profile, so the message reads "Hi ," or "Hi None,". Expressions
        with a fallback (`{{ first_name | default('there', true) }}`) do not fire.

    Why it is creepy:
        It is not creepy, it is sloppy: "Dear None" shows the recipient they are a row
        in a database, and often hides a join that failed.

    Bad:
        Hi {{ first_name }},   for a profile without first_name

    Better:
        Hi {{ first_name | default('there', true) }},

    Options:
        None besides `severity`.
    """

    code = "CC404"
    name = "missing-data"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "A template renders a missing or empty field"

    def profile_key(self, subject: MessageSubject) -> Hashable:
        return ()  # what rendered empty is in the rendered message

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        for missing in subject.rendered.missing:
            shown = f'"{missing.shown_as}"' if missing.shown_as else "nothing"
            yield self.finding(
                subject,
                f"{missing.expression} renders as {shown} for this profile",
                evidence=missing.context,
                fix=f"Give {missing.expression} a fallback, e.g. "
                f"{{{{ {missing.expression} | default('there', true) }}}}, or fill the field.",
                fields=(missing.field,) if missing.field else (),
                file=missing.file,
                line=missing.line,
            )
