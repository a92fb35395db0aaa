"""Message-rule findings shared by the profiles that cannot tell them apart.

A message rule's findings depend on the rendered message and on what the rule reads of
the profile, which it declares in `Rule.reads`; the key is built here from that
declaration. Profiles that take the same
branches with the same names share one `RenderedMessage` (render/caches.py), so for a full
audience most of them differ only in what no message rule reads: the rule runs once per
distinct (message, key) and the others get its findings restamped with their own id.
Masking happens later, per profile, in the engine.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import replace

from creepcheck.models import Finding, Profile
from creepcheck.render import RenderedMessage
from creepcheck.rules.base import MessageSubject, Rule


class FindingMemo:
    """Findings per (rule, campaign message, rendered message, profile key), bounded."""

    MAX_ENTRIES = 4096

    def __init__(self) -> None:
        # An entry holds its RenderedMessage, so the id in its key is never reused while
        # the entry lives.
        self.entries: dict[Hashable, tuple[RenderedMessage, tuple[Finding, ...]]] = {}

    def run(self, rules: Iterable[Rule], subject: MessageSubject) -> list[Finding]:
        findings: list[Finding] = []
        profile_id = subject.profile.id
        for rule in rules:
            key = profile_key(rule, subject.profile)
            if key is None:
                findings.extend(rule.check(subject))
                continue
            full = (rule.name, subject.campaign.id, subject.spec.index, id(subject.rendered), key)
            entry = self.entries.get(full)
            if entry is None:
                if len(self.entries) >= self.MAX_ENTRIES:
                    self.entries.clear()
                entry = self.entries[full] = (subject.rendered, tuple(rule.check(subject)))
            findings.extend(_restamped(f, profile_id) for f in entry[1])
        return findings


def profile_key(rule: Rule, profile: Profile) -> str | None:
    """What `rule` declares it reads of the profile, as a key: its values under those
    top-level fields, with their types. None for a rule that reads the whole profile."""
    if rule.reads is None:
        return None
    return repr([profile.data.get(root) for root in rule.reads])


def _restamped(finding: Finding, profile_id: str) -> Finding:
    if finding.profile is None or finding.profile == profile_id:
        return finding
    return replace(finding, profile=profile_id)
