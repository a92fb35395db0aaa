"""Turning raw rule output into the findings a run reports.

Message-level rules fire once per campaign message however many profiles hit them;
inline suppressions in templates mark the findings they cover; every finding gets a
fingerprint that survives moved lines, reordered profiles and `--show-pii`; a waiver in
the campaign file marks the findings it covers, and an expired one is reported itself.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from creepcheck.errors import Problem, UserError
from creepcheck.findings.suppressions import apply_suppressions
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, Finding, Profile, Severity, Waiver
from creepcheck.privacy.outbound import outbound

ACTIVE = "active"
EXPIRED = "expired"


def finalize(
    findings: Iterable[Finding],
    campaigns: Iterable[Campaign],
    *,
    enabled: Collection[str] | None = None,
    today: date | None = None,
    repository: Callable[[Path], Path] | None = None,
) -> list[Finding]:
    """Dedupe, apply inline suppressions, fingerprint, apply waivers.

    Findings about a profile arrive deduplicated and fingerprinted (`settle_profile`).
    `enabled` names the rules of the run (slugs): reports about suppressions and waivers
    of rules that are off are left out. `today` is for tests. `repository` gives the
    repository root of a campaign folder (ProjectConfig.repository_root): suppression
    comments are only read from templates the confinement rule lets the renderer read.
    """
    campaigns = list(campaigns)
    by_id = {c.id: c for c in campaigns}
    unique = _dedupe(findings, about_profiles=False)
    unique = apply_suppressions(unique, campaigns, enabled, repository)
    fingerprinted = fingerprint(unique, by_id)
    _check_waiver_rules(campaigns)
    waived = [_apply_waivers(f, by_id.get(f.campaign or ""), today) for f in fingerprinted]
    expired = [
        _expired_finding(campaign, waiver)
        for campaign in campaigns
        for waiver in campaign.waivers
        if waiver_status(waiver, campaign, today) == EXPIRED
        and (enabled is None or waiver_rule(waiver) in enabled)
    ]
    return waived + fingerprint(expired, by_id)


def group_key(finding: Finding) -> tuple[object, ...]:
    """What identical findings about different profiles share (reports list them once,
    with a count and the profile ids)."""
    return (
        finding.rule,
        finding.campaign,
        finding.channel,
        finding.file,
        finding.line,
        finding.message,
    )


def settle_audience(
    findings: list[Finding],
    campaigns: Iterable[Campaign],
    *,
    enabled: Collection[str] | None = None,
    today: date | None = None,
    repository: Callable[[Path], Path] | None = None,
) -> list[Finding]:
    """What `finalize` does to findings about profiles, for one part of an audience
    checked apart from the rest (Spark executors): inline suppressions and waivers.
    The warnings about suppressions without a reason come after the findings, and
    may repeat across parts; `finalize` on the whole run makes each once."""
    campaigns = list(campaigns)
    by_id = {c.id: c for c in campaigns}
    suppressed = apply_suppressions(findings, campaigns, enabled, repository)
    return [_apply_waivers(f, by_id.get(f.campaign or ""), today) for f in suppressed]


def settle_profile(findings: list[Finding], campaign: Campaign) -> list[Finding]:
    """One profile's findings in a campaign, as kept: repeats dropped, and those about
    the profile fingerprinted. Their fingerprints can only collide with each other's,
    so they are numbered here, while the profile is at hand, rather than with a full
    audience's findings at the end (see `fingerprint`)."""
    if not findings:
        return findings  # most profiles
    kept = _dedupe(findings, about_profiles=True)
    own = [i for i, f in enumerate(kept) if f.profile is not None]
    prints = _numbered([kept[i] for i in own], {campaign.id: campaign})
    for i, value in zip(own, prints, strict=True):
        kept[i] = replace(kept[i], fingerprint=value)
    return kept


