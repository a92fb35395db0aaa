"""A Markdown compliance report: summary, counts by rule and campaign, every finding with
its masked evidence and fix, the run's waivers, and the findings they waived.
"""

from __future__ import annotations

import re

from creepcheck.findings.result import RunResult
from creepcheck.models import Severity
from creepcheck.reporters.base import Reporter, shown_result, skipped_summary
from creepcheck.reporters.common import (
    INPUT_COLUMNS,
    SEVERITIES,
    WAIVER_COLUMNS,
    FindingGroup,
    ReportData,
    audit_rows,
    build_report,
    location_label,
    pii_note,
    scope_label,
    severity_phrase,
    strip_control,
    waiver_note,
)

TITLE = "creepcheck compliance report"
# `_` inside a word never starts emphasis, so `data_broker` stays as it is.
_SPECIAL = re.compile(r"([\\`*\[\]<>|#]|(?<!\w)_|_(?!\w))")


def md(text: str) -> str:
    """Inline text with Markdown and HTML syntax escaped, on one line."""
    flat = " ".join(strip_control(text).split())
    flat = re.sub(r"&(?=#?\w+;)", "&amp;", flat)
    return _SPECIAL.sub(r"\\\1", flat)


def code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    flat = " ".join(strip_control(text).split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fenced(text: str) -> list[str]:
    body = strip_control(text).rstrip()
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
    return [f"{fence}text", body, fence]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


class MarkdownReporter(Reporter):
    name = "markdown"
    suffix = ".md"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        data = build_report(result, self.options)
        lines = [f"# {TITLE}", ""]
        for section in (
            _summary,
            _by_rule,
            _by_campaign,
            _findings,
            _waivers,
            _waived,
            _problems,
            _messages,
            _audit,
        ):
            part = section(data)
            if part:
                lines += [*part, ""]
        return "\n".join(lines).rstrip() + "\n"


def _counts_cells(counts: dict[Severity, int]) -> list[str]:
    return [str(counts.get(severity, 0)) for severity in SEVERITIES]


def _summary(data: ReportData) -> list[str]:
    stats = data.stats
    detail = severity_phrase(data.counts)
    profiles = (
        f"{stats.profiles_checked} ({stats.profiles_read} read, {stats.profiles_rejected} rejected)"
    )
    rows = [
        ["Campaigns", str(stats.campaigns)],
        ["Messages rendered", str(stats.messages)],
        ["Profiles checked", profiles],
        ["Findings", f"{len(data.counted)}{f' ({detail})' if detail else ''}"],
        ["Waived or suppressed", str(len(data.waived))],
        ["Waivers", str(len(data.waivers))],
        ["Personal data", pii_note(data.show_pii)],
    ]
    if data.fail_on is not None:
        verdict = "fail" if data.failing else "pass"
        rows.append(
            [
                f"Gate (fail on {data.fail_on})",
                f"**{verdict}** ({data.failing} at or above {data.fail_on})",
            ]
        )
    if data.problems:
        rows.append(["Input problems", str(len(data.problems))])
    skipped = skipped_summary(stats)
    if skipped:
        rows.append(["Checks not run", md(skipped.split(": ", 1)[1])])
    return ["## Summary", "", *table(["", ""], rows)]


def _by_rule(data: ReportData) -> list[str]:
    if not data.rules:
        return ["## Findings by rule", "", "No findings."]
    rows = [
        [
            row.code,
            md(row.rule),
            md(row.summary),
            *_counts_cells(row.counts),
            str(row.total),
            str(row.waived),
        ]
        for row in data.rules
    ]
    return [
        "## Findings by rule",
        "",
        *table(["Code", "Rule", "Summary", "Error", "Warning", "Info", "Total", "Waived"], rows),
    ]


def _by_campaign(data: ReportData) -> list[str]:
    if not data.campaigns:
        return []
    rows = [
        [
            md(row.campaign),
            str(row.messages),
            str(row.profiles),
            str(row.max_specificity),
            *_counts_cells(row.counts),
            str(row.waived),
        ]
        for row in data.campaigns
    ]
    return [
        "## Findings by campaign",
        "",
        *table(
            [
                "Campaign",
                "Messages",
                "Profiles",
                "Max specificity",
                "Error",
                "Warning",
                "Info",
                "Waived",
            ],
            rows,
        ),
    ]


def _findings(data: ReportData) -> list[str]:
    lines = ["## Findings"]
    if not data.counted:
        return [*lines, "", "No findings."]
    lines += [
        "",
        "Identical findings (same rule, campaign, channel, line and message) are listed "
        "once, with the number of profiles and their ids.",
    ]
    number = 0
    for campaign, groups in data.by_campaign:
        lines += ["", f"### {md(campaign)}", ""]
        lines += table(
            ["#", "Severity", "Rule", "Channel", "Profiles", "Location"],
            [
                [
                    str(number + i),
                    str(g.finding.severity),
                    f"{g.finding.code} {md(g.finding.rule)}",
                    md(g.finding.channel or "—"),
                    _profiles_cell(g),
                    code(location_label(g.finding)).replace("|", "\\|"),
                ]
                for i, g in enumerate(groups, start=1)
            ],
        )
        for group in groups:
            number += 1
            lines += ["", *_finding(number, group)]
    return lines


def _profiles_cell(group: FindingGroup) -> str:
    if not group.profiles:
        return "—"
    if group.count == 1:
        return md(group.profiles[0])
    return str(group.count)


def _finding(number: int, group: FindingGroup) -> list[str]:
    finding = group.finding
    where = " / ".join(part for part in (finding.campaign, finding.channel) if part)
    lines = [
        f"#### {number}. {finding.code} {md(finding.rule)} ({finding.severity})",
        "",
        md(finding.message),
        "",
        f"- Location: {code(location_label(finding))}",
        f"- Campaign / channel: {md(where or '—')}",
    ]
    if group.profiles:
        label = "Profile" if group.count == 1 else f"Profiles ({group.count:,})"
        lines.append(f"- {label}: {md(group.shown_profiles)}")
    if finding.fields:
        lines.append(f"- Fields: {', '.join(code(name) for name in finding.fields)}")
    if finding.fix:
        lines.append(f"- Suggested fix: {md(finding.fix)}")
    note = waiver_note(finding)
    if note:
        lines.append(f"- {md(note[:1].upper() + note[1:])}")
    if group.count == 1:
        lines.append(f"- Fingerprint: {code(finding.fingerprint or '—')}")
    if finding.evidence:
        whose = f" (profile {md(group.profiles[0])})" if group.count > 1 else ""
        lines += ["", f"Evidence{whose}:", "", *fenced(finding.evidence)]
    if group.example is not None:
        profile, text = group.example
        lines += ["", f"Rendered message for {md(profile)}:", "", *fenced(text)]
    return lines


def _waivers(data: ReportData) -> list[str]:
    lines = ["## Waivers", ""]
    if not data.waivers:
        return [*lines, "No waivers."]
    rows = [
        [
            md(row.campaign),
            md(row.waiver.rule),
            md(scope_label(row.waiver.profiles, "all")),
            md(scope_label(row.waiver.channels, "all")),
            md(row.waiver.reason),
            md(row.waiver.approved_by),
            row.waiver.expires.isoformat() if row.waiver.expires else "never",
            f"**{row.status}**" if row.status == "expired" else row.status,
            str(row.covered),
        ]
        for row in data.waivers
    ]
    return [
        *lines,
        *table(
            list(WAIVER_COLUMNS),
            rows,
        ),
    ]


def _waived(data: ReportData) -> list[str]:
    if not data.waived:
        return []
    lines = [
        "## Waived and suppressed findings",
        "",
        "These do not count towards the gate; each is listed with what excused it.",
    ]
    for number, group in enumerate(data.waived_groups, start=1):
        lines += ["", *_finding(number, group)]
    return lines


def _problems(data: ReportData) -> list[str]:
    if not data.problems:
        return []
    return [
        "## Input problems",
        "",
        *[
            f"- {code(p.file + (f':{p.line}' if p.line else ''))}: {md(p.message)}"
            for p in data.problems
        ],
    ]


def _messages(data: ReportData) -> list[str]:
    if not data.message_groups:
        return []
    rows = [
        [
            md(g.campaign),
            md(g.channel),
            str(g.specificity),
            str(len(g.profiles)),
            md(g.shown_profiles),
        ]
        for g in data.message_groups
    ]
    return [
        "## Messages",
        "",
        "Every rendered message by its specificity (concrete facts about the recipient "
        "it recalls), with the profiles it was rendered for.",
        "",
        *table(["Campaign", "Channel", "Specificity", "Messages", "Profiles"], rows),
    ]


def _audit(data: ReportData) -> list[str]:
    audit = data.audit
    if audit is None:
        return []
    rows = [
        [md(label), code(value) if "SHA" in label or "commit" in label else md(value)]
        for label, value in audit_rows(audit)
    ]
    inputs = [[md(item.kind), code(item.path), code(item.sha256 or "—")] for item in audit.inputs]
    lines = ["## Audit", "", *table(["", ""], rows)]
    if inputs:
        lines += ["", "Inputs checked:", "", *table(list(INPUT_COLUMNS), inputs)]
    return lines
