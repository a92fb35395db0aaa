from __future__ import annotations

from collections.abc import Iterator
from datetime import time

from creepcheck.models import CHANNELS, Finding, Severity
from creepcheck.privacy.outbound import input_value
from creepcheck.rules.base import DeliverySubject, Option, Rule
from creepcheck.values import as_time, local_time


class QuietHours(Rule):
    """Calling or texting a person at night in their own time zone.

    What it flags:
        A phone, SMS or WhatsApp message whose `send_at` falls outside the allowed
        local hours (`start` inclusive, `end` exclusive) in the profile's `timezone`.
        A profile without a time zone, or with one zoneinfo does not know, cannot be
        judged: it is reported as an input problem and counted in the run's summary
        as a check not run (`--strict-inputs` makes that exit 2).

    Why it is creepy:
        A marketing text at 3 a.m. wakes people up; the TCPA and many national rules
        forbid marketing calls and texts outside 08:00–21:00 local time.

    Bad:
        send_at: 2026-04-14T18:00:00Z to a recipient in Asia/Tokyo (03:00 local).

    Better:
        Schedule the send per time zone, inside the allowed hours.

    Options:
        channels: channels the quiet hours apply to.
        start: the earliest allowed local time ("08:00").
        end: the local time from which sending stops ("21:00").
    """

    code = "CC105"
    name = "quiet-hours"
    default_severity = Severity.WARNING
    scopes = ("delivery",)
    summary = "A call or text is sent outside allowed local hours"
    options = {
        "channels": Option(
            "list[choice]",
            ["phone", "sms", "whatsapp"],
            "channels with quiet hours",
            choices=CHANNELS,
        ),
        "start": Option("time", "08:00", "earliest allowed local time"),
        "end": Option("time", "21:00", "local time from which sending stops"),
    }

    def check(self, subject: DeliverySubject) -> Iterator[Finding]:
        if not subject.deliverable or subject.spec.channel not in self.config["channels"]:
            return
        zone_name = subject.profile.data.get("timezone")
        local = local_time(subject.campaign.send_at, str(zone_name)) if zone_name else None
        if local is None:
            return
        start = as_time(self.config["start"]) or time(8)
        end = as_time(self.config["end"]) or time(21)
        if not _within(local.time(), start, end):
            yield self.finding(
                subject,
                f"Sent at {local:%H:%M} local time ({input_value(zone_name)}), outside "
                f"{start:%H:%M}–{end:%H:%M}",
                evidence=f"send_at {subject.campaign.send_at:%Y-%m-%d %H:%M} UTC is "
                f"{local:%Y-%m-%d %H:%M} in {zone_name}",
                fix=f"Schedule this {subject.spec.channel} between {start:%H:%M} and "
                f"{end:%H:%M} in the recipient's time zone.",
                fields=("timezone",),
            )


def _within(moment: time, start: time, end: time) -> bool:
    moment = moment.replace(tzinfo=None)
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # a window across midnight
