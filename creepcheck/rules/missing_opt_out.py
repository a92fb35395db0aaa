from __future__ import annotations

import re
from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Option, Rule

TEXT_CHANNELS = ("sms", "whatsapp")


class MissingOptOut(Rule):
    """A marketing email without an unsubscribe link, or a text without STOP.

    What it flags:
        A marketing email whose links (target or link text) include no unsubscribe or
        opt-out link, and a marketing SMS or WhatsApp message with no opt-out
        instruction such as "Reply STOP to opt out". Reported once per message.

    Why it is creepy:
        A message you cannot stop is a message you did not choose. CAN-SPAM, PECR,
        CASL and TCPA all require a working opt-out in commercial messages.

    Bad:
        An email whose only links are "View in browser" and "Shop now".

    Better:
        <a href="https://shop.example.com/unsubscribe">Unsubscribe</a> in every
        marketing email; "Reply STOP to opt out" in every marketing text.

    Options:
        link_words: words that mark an unsubscribe link (in its target or text).
        stop_words: opt-out keywords or phrases a text message must contain.
    """

    code = "CC104"
    name = "missing-opt-out"
    default_severity = Severity.WARNING
    scopes = ("message",)
    reads = ()  # the copy and its links alone
    summary = "A marketing email has no unsubscribe link, or a marketing text no STOP"
    once_per_message = True
    options = {
        "link_words": Option(
            "list[str]",
            ["unsubscribe", "opt-out", "optout", "opt out", "unsub", "отписаться", "отписка"],
            "words that mark an unsubscribe link",
        ),
        "stop_words": Option(
            "list[str]",
            ["STOP", "СТОП", "opt out", "opt-out", "unsubscribe", "отписаться", "отписка"],
            "opt-out keywords a text message must contain",
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        if subject.campaign.purpose != "marketing":
            return
        channel = subject.spec.channel
        if channel == "email" and not self._has_unsubscribe_link(subject):
            yield self.finding(
                subject,
                "Marketing email has no unsubscribe link",
                fix='Add a visible unsubscribe link, e.g. <a href="https://…/unsubscribe">'
                "Unsubscribe</a>, to the footer.",
            )
        elif channel in TEXT_CHANNELS and not self._has_stop_instruction(subject.rendered.text):
            yield self.finding(
                subject,
                f"Marketing {channel} has no opt-out instruction",
                evidence=subject.rendered.text[:160],
                fix="End the text with an opt-out instruction: 'Reply STOP to opt out'.",
            )

    def _has_unsubscribe_link(self, subject: MessageSubject) -> bool:
        words = [w.lower() for w in self.config["link_words"]]
        return any(
            any(w in f"{link.href} {link.text}".lower() for w in words)
            for link in subject.rendered.links
        )

    def _has_stop_instruction(self, text: str) -> bool:
        for word in self.config["stop_words"]:
            flags = 0 if word.isupper() else re.IGNORECASE  # STOP must be written as a keyword
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags):
                return True
        return False