def _dedupe(findings: Iterable[Finding], *, about_profiles: bool) -> list[Finding]:
    """Drop exact repeats (message-level findings repeat for every profile); findings
    about a profile are compared only when `about_profiles` (see `settle_profile`)."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Finding] = []
    for finding in findings:
        if finding.profile is not None and not about_profiles:
            kept.append(finding)
            continue
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


# --- fingerprints ------------------------------------------------------------------------
#
# A fingerprint identifies a finding across runs so that a baseline can recognise it. It
# hashes the rule, campaign, channel, profile, the file relative to the campaign folder
# (not the working folder), and the content: the masked evidence for a profile's finding,
# the message for one that is not about a profile (once-per-message and template findings
# keep the evidence of whichever profile hit them first, which changes when profiles are
# reordered). Line and column are left out so that moving a template line keeps it; an
# occurrence number tells apart findings that agree on everything else.


def stamp(findings: list[Finding], profile: Profile) -> list[Finding]:
    """Record each finding's content key while its profile is at hand.

    The engine calls this when findings are not masked (`--show-pii`), so that the key
    is the masked text either way and a baseline written with `--show-pii` still applies
    without it. The key rides in `fingerprint` until it is replaced by the fingerprint.
    """
    keyed = []
    for finding in findings:
        evidence, message, _ = masked_texts(finding, profile)
        keyed.append(replace(finding, fingerprint=_content_key(evidence, message, finding.profile)))
    return keyed


def masked_texts(finding: Finding, profile: Profile | None) -> tuple[str, str, str]:
    """The finding's evidence, message and fix through the outbound boundary: with
    `profile`'s personal data masked, or, without a profile, shown in full."""
    show_pii = profile is None
    return (
        outbound(finding.evidence, profile=profile, show_pii=show_pii, from_input=True),
        outbound(finding.message, profile=profile, show_pii=show_pii),
        outbound(finding.fix, profile=profile, show_pii=show_pii),
    )


def fingerprint(findings: list[Finding], campaigns: dict[str, Campaign]) -> list[Finding]:
    """The findings with fingerprints; those about a profile already have theirs."""
    pending = [i for i, f in enumerate(findings) if f.profile is None]
    prints = _numbered([findings[i] for i in pending], campaigns)
    result = list(findings)
    for i, value in zip(pending, prints, strict=True):
        result[i] = replace(findings[i], fingerprint=value)
    return result


def _numbered(findings: list[Finding], campaigns: dict[str, Campaign]) -> list[str]:
    """Fingerprints: a digest of each finding's base and its occurrence number. The
    lists are short: one profile's findings, or the run's findings about no profile."""
    bases = [_fingerprint_base(f, campaigns.get(f.campaign or "")) for f in findings]
    # Number repeats in line order, so the numbering does not depend on profile order.
    order = sorted(
        range(len(findings)),
        key=lambda i: (bases[i], findings[i].line or 0, findings[i].column or 0),
    )
    prints = [""] * len(findings)
    occurrence, previous = 0, None
    for i in order:  # a base's findings are adjacent in `order`
        occurrence = occurrence + 1 if bases[i] == previous else 0
        previous = bases[i]
        prints[i] = hashlib.sha256(f"{bases[i]}\x1f{occurrence}".encode()).hexdigest()[:16]
    return prints


def _fingerprint_base(finding: Finding, campaign: Campaign | None) -> str:
    content = finding.fingerprint or _content_key(
        finding.evidence, finding.message, finding.profile
    )
    parts = (
        finding.rule,
        finding.campaign,
        finding.channel,
        finding.profile,
        _campaign_relative(finding.file, campaign),
        content,
    )
    return "\x1f".join(str(p) for p in parts)


def _content_key(evidence: str, message: str, profile: str | None) -> str:
    text = evidence if profile is not None else message
    return re.sub(r"\s+", " ", text).strip().lower()


def _campaign_relative(file: str | None, campaign: Campaign | None) -> str | None:
    if file is None or campaign is None:
        return file
    return _relative(file, str(campaign.root), os.getcwd())


@lru_cache(maxsize=1024)
def _relative(file: str, root: str, _cwd: str) -> str:
    """`file` relative to `root` (both resolved from the working folder `_cwd`)."""
    try:
        relative = os.path.relpath(Path(file).resolve(), Path(root).resolve())
    except ValueError:  # another drive on Windows
        return Path(file).as_posix()
    return Path(relative).as_posix()


