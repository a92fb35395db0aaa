"""What every reporter shares: options and the summary counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import ClassVar, TextIO

from creepcheck.models import Finding, MessageRecord, RunResult, RunStats, Severity
from creepcheck.outbound import outbound, visible


@dataclass(frozen=True)
class ReportOptions:
    show_pii: bool = False
    color: bool = False
    include_messages: bool = True
    fail_on: Severity | None = Severity.ERROR  # None: never fail
    summary: bool = True  # False (--quiet): the text listing without its summary
    statistics_format: str = "text"  # --statistics: text or json


class Reporter:
    """Turns a run's result into one output format."""

    name: ClassVar[str]
    suffix: ClassVar[str] = ".txt"

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def render(self, result: RunResult) -> str:
        raise NotImplementedError

    def write(self, result: RunResult, stream: TextIO) -> None:
        """Write the report to `stream`; formats for full audiences stream it in pieces."""
        stream.write(self.render(result))


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(str(f.severity) for f in findings if f.counts)
    return {name: counts[name] for name in ("error", "warning", "info") if counts[name]}


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Grouped by campaign, then by file and line, most severe first within a line."""
    return sorted(
        findings,
        key=lambda f: (
            f.campaign or "",
            f.file or "",
            f.line or 0,
            -int(f.severity),
            f.code,
            f.profile or "",
        ),
    )


def skipped_checks(stats: RunStats) -> list[dict[str, object]]:
    """The checks input problems kept from running: rule, reason, profiles (json)."""
    return [
        {"check": check, "reason": reason, "profiles": profiles}
        for (check, reason), profiles in sorted(stats.skipped.items())
    ]


def skipped_summary(stats: RunStats) -> str:
    """`2 checks not run: quiet-hours for 1 profile (unknown time zone), ...`; empty
    when every check ran."""
    skipped = sorted(stats.skipped.items())
    total = sum(profiles for _, profiles in skipped)
    if not total:
        return ""
    parts = ", ".join(
        f"{check} for {profiles} profile{'s' if profiles != 1 else ''} ({reason})"
        for (check, reason), profiles in skipped
    )
    return f"{total} check{'s' if total != 1 else ''} not run: {parts}"


def shown_result(result: RunResult, options: ReportOptions) -> RunResult:
    """The result as a report may print it: every finding's and problem's text through
    the outbound boundary (masked unless --show-pii, control characters visible)."""
    return replace(
        result,
        findings=[shown_finding(f, options.show_pii) for f in result.findings],
        problems=[p.for_output(options.show_pii) for p in result.problems],
    )


def shown_finding(finding: Finding, show_pii: bool) -> Finding:
    shown = replace(
        finding,
        message=outbound(finding.message, show_pii=show_pii),
        # Evidence about a profile is its rendered copy; about none, the campaign's own
        # text (a template line, a waiver's approver), masked by the engine where needed.
        evidence=outbound(finding.evidence, show_pii=show_pii, from_input=True)
        if finding.profile is not None
        else visible(finding.evidence),
        fix=outbound(finding.fix, show_pii=show_pii),
        campaign=_visible(finding.campaign),
        channel=_visible(finding.channel),
        profile=_visible(finding.profile),
        file=_visible(finding.file),
        suppressed=None
        if finding.suppressed is None
        else outbound(finding.suppressed, show_pii=show_pii, from_input=True),
    )
    return finding if shown == finding else shown


def _visible(text: str | None) -> str | None:
    return None if text is None else visible(text)


def shown_message(message: MessageRecord) -> MessageRecord:
    """A rendered message's ids as they may be printed."""
    campaign, profile = visible(message.campaign), visible(message.profile)
    if campaign is message.campaign and profile is message.profile:
        return message
    return message._replace(campaign=campaign, profile=profile)
