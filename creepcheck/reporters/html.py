"""A self-contained HTML compliance report: the Markdown report's content in one file.

Inline CSS only: no scripts, fonts, images or other fetched resources (a
Content-Security-Policy forbids them), readable on screen and on paper. Every string
from the run is escaped.
"""

from __future__ import annotations

from html import escape

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
from creepcheck.version import __version__

TITLE = "creepcheck compliance report"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"

CSS = """
:root { color-scheme: light; --error: #b42318; --warning: #b54708; --info: #175cd3;
  --line: #d0d5dd; --muted: #475467; --head: #f2f4f7; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: #101828; background: #fff; margin: 0 auto; padding: 24px 32px;
  max-width: 1400px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { width: auto; min-width: 420px; }
table.summary th { width: 220px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12.5px; }
pre.evidence { background: #f9fafb; border: 1px solid var(--line); border-radius: 4px;
  padding: 6px 8px; margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
table.findings td:nth-child(3), table.findings-waived td:nth-child(3) { white-space: nowrap; }
table.findings td:last-child, table.findings-waived td:last-child { min-width: 340px; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 10px;
  padding: 0 8px; font-size: 12px; font-weight: 600; text-transform: uppercase;
  letter-spacing: .02em; white-space: nowrap; }
.badge.error { color: var(--error); background: #fef3f2; }
.badge.warning { color: var(--warning); background: #fffaeb; }
.badge.info { color: var(--info); background: #eff8ff; }
.badge.expired { color: var(--error); background: #fef3f2; }
.badge.active { color: #067647; background: #ecfdf3; }
.verdict { display: inline-block; font-weight: 700; padding: 4px 12px; border-radius: 4px;
  border: 2px solid currentColor; margin: 0 0 12px; }
.verdict.fail { color: var(--error); }
.verdict.pass { color: #067647; }
.muted, .fix-label { color: var(--muted); }
.fix { margin: 4px 0 0; }
.note { margin: 4px 0 0; color: #067647; }
.empty { color: var(--muted); font-style: italic; }
.profiles { overflow-wrap: anywhere; }
details.example { margin: 6px 0 0; }
details.example summary { color: var(--muted); cursor: pointer; }
table.audit { width: auto; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { font-size: 10pt; padding: 0; max-width: none; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th { background: #eee; }
  pre.evidence { background: none; }
  .badge, .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def esc(text: object) -> str:
    return escape(strip_control(str(text)), quote=True)


def badge(severity: Severity | str) -> str:
    name = str(severity)
    return f'<span class="badge {esc(name)}">{esc(name)}</span>'


def table(css_class: str, header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    """A table of already escaped cells; `numeric` columns align right."""

    def cell(tag: str, index: int, content: str) -> str:
        attr = ' class="num"' if index in numeric else ""
        return f"<{tag}{attr}>{content}</{tag}>"

    head = "".join(cell("th", i, esc(h)) for i, h in enumerate(header))
    body = "\n".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f'<table class="{css_class}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


class HtmlReporter(Reporter):
    name = "html"
    suffix = ".html"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        data = build_report(result, self.options)
        sections = [
            _summary(data),
            _by_rule(data),
            _by_campaign(data),
            _findings(data),
            _waivers(data),
            _waived(data),
            _problems(data),
            _messages(data),
            _audit(data),
        ]
        body = "\n".join(section for section in sections if section)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="creepcheck {esc(__version__)}">
<title>{TITLE}</title>
<style>
{CSS}
</style>
</head>
<body>
<header>
<h1>{TITLE}</h1>
{_verdict(data)}
</header>
<main>
{body}
</main>
<footer>Generated by creepcheck {esc(__version__)}. Personal data: {esc(pii_note(data.show_pii))}.
</footer>
</body>
</html>
"""


def _verdict(data: ReportData) -> str:
    if data.fail_on is None:
        return f'<p class="lead">{len(data.counted)} findings; no gate (fail on never).</p>'
    verdict = "fail" if data.failing else "pass"
    return (
        f'<p class="verdict {verdict}">Gate: {verdict} — {data.failing} findings at or '
        f"above {esc(data.fail_on)}</p>"
    )


