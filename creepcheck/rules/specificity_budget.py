from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Option, Rule


class SpecificityBudget(Rule):
    """The message recalls too many concrete facts about one person.

    What it flags:
        Every distinct profile value rendered into the copy counts as a fact (an item,
        a date, a place, a count, an attribute, a page, a segment), except the
        person's name and the sender's own data; above `max_facts` the message fires.
        Every message's count is reported as its `specificity`.

    Why it is creepy:
        Each detail alone may be fine; five in one email show how much is known.

    Bad:
        Jane, your loafers from Queen St on 20 Feb, size 7, $89.99, in black...

    Better:
        Keep to one or two details the person would expect you to know.

    Options:
        max_facts: most distinct facts one message may recall.
    """

    code = "CC302"
    name = "specificity-budget"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "The message recalls more concrete facts about the person than max_facts"
    options = {
        "max_facts": Option("int", 3, "most distinct facts about the person one message may recall",
                            minimum=0),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        return iter(())
