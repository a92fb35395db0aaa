"""What the CI and compliance reporters share: labels, rule docs as Markdown, report data.

`build_report` gathers everything the Markdown and HTML reports show, so both formats
carry the same content and differ only in markup. Nothing here reads profiles: every
string comes from findings and waivers, whose personal data the engine has masked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from creepcheck.errors import Problem
from creepcheck.findings.audit import Audit
from creepcheck.findings.result import RunResult, RunStats
from creepcheck.findings.settle import group_key
from creepcheck.models import Finding, MessageRecord, Severity, Waiver
from creepcheck.privacy.outbound import outbound, visible
from creepcheck.reporters.base import ReportOptions, shown_message, sorted_findings
from creepcheck.rules.base import Rule, rule_doc
from creepcheck.rules.registry import RULES

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}
DOC_SECTIONS = ("What it flags", "Why it is creepy", "Bad", "Better", "Options")


def context_label(finding: Finding, separator: str = "/") -> str:
    """`campaign/channel/profile`, leaving out the parts a finding does not have."""
    parts = (finding.campaign, finding.channel, finding.profile)
    return separator.join(part for part in parts if part)


def location_label(finding: Finding) -> str:
    if not finding.file:
        return "(no file)"
    where = f"{finding.file}:{finding.line or 1}"
    return f"{where}:{finding.column}" if finding.column else where


def message_with_fix(finding: Finding, context: str = "") -> str:
    """The finding's message, then `(context)` when given, then `Fix: ...`."""
    text = finding.message.strip()
    if context:
        text += f" ({context})"
    if finding.fix:
        if text and not text.endswith((".", "!", "?")):
            text += "."
        text += f" Fix: {finding.fix.strip()}"
    return text


def waiver_note(finding: Finding) -> str:
    """Why a finding does not count: its waiver or inline suppression."""
    if finding.waiver is not None:
        waiver = finding.waiver
        expires = f", expires {waiver.expires.isoformat()}" if waiver.expires else ""
        return visible(f"waived: {waiver.reason} (approved by {waiver.approved_by}{expires})")
    if finding.suppressed is not None:
        return f"suppressed in source: {finding.suppressed}"
    return ""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def severity_phrase(counts: dict[Severity, int]) -> str:
    """`3 errors, 1 warning, 1 info` for the severities that occur."""
    parts = []
    for severity in SEVERITIES:
        if counts.get(severity):
            name = str(severity)
            parts.append(
                f"{counts[severity]} {name}"
                if severity is Severity.INFO
                else plural(counts[severity], name)
            )
    return ", ".join(parts)


def rule_markdown(rule: type[Rule]) -> str:
    """A rule's documentation page with its sections as Markdown headings."""
    lines = []
    for line in rule_doc(rule).splitlines():
        heading = line.rstrip(":")
        if heading in DOC_SECTIONS and line.endswith(":") and not line.startswith(" "):
            lines.append(f"**{heading}**")
            lines.append("")
        else:
            lines.append(line[4:] if line.startswith("    ") else line)
    return "\n".join(lines).strip() + "\n"


# --- report data ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    code: str
    rule: str
    summary: str
    counts: dict[Severity, int]  # counting findings only
    waived: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class CampaignRow:
    campaign: str
    messages: int
    profiles: int
    max_specificity: int
    counts: dict[Severity, int]
    waived: int


@dataclass(frozen=True)
class WaiverRow:
    campaign: str
    waiver: Waiver
    status: str  # active | expired
    covered: int  # findings this waiver marked as waived


PROFILES_SHOWN = 20  # profile ids listed for a group of findings before "and N more"


def shown_ids(profiles: list[str]) -> str:
    """`a, b, c and 4,997 more`."""
    head = ", ".join(profiles[:PROFILES_SHOWN])
    rest = len(profiles) - PROFILES_SHOWN
    return f"{head} and {rest:,} more" if rest > 0 else head


@dataclass(frozen=True)
class FindingGroup:
    """Identical findings (findings.settle.group_key) about one or many profiles, listed once."""

    finding: Finding  # the first, by profile id: its evidence and fingerprint stand for all
    profiles: list[str]  # the ids, in order; empty for a finding about no profile
    count: int
    example: tuple[str, str] | None = None  # (profile id, its rendered message, masked)

    @property
    def shown_profiles(self) -> str:
        return shown_ids(self.profiles)


