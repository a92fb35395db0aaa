"""What every reporter shares: options and the summary counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import ClassVar, TextIO

from creepcheck.findings.result import RunResult, RunStats
from creepcheck.models import Finding, MessageRecord, Severity
from creepcheck.privacy.outbound import outbound, visible


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
    memo: dict[tuple[str, str], str] = {}
    return replace(
        result,
        findings=[shown_finding(f, options.show_pii, memo) for f in result.findings],
        problems=[p.for_output(options.show_pii) for p in result.problems],
    )


MEMO_LIMIT = 200_000


def shown_finding(
    finding: Finding, show_pii: bool, memo: dict[tuple[str, str], str] | None = None
) -> Finding:
    """`memo` keeps each distinct text's shown form: a full audience's findings repeat
    the same few messages, fixes and evidence thousands of times."""
    memo = {} if memo is None else memo
    if len(memo) > MEMO_LIMIT:  # profile ids are each new: keep the memo bounded
        memo.clear()

    def shown(kind: str, text: str) -> str:
        key = (kind, text)
        if key not in memo:
            if kind == "evidence":
                memo[key] = outbound(text, show_pii=show_pii, from_input=True)
            elif kind == "own":
                memo[key] = visible(text)
            else:
                memo[key] = outbound(text, show_pii=show_pii)
        return memo[key]

    message = shown("message", finding.message)
    # Evidence about a profile is its rendered copy; about none, the campaign's own text
    # (a template line, a waiver's approver), masked by the engine where needed.
    evidence = shown("evidence" if finding.profile is not None else "own", finding.evidence)
    fix = shown("message", finding.fix)
    ids = tuple(
        None if value is None else shown("own", value)
        for value in (finding.campaign, finding.channel, finding.profile, finding.file)
    )
    suppressed = None if finding.suppressed is None else shown("evidence", finding.suppressed)
    before = (finding.message, finding.evidence, finding.fix, finding.campaign,
              finding.channel, finding.profile, finding.file, finding.suppressed)  # fmt: skip
    after = (message, evidence, fix, *ids, suppressed)
    if after == before:
        return finding
    campaign, channel, profile, file = ids
    return replace(
        finding,
        message=message,
        evidence=evidence,
        fix=fix,
        campaign=campaign,
        channel=channel,
        profile=profile,
        file=file,
        suppressed=suppressed,
    )


def shown_message(message: MessageRecord) -> MessageRecord:
    """A rendered message's ids as they may be printed."""
    campaign, profile = visible(message.campaign), visible(message.profile)
    if campaign is message.campaign and profile is message.profile:
        return message
    return message._replace(campaign=campaign, profile=profile)
