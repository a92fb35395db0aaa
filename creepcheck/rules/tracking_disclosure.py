from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Option, Rule


class TrackingDisclosure(Rule):
    """The copy tells the person what you watched them do.

    What it flags:
        Copy that recalls the recipient's own tracked behaviour from `behavior`:
        pages or products viewed, how many times, when, or places (stores) visited,
        especially with "we noticed", "we saw" framing.

    Why it is creepy:
        "We saw you looked at our pricing page 3 times yesterday" proves the person
        was watched individually, which most never expected from a website visit.

    Bad:
        We noticed you looked at the Harbour sofa 4 times yesterday.

    Better:
        The Harbour sofa is back in stock. (no reference to what the person did)

    Options:
        None besides `severity`.
    """

    code = "CC204"
    name = "tracking-disclosure"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "The copy reveals individual tracking: pages, times, counts, places"

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        return iter(())
