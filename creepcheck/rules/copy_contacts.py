"""The copy half of CC102: the message names a contact point or handle not given."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from creepcheck.models import Finding

if TYPE_CHECKING:
    from creepcheck.rules.base import MessageSubject, Rule


def copy_mentions_unlisted_contact(rule: Rule, subject: MessageSubject) -> Iterator[Finding]:
    return iter(())
