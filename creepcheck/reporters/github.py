"""GitHub Actions workflow commands: one annotation per counting finding, then a summary.

    ::error file=campaign.yaml,line=13,title=CC101 unconsented-channel::sms consent ...

Escaping follows the Actions toolkit: `%`, CR and LF in the message; additionally `:`
and `,` in property values, which would otherwise end the value.
"""

from __future__ import annotations

from pathlib import Path

from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, Severity
from creepcheck.reporters.base import Reporter, shown_result, skipped_summary, sorted_findings
from creepcheck.reporters.common import (
    context_label,
    plural,
    relative_posix,
    severity_phrase,
    strip_control,
)

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return strip_control(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value not in (None, "")
    )
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


class GithubReporter(Reporter):
    name = "github"
    suffix = ".txt"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        findings = sorted_findings(result.findings)
        counted = [f for f in findings if f.counts]
        lines = [_annotation(f, result.root) for f in counted]
        lines += [
            workflow_command(
                "error",
                problem.message,
                file=problem.file or None,
                line=problem.line,
                title="creepcheck input problem",
            )
            for problem in result.problems
        ]
        lines.append(self._summary(result, counted, len(findings) - len(counted)))
        return "\n".join(lines) + "\n"

    def _summary(self, result: RunResult, counted: list[Finding], waived: int) -> str:
        counts = {s: sum(1 for f in counted if f.severity is s) for s in Severity}
        detail = severity_phrase(counts)
        stats = result.stats
        line = (
            f"creepcheck: {plural(len(counted), 'finding')}"
            f"{f' ({detail})' if detail else ''}"
            f"{f', {waived} waived or suppressed' if waived else ''} in "
            f"{plural(stats.campaigns, 'campaign')}, {plural(stats.messages, 'message')}, "
            f"{stats.profiles_checked} profiles checked"
        )
        if result.problems:
            line += f", {plural(len(result.problems), 'input problem')}"
        skipped = skipped_summary(stats)
        if skipped:
            line += f"; {skipped}"
        threshold = self.options.fail_on
        if threshold is not None:
            failing = sum(1 for f in counted if f.severity >= threshold)
            line += f"; {failing} at or above {threshold}"
        return line


def _annotation(finding: Finding, root: Path) -> str:
    message = finding.message.strip()
    context = context_label(finding)
    if context:
        message += f" ({context})"
    if finding.fix:
        message += f"\nFix: {finding.fix.strip()}"
    return workflow_command(
        COMMANDS[finding.severity],
        message,
        file=relative_posix(finding.file, root) if finding.file else None,
        line=max(finding.line or 1, 1) if finding.file else None,
        col=finding.column if finding.file and finding.column else None,
        title=f"{finding.code} {finding.rule}",
    )
