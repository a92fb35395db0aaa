"""What every reporter shares: options and the summary counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar, TextIO

from creepcheck.models import Finding, RunResult, RunStats, Severity


@dataclass(frozen=True)
class ReportOptions:
    show_pii: bool = False
    color: bool = False
    include_messages: bool = True
    fail_on: Severity | None = Severity.ERROR  # None: never fail


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