@dataclass(frozen=True)
class MessageGroup:
    """The rendered messages of one campaign and channel with one specificity."""

    campaign: str
    channel: str
    specificity: int
    profiles: list[str]

    @property
    def shown_profiles(self) -> str:
        return shown_ids(self.profiles)


@dataclass(frozen=True)
class ReportData:
    stats: RunStats
    counted: list[Finding]
    waived: list[Finding]
    by_campaign: list[tuple[str, list[FindingGroup]]]  # counting findings, grouped
    waived_groups: list[FindingGroup]
    rules: list[RuleRow]
    campaigns: list[CampaignRow]
    waivers: list[WaiverRow]
    messages: list[MessageRecord]  # empty unless the options include them
    message_groups: list[MessageGroup]  # the messages, by campaign, channel, specificity
    problems: list[Problem]
    fail_on: Severity | None
    failing: int  # counting findings at or above fail_on
    show_pii: bool
    audit: Audit | None = None

    @property
    def counts(self) -> dict[Severity, int]:
        return dict(Counter(f.severity for f in self.counted))


def build_report(
    result: RunResult, options: ReportOptions, today: date | None = None
) -> ReportData:
    findings = sorted_findings(result.findings)
    counted = [f for f in findings if f.counts]
    waived = [f for f in findings if not f.counts]
    examples = _shown_examples(result, options.show_pii)
    grouped: dict[str, list[FindingGroup]] = defaultdict(list)
    for group in finding_groups(counted, examples):
        grouped[group.finding.campaign or "(no campaign)"].append(group)
    threshold = options.fail_on
    messages = [shown_message(m) for m in result.messages]
    listed = messages if options.include_messages else []
    return ReportData(
        stats=result.stats,
        counted=counted,
        waived=waived,
        by_campaign=sorted(grouped.items()),
        waived_groups=finding_groups(waived, examples),
        rules=_rule_rows(findings),
        campaigns=_campaign_rows(findings, messages),
        waivers=_waiver_rows(result, today or date.today()),
        messages=_sorted_messages(listed),
        message_groups=_message_groups(listed),
        problems=list(result.problems),
        fail_on=threshold,
        failing=0 if threshold is None else sum(1 for f in counted if f.severity >= threshold),
        show_pii=options.show_pii,
        audit=result.audit,
    )


Examples = dict[tuple[str, str, str], str]


def _shown_examples(result: RunResult, show_pii: bool) -> Examples:
    """The run's example messages as a report may print them (through the outbound
    boundary again: a run kept with --show-pii is masked in a report without it)."""
    return {
        (visible(campaign), visible(channel), visible(profile)): outbound(
            text, show_pii=show_pii, from_input=True, keep_layout=True
        )
        for (campaign, channel, profile), text in result.examples.items()
    }


def finding_groups(findings: list[Finding], examples: Examples | None = None) -> list[FindingGroup]:
    """Identical findings together, in the order of their first (sorted) finding; the
    example is the rendered message of the first profile of the group that has one."""
    members: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        members.setdefault((*group_key(finding), finding.waiver, finding.suppressed), []).append(
            finding
        )
    groups = []
    for same in members.values():
        profiles = [f.profile for f in same if f.profile]
        example = None
        first = same[0]
        if examples and first.channel:
            for profile in profiles:
                text = examples.get((first.campaign or "", first.channel, profile))
                if text is not None:
                    example = (profile, text)
                    break
        groups.append(FindingGroup(first, profiles, len(same), example))
    return groups


def _message_groups(messages: Sequence[MessageRecord]) -> list[MessageGroup]:
    grouped: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for message in messages:
        grouped[(message.campaign, message.channel, message.specificity)].append(message.profile)
    return [
        MessageGroup(campaign, channel, specificity, sorted(profiles))
        for (campaign, channel, specificity), profiles in sorted(grouped.items())
    ]