def _summary(data: ReportData) -> str:
    stats = data.stats
    detail = severity_phrase(data.counts)
    severities = " ".join(f"{badge(s)} {data.counts.get(s, 0)}" for s in SEVERITIES)
    rows = [
        ("Campaigns", str(stats.campaigns)),
        ("Messages rendered", str(stats.messages)),
        (
            "Profiles checked",
            f"{stats.profiles_checked} ({stats.profiles_read} read, "
            f"{stats.profiles_rejected} rejected)",
        ),
        ("Findings", f"{len(data.counted)}{f' ({esc(detail)})' if detail else ''}"),
        ("By severity", severities),
        ("Waived or suppressed", str(len(data.waived))),
        ("Waivers", str(len(data.waivers))),
        ("Personal data", esc(pii_note(data.show_pii))),
    ]
    if data.problems:
        rows.append(("Input problems", str(len(data.problems))))
    skipped = skipped_summary(stats)
    if skipped:
        rows.append(("Checks not run", esc(skipped.split(": ", 1)[1])))
    body = "\n".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<section id="summary">\n<h2>Summary</h2>\n<table class="summary">\n<tbody>\n'
        f"{body}\n</tbody>\n</table>\n</section>"
    )


def _counts(counts: dict[Severity, int]) -> list[str]:
    return [str(counts.get(severity, 0)) for severity in SEVERITIES]


def _by_rule(data: ReportData) -> str:
    if not data.rules:
        content = '<p class="empty">No findings.</p>'
    else:
        rows = [
            [
                f"<code>{esc(r.code)}</code>",
                esc(r.rule),
                esc(r.summary),
                *_counts(r.counts),
                str(r.total),
                str(r.waived),
            ]
            for r in data.rules
        ]
        content = table(
            "by-rule",
            ["Code", "Rule", "Summary", "Error", "Warning", "Info", "Total", "Waived"],
            rows,
            {3, 4, 5, 6, 7},
        )
    return f'<section id="by-rule">\n<h2>Findings by rule</h2>\n{content}\n</section>'


def _by_campaign(data: ReportData) -> str:
    if not data.campaigns:
        return ""
    rows = [
        [
            esc(r.campaign),
            str(r.messages),
            str(r.profiles),
            str(r.max_specificity),
            *_counts(r.counts),
            str(r.waived),
        ]
        for r in data.campaigns
    ]
    content = table(
        "by-campaign",
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
        {1, 2, 3, 4, 5, 6, 7},
    )
    return f'<section id="by-campaign">\n<h2>Findings by campaign</h2>\n{content}\n</section>'


FINDING_HEADER = ["#", "Severity", "Rule", "Campaign", "Channel", "Profiles", "Location", "Finding"]


def _finding_row(number: int, group: FindingGroup) -> list[str]:
    finding = group.finding
    details = [f"<div>{esc(finding.message)}</div>"]
    if finding.evidence:
        whose = f" (profile {esc(group.profiles[0])})" if group.count > 1 else ""
        if whose:
            details.append(f'<div class="muted">Evidence{whose}:</div>')
        details.append(f'<pre class="evidence">{esc(finding.evidence.rstrip())}</pre>')
    if group.example is not None:
        profile, text = group.example
        details.append(
            f'<details class="example"><summary>Rendered message for {esc(profile)}'
            f'</summary><pre class="evidence">{esc(text.rstrip())}</pre></details>'
        )
    if finding.fields:
        names = ", ".join(f"<code>{esc(name)}</code>" for name in finding.fields)
        details.append(f'<div class="muted">Fields: {names}</div>')
    if finding.fix:
        details.append(
            f'<div class="fix"><span class="fix-label">Fix:</span> {esc(finding.fix)}</div>'
        )
    note = waiver_note(finding)
    if note:
        details.append(f'<div class="note">{esc(note[:1].upper() + note[1:])}</div>')
    if group.count == 1:
        details.append(
            f'<div class="muted">Fingerprint: <code>{esc(finding.fingerprint or "—")}</code></div>'
        )
    return [
        str(number),
        badge(finding.severity),
        f"<code>{esc(finding.code)}</code> {esc(finding.rule)}",
        esc(finding.campaign or "—"),
        esc(finding.channel or "—"),
        _profiles_cell(group),
        f"<code>{esc(location_label(finding))}</code>",
        "\n".join(details),
    ]


