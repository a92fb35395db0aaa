"""The terminal listing: findings grouped by campaign, then a summary table.

The only module that imports rich for output formatting.
"""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, Severity
from creepcheck.privacy.outbound import visible
from creepcheck.reporters.base import (
    Reporter,
    severity_counts,
    shown_result,
    skipped_summary,
    sorted_findings,
)
from creepcheck.reporters.common import plural

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextReporter(Reporter):
    name = "text"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=self.options.color,
            no_color=not self.options.color,
            width=120,
            highlight=False,
            soft_wrap=True,
            emoji=False,  # copy is shown as written, and rich's emoji table is not loaded
        )
        findings = sorted_findings(result.findings)
        for campaign, group in groupby(findings, key=lambda f: f.campaign or "(no campaign)"):
            console.print(Text(f"{campaign}", style="bold underline"))
            for same in _merge_profiles(list(group)):
                self._print_finding(console, same[0], [f.profile for f in same if f.profile])
            console.print()
        if self.options.summary:
            self._print_summary(console, result, findings)
        return buffer.getvalue()

    def _print_finding(self, console: Console, finding: Finding, profiles: list[str]) -> None:
        where = f"{finding.file or '?'}:{finding.line or 0}"
        head = Text(f"  {where}: ")
        head.append(f"{finding.code} ", style=STYLES[finding.severity])
        head.append(f"[{finding.severity}] ", style=STYLES[finding.severity])
        head.append(f"{finding.message} ")
        head.append(f"({finding.rule})", style="dim")
        if finding.waiver is not None:
            head.append(f"  waived: {visible(finding.waiver.reason)}", style="green")
        elif finding.suppressed is not None:
            head.append(f"  suppressed: {finding.suppressed}", style="green")
        console.print(head)
        context = " · ".join(x for x in (finding.channel, _profile_list(profiles)) if x)
        if context:
            console.print(Text(f"      {context}", style="dim"))
        if finding.evidence:
            console.print(Text(f"      evidence: {_one_line(finding.evidence)}"))
        if finding.fix:
            console.print(Text(f"      fix: {finding.fix}", style="green"))

    def _print_summary(self, console: Console, result: RunResult, findings: list[Finding]) -> None:
        counted = [f for f in findings if f.counts]
        if counted:
            table = Table(title="Findings by rule", title_justify="left")
            for column in ("code", "rule", "severity", "count"):
                table.add_column(column, justify="right" if column == "count" else "left")
            by_rule = Counter((f.code, f.rule, f.severity) for f in counted)
            for (code, rule, severity), count in sorted(by_rule.items()):
                table.add_row(code, rule, Text(str(severity), style=STYLES[severity]), str(count))
            console.print(table)
        counts = severity_counts(findings)
        detail = ", ".join(
            f"{n} {k}{'s' if n != 1 and k != 'info' else ''}" for k, n in counts.items()
        )
        waived = len(findings) - len(counted)
        stats = result.stats
        line = (
            f"{len(counted)} finding{'s' if len(counted) != 1 else ''}"
            f"{f' ({detail})' if detail else ''}"
            f"{f', {waived} waived or suppressed' if waived else ''} in "
            f"{stats.campaigns} campaign{'s' if stats.campaigns != 1 else ''}, "
            f"{plural(stats.messages, 'message')}, "
            f"{plural(stats.profiles_checked, 'profile')} checked"
        )
        if stats.profiles_rejected:
            line += f", {stats.profiles_rejected} rejected"
        if result.problems:
            line += f"; {plural(len(result.problems), 'input problem')} (see above)"
        console.print(Text(line, style="bold"))
        skipped = skipped_summary(result.stats)
        if skipped:
            console.print(Text(skipped, style="bold yellow"))


def _merge_profiles(findings: list[Finding]) -> list[list[Finding]]:
    """Findings that differ only by profile, together: one entry lists the profiles."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        key = (
            finding.code,
            finding.file,
            finding.line,
            finding.channel,
            finding.message,
            finding.fix,
            finding.waiver,
            finding.suppressed,
        )
        groups.setdefault(key, []).append(finding)
    return list(groups.values())


def _profile_list(profiles: list[str], shown: int = 5) -> str:
    if len(profiles) <= 1:
        return "".join(profiles)
    head = ", ".join(profiles[:shown])
    more = f" and {len(profiles) - shown} more" if len(profiles) > shown else ""
    return f"{len(profiles)} profiles: {head}{more}"


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