def _rule_rows(findings: list[Finding]) -> list[RuleRow]:
    by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[(finding.code, finding.rule)].append(finding)
    rows = []
    for (code, name), group in sorted(by_rule.items()):
        rule = RULES_BY_CODE.get(code)
        rows.append(
            RuleRow(
                code=code,
                rule=name,
                summary=rule.summary if rule is not None else "",
                counts=dict(Counter(f.severity for f in group if f.counts)),
                waived=sum(1 for f in group if not f.counts),
            )
        )
    return rows


def _campaign_rows(
    findings: list[Finding], messages: Sequence[MessageRecord]
) -> list[CampaignRow]:
    messages_of: dict[str, list[MessageRecord]] = defaultdict(list)
    for message in messages:
        messages_of[message.campaign].append(message)
    findings_of: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        findings_of[finding.campaign or "(no campaign)"].append(finding)
    rows = []
    for name in sorted(set(messages_of) | set(findings_of)):
        own_messages = messages_of.get(name, [])
        own_findings = findings_of.get(name, [])
        profiles = {m.profile for m in own_messages} | {
            f.profile for f in own_findings if f.profile
        }
        rows.append(
            CampaignRow(
                campaign=name,
                messages=len(own_messages),
                profiles=len(profiles),
                max_specificity=max((m.specificity for m in own_messages), default=0),
                counts=dict(Counter(f.severity for f in own_findings if f.counts)),
                waived=sum(1 for f in own_findings if not f.counts),
            )
        )
    return rows


def _waiver_rows(result: RunResult, today: date) -> list[WaiverRow]:
    rows = []
    by_campaign: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_campaign[finding.campaign].append(finding)
    for campaign, waiver in sorted(result.waivers, key=lambda pair: pair[0]):
        own = by_campaign.get(campaign, [])
        covered = sum(1 for f in own if f.waiver == waiver)
        # The engine judges expiry on the send date too: a waiver that matches a finding
        # it did not waive had lapsed by then.
        lapsed = any(
            f.waiver is None
            and f.suppressed is None
            and waiver.covers((f.rule, f.code), f.profile, f.channel)
            for f in own
        )
        status = "expired" if waiver.is_expired(today) or (lapsed and not covered) else "active"
        rows.append(WaiverRow(campaign, waiver, status, covered))
    return rows


def _sorted_messages(messages: Sequence[MessageRecord]) -> list[MessageRecord]:
    return sorted(messages, key=lambda m: (m.campaign, m.profile, m.channel))


def pii_note(show_pii: bool) -> str:
    return (
        "shown in full (--show-pii)"
        if show_pii
        else "masked (names, emails, phone numbers, addresses, handles, birth dates, "
        "relatives' names, card, account and document numbers)"
    )


def relative_posix(file: str, root: Path) -> str:
    """A finding's file in forward slashes, relative to the working directory or the project
    root when it lies under one of them (the same base the engine's relative paths use)."""
    path = Path(file.replace("\\", "/"))
    if path.is_absolute():
        for base in (Path.cwd(), root):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
    return path.as_posix()


def scope_label(values: tuple[str, ...] | None, every: str) -> str:
    return ", ".join(values) if values is not None else every


def strip_control(text: str) -> str:
    """Control and invisible characters made visible (XML cannot hold most of them and
    terminals act on them); the report's own line breaks and tabs stay."""
    return visible(text, keep_layout=True)


WAIVER_COLUMNS = (
    "Campaign", "Rule", "Profiles", "Channels", "Reason", "Approved by", "Expires", "Status",
    "Findings covered",
)  # fmt: skip


def audit_rows(audit: Audit) -> list[tuple[str, str]]:
    """The run's facts for a reviewer, as label and value (plain text, to be escaped)."""
    return [
        ("Run started (UTC)", audit.started.strftime("%Y-%m-%d %H:%M:%S")),
        ("Run time", f"{audit.seconds:.1f} s"),
        ("creepcheck version", audit.version),
        ("Policy", ", ".join(audit.policy_files) or "builtin:default"),
        ("Effective policy SHA-256", audit.policy_sha256),
        ("Git commit", audit.git_commit or "none (not a git checkout)"),
    ]


INPUT_COLUMNS = ("Kind", "File", "SHA-256")
