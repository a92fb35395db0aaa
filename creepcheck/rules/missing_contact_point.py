from __future__ import annotations

from creepcheck.models import Severity
from creepcheck.rules.base import Rule


class MissingContactPoint(Rule):
    """A profile with no contact point for a message's channel.

    What it flags:
        A message whose channel has no contact point in the profile (`sms`, `phone` and
        `whatsapp` share numbers; `direct_mail` uses `contact_points.postal`). The
        message is not rendered for that profile; reported once per profile and channel.

    Why it is creepy:
        It is not creepy by itself, but a sample that cannot receive a message tests
        nothing: the other rules never see that message.

    Bad:
        A push message to a profile without `contact_points.push`.

    Better:
        Add the contact point to the sample profile, or leave the channel out.

    Options:
        None besides `severity`.
    """

    code = "CC106"
    name = "missing-contact-point"
    default_severity = Severity.INFO
    scopes = ("engine",)
    summary = "The profile has no contact point for a message's channel"
    drops_recipient = True
