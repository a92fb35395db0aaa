from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import Option, ProfileSubject, Rule


class ChannelBlast(Rule):
    """Reaching one person on more channels than the policy allows, in one campaign.

    What it flags:
        A profile that one campaign would reach on more than `max_channels` channels
        (only channels with a message actually rendered for the person count).

    Why it is creepy:
        The same offer by email, text, push and post in one day feels like being
        followed around, and teaches people to unsubscribe from everything.

    Bad:
        messages: [email, sms, push, direct_mail] to a person reachable on all four.

    Better:
        Pick the one or two channels the person prefers, or stagger them.

    Options:
        max_channels: the most channels one campaign may use for one person.
    """

    code = "CC103"
    name = "channel-blast"
    default_severity = Severity.WARNING
    scopes = ("profile",)
    summary = "One campaign reaches a person on more channels than the policy allows"
    options = {
        "max_channels": Option("int", 3, "most channels per person per campaign", minimum=1),
    }

    def check(self, subject: ProfileSubject) -> Iterator[Finding]:
        reached = sorted(set(subject.reached_channels))
        limit = self.config["max_channels"]
        if len(reached) > limit:
            yield self.finding(
                subject,
                f"Reaches this person on {len(reached)} channels ({', '.join(reached)}); "
                f"the policy allows {limit}",
                evidence=", ".join(reached),
                fix=f"Send on at most {limit} channels, chosen from the person's preferences.",
                channel=None,
            )
