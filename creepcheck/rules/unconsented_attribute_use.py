from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import MessageSubject, Option, Rule


class UnconsentedAttributeUse(Rule):
    """The copy uses a personal attribute for something the person did not agree to.

    What it flags:
        Copy built on an attribute outside its `consented_uses`: a birthday message,
        or an age revealed, from a birth date given only for an age check; any
        attribute with `consented_uses` rendered into copy whose use is not listed.

    Why it is creepy:
        People hand over a birth date to prove they are old enough, not to be wished
        a happy birthday by a shop; purpose limitation (GDPR Art. 5(1)(b)) says the same.

    Bad:
        Happy birthday, Jane!   with birth_date {consented_uses: [age_verification]}

    Better:
        Send birthday offers only to people whose birth date lists the `birthday` use.

    Options:
        None besides `severity`.
    """

    code = "CC203"
    name = "unconsented-attribute-use"
    default_severity = Severity.WARNING
    scopes = ("message",)
    summary = "The copy uses an attribute outside the uses the person agreed to"

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        return iter(())
