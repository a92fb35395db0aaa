from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import CONTACT_SOURCES, Finding, Severity
from creepcheck.privacy.outbound import input_value
from creepcheck.rules.base import DeliverySubject, MessageSubject, Option, Rule
from creepcheck.rules.copy_contacts import copy_mentions_unlisted_contact


class UnlistedContactPoint(Rule):
    """Reaching a person at a contact point they never gave you.

    What it flags:
        A message whose destination came from somewhere other than the person
        (`source` outside `allowed_sources`, e.g. `data_broker`, `social_scrape`,
        `enrichment`); a `personal` email or phone used by a `b2b` campaign; and copy
        that names a contact point or handle of the recipient that they did not give
        ("we found you on LinkedIn", their scraped Instagram handle).

    Why it is creepy:
        A call to a personal mobile the person never handed over tells them their data
        was bought or scraped, and most privacy laws require it to have been given.

    Bad:
        sms: [{value: "+1 416 555 0199", source: data_broker}] and a marketing SMS;
        "We found you on LinkedIn and thought you might like..."

    Better:
        Use only the addresses the person gave you (`source: customer`, `web_form`),
        their work address for B2B, and say how they can manage their data.

    Options:
        allowed_sources: contact point sources that count as given by the person.
        b2b_personal: whether a b2b campaign may use a `kind: personal` contact point.
    """

    code = "CC102"
    name = "unlisted-contact-point"
    default_severity = Severity.ERROR
    scopes = ("delivery", "message")
    summary = "The destination or a contact point named in the copy was not given by the person"
    drops_recipient = True
    options = {
        "allowed_sources": Option(
            "list[choice]",
            ["customer", "web_form", "purchase", "support"],
            "contact point sources that count as provided by the person",
            choices=CONTACT_SOURCES,
        ),
        "b2b_personal": Option("bool", False, "allow personal contact points in b2b campaigns"),
    }

    def check(self, subject: DeliverySubject) -> Iterator[Finding]:
        if isinstance(subject, MessageSubject):
            yield from copy_mentions_unlisted_contact(self, subject)
            return
        if not subject.deliverable:
            return
        point, channel = subject.destination, subject.spec.channel
        where = f"contact_points.{subject.destination_channel}"
        source = point.get("source")
        shown = str(point.get("value", ""))  # masked by the engine unless --show-pii
        if source is not None and str(source) not in self.config["allowed_sources"]:
            yield self.finding(
                subject,
                f"The {channel} destination {input_value(shown)} came from "
                f"{input_value(source)}, not from the person",
                evidence=f"{where}.source: {source}",
                fix="Send only to contact points the person gave you; drop bought, scraped "
                "or inferred ones from the audience.",
                fields=(f"{where}.source",),
            )
        if (
            subject.campaign.audience == "b2b"
            and str(point.get("kind", "")).lower() == "personal"
            and not self.config["b2b_personal"]
        ):
            yield self.finding(
                subject,
                f"A b2b campaign uses the personal {channel} contact point {input_value(shown)}",
                evidence=f"{where}.kind: personal",
                fix="Use the person's work contact point for business outreach.",
                fields=(f"{where}.kind",),
            )
