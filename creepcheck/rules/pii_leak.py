from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Option, Rule


class PiiLeak(Rule):
    """The message leaks data it must not contain.

    What it flags:
        Personal data that is not the recipient's (another person's email, phone
        number or card number), and internal fields printed into the copy: agent
        notes, model scores, segment names (see `internal_fields`). The recipient's
        own contact details and the sender's help address do not fire.

    Why it is creepy:
        "Difficult caller, threatened to cancel" in a customer's inbox, or another
        customer's email address in yours, is a data breach, not a marketing mistake.

    Bad:
        A note for you: {{ notes }}   /  Your neighbour tom@example.org just joined

    Better:
        Keep internal fields out of templates; never name other customers.

    Options:
        internal_fields: profile fields that must never reach a message.
    """

    code = "CC205"
    name = "pii-leak"
    default_severity = Severity.ERROR
    scopes = ("message",)
    summary = "The message contains someone else's personal data or an internal field"
    options = {
        "internal_fields": Option(
            "list[str]",
            ["notes", "inferred.*", "internal.*", "segments", "score", "*_score"],
            "profile fields that must never reach a message (dotted globs)",
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        return iter(())