def _profiles_cell(group: FindingGroup) -> str:
    if not group.profiles:
        return "—"
    if group.count == 1:
        return esc(group.profiles[0])
    ids = esc(group.shown_profiles)
    return f'<strong>{group.count:,}</strong><div class="profiles muted">{ids}</div>'


def _findings(data: ReportData) -> str:
    groups = [group for _, own in data.by_campaign for group in own]
    rows = [_finding_row(n, g) for n, g in enumerate(groups, start=1)]
    if not rows:
        rows = [["", "", "", "", "", "", "", '<span class="empty">No findings.</span>']]
    return (
        f'<section id="findings">\n<h2>Findings</h2>\n'
        '<p class="lead">Identical findings (same rule, campaign, channel, line and message) '
        "are listed once, with the number of profiles and their ids.</p>\n"
        f"{table('findings', FINDING_HEADER, rows, {0})}\n</section>"
    )


def _waivers(data: ReportData) -> str:
    if not data.waivers:
        content = '<p class="empty">No waivers.</p>'
    else:
        rows = [
            [
                esc(r.campaign),
                esc(r.waiver.rule),
                esc(scope_label(r.waiver.profiles, "all")),
                esc(scope_label(r.waiver.channels, "all")),
                esc(r.waiver.reason),
                esc(r.waiver.approved_by),
                esc(r.waiver.expires.isoformat() if r.waiver.expires else "never"),
                badge(r.status),
                str(r.covered),
            ]
            for r in data.waivers
        ]
        content = table(
            "waivers",
            list(WAIVER_COLUMNS),
            rows,
            {8},
        )
    return f'<section id="waivers">\n<h2>Waivers</h2>\n{content}\n</section>'


def _waived(data: ReportData) -> str:
    if not data.waived:
        return ""
    rows = [_finding_row(n, g) for n, g in enumerate(data.waived_groups, start=1)]
    return (
        '<section id="waived">\n<h2>Waived and suppressed findings</h2>\n'
        '<p class="lead">These do not count towards the gate; each is listed with what '
        "excused it.</p>\n"
        f"{table('findings-waived', FINDING_HEADER, rows, {0})}\n</section>"
    )


def _problems(data: ReportData) -> str:
    if not data.problems:
        return ""
    items = "\n".join(
        f"<li><code>{esc(p.file + (f':{p.line}' if p.line else ''))}</code>: {esc(p.message)}</li>"
        for p in data.problems
    )
    return f'<section id="problems">\n<h2>Input problems</h2>\n<ul>\n{items}\n</ul>\n</section>'


def _messages(data: ReportData) -> str:
    if not data.message_groups:
        return ""
    rows = [
        [
            esc(g.campaign),
            esc(g.channel),
            str(g.specificity),
            str(len(g.profiles)),
            f'<span class="profiles">{esc(g.shown_profiles)}</span>',
        ]
        for g in data.message_groups
    ]
    header = ["Campaign", "Channel", "Specificity", "Messages", "Profiles"]
    return (
        '<section id="messages">\n<h2>Messages</h2>\n<p class="lead">Every rendered '
        "message by its specificity (concrete facts about the recipient it recalls), "
        "with the profiles it was rendered for.</p>\n"
        f"{table('messages', header, rows, {2, 3})}"
        "\n</section>"
    )


def _audit(data: ReportData) -> str:
    audit = data.audit
    if audit is None:
        return ""
    facts = "\n".join(
        f"<tr><th>{esc(label)}</th><td><code>{esc(value)}</code></td></tr>"
        for label, value in audit_rows(audit)
    )
    inputs = table(
        "inputs",
        list(INPUT_COLUMNS),
        [
            [
                esc(item.kind),
                f"<code>{esc(item.path)}</code>",
                f"<code>{esc(item.sha256 or '—')}</code>",
            ]
            for item in audit.inputs
        ],
        set(),
    )
    return (
        '<section id="audit">\n<h2>Audit</h2>\n<table class="summary audit">\n<tbody>\n'
        f"{facts}\n</tbody>\n</table>\n<h3>Inputs checked</h3>\n{inputs}\n</section>"
    )
