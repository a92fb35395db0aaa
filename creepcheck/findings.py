"""Turning raw rule output into the findings a run reports.

Message-level rules fire once per campaign message however many profiles hit them;
every finding gets a fingerprint that survives moved lines and reordered profiles; a
waiver in the campaign file marks the findings it covers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from creepcheck.models import Campaign, Finding


def finalize(findings: Iterable[Finding], campaigns: Iterable[Campaign]) -> list[Finding]:
    by_id = {c.id: c for c in campaigns}
    unique = _dedupe(findings)
    fingerprinted = _fingerprint(unique)
    return [_apply_waivers(f, by_id.get(f.campaign or "")) for f in fingerprinted]


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Drop exact repeats (message-level findings repeat for every profile)."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Finding] = []
    for finding in findings:
        key = (
            finding.rule,
            finding.campaign,
            finding.channel,
            finding.profile,
            finding.file,
            finding.line,
            finding.message if finding.profile else finding.rule,
        )
        if key in seen:
            continue
        seen.add(key)
        kept.append(finding)
    return kept


def _fingerprint(findings: list[Finding]) -> list[Finding]:
    counts: dict[str, int] = {}
    result = []
    for finding in findings:
        base = _fingerprint_base(finding)
        occurrence = counts.get(base, 0)
        counts[base] = occurrence + 1
        digest = hashlib.sha256(f"{base}\x1f{occurrence}".encode()).hexdigest()[:16]
        result.append(replace(finding, fingerprint=digest))
    return result


def _fingerprint_base(finding: Finding) -> str:
    """Identity of a finding without its line: moving a template line keeps it."""
    evidence = re.sub(r"\s+", " ", finding.evidence).strip().lower()
    parts = (
        finding.rule,
        finding.campaign,
        finding.channel,
        finding.profile,
        finding.file,
        evidence,
    )
    return "\x1f".join(str(p) for p in parts)


def _apply_waivers(finding: Finding, campaign: Campaign | None) -> Finding:
    if campaign is None:
        return finding
    # A waiver must hold both when the check runs and when the campaign is sent.
    today = max(date.today(), campaign.send_at.date())
    ids = (finding.rule, finding.code)
    for waiver in campaign.waivers:
        if waiver.covers(ids, finding.profile, finding.channel) and not waiver.is_expired(today):
            return replace(finding, waiver=waiver)
    return finding