# --- waivers -----------------------------------------------------------------------------


def waiver_reference_date(campaign: Campaign, today: date | None = None) -> date:
    """A waiver must hold both when the check runs and when the campaign is sent."""
    return max(today or date.today(), campaign.send_at.date())


def waiver_status(waiver: Waiver, campaign: Campaign, today: date | None = None) -> str:
    """`active` or `expired` (expired on the run date or by the campaign's send date)."""
    return EXPIRED if waiver.is_expired(waiver_reference_date(campaign, today)) else ACTIVE


def waiver_rule(waiver: Waiver) -> str:
    """The slug of the rule a waiver names (by slug or code, any case)."""
    from creepcheck.rules.registry import by_id

    rule = by_id(waiver.rule)
    return rule.name if rule is not None else waiver.rule


def waiver_covers(waiver: Waiver, finding: Finding) -> bool:
    if waiver_rule(waiver) != finding.rule:
        return False
    if waiver.profiles is not None and finding.profile not in waiver.profiles:
        return False
    return waiver.channels is None or finding.channel in waiver.channels


class WaiverEntry(tuple):  # type: ignore[type-arg]
    """An entry of `RunResult.waivers`: still the pair (campaign id, waiver) it always was,
    plus `status` (`active` or `expired`, judged as the engine judged it, on the later of
    the run date and the send date) and `applied` (how many findings it waived)."""

    status: str
    applied: int

    def __new__(cls, campaign: str, waiver: Waiver, status: str, applied: int) -> WaiverEntry:
        entry = super().__new__(cls, (campaign, waiver))
        entry.status = status
        entry.applied = applied
        return entry

    @property
    def campaign(self) -> str:
        return str(self[0])

    @property
    def waiver(self) -> Waiver:
        return self[1]  # type: ignore[no-any-return]


def waiver_entries(
    findings: list[Finding], campaigns: Iterable[Campaign], today: date | None = None
) -> list[WaiverEntry]:
    """Every campaign's waivers with their status, for `RunResult.waivers` and reports."""
    entries = []
    for campaign in campaigns:
        for waiver in campaign.waivers:
            applied = sum(1 for f in findings if f.campaign == campaign.id and f.waiver is waiver)
            entries.append(
                WaiverEntry(campaign.id, waiver, waiver_status(waiver, campaign, today), applied)
            )
    return entries


def _check_waiver_rules(campaigns: list[Campaign]) -> None:
    from creepcheck.rules.registry import by_id, suggest

    problems = []
    for campaign in campaigns:
        for waiver in campaign.waivers:
            if by_id(waiver.rule) is None:
                hint = suggest(waiver.rule)
                tip = f' (did you mean "{hint}"?)' if hint else ""
                problems.append(
                    Problem(
                        display_path(campaign.path),
                        f'waivers: unknown rule "{waiver.rule}"{tip}; see `creepcheck rules`',
                        waiver.line,
                    )
                )
    if problems:
        raise UserError(problems)


def _apply_waivers(finding: Finding, campaign: Campaign | None, today: date | None) -> Finding:
    if campaign is None:
        return finding
    for waiver in campaign.waivers:
        if waiver_covers(waiver, finding) and waiver_status(waiver, campaign, today) == ACTIVE:
            return replace(finding, waiver=waiver)
    return finding


def _expired_finding(campaign: Campaign, waiver: Waiver) -> Finding:
    from creepcheck.rules.registry import by_id

    rule = by_id(waiver.rule)
    slug, code = (rule.name, rule.code) if rule is not None else (waiver.rule, "")
    channels = waiver.channels or ()
    return Finding(
        rule=slug,
        code=code,
        severity=Severity.WARNING,
        message=f"waiver for {slug} expired on {waiver.expires}; the findings it covered "
        "count again",
        campaign=campaign.id,
        channel=channels[0] if len(channels) == 1 else None,
        file=display_path(campaign.path),
        line=waiver.line,
        evidence=f"reason: {waiver.reason}; approved by {waiver.approved_by}",
        fix="Review the findings again: renew the waiver with a new `expires` date if the "
        "exception still holds, or fix them and remove the waiver.",
    )
