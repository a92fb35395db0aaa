"""SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards.

One run; the driver lists every registered rule with its documentation, and each
finding becomes a result located at its template or campaign file relative to
`%SRCROOT%`. Waived findings carry an external suppression, inline-suppressed ones an
in-source suppression, so dashboards show them as dismissed rather than dropping them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, Severity
from creepcheck.reporters.base import Reporter, shown_result, sorted_findings
from creepcheck.reporters.common import (
    context_label,
    message_with_fix,
    relative_posix,
    rule_markdown,
    waiver_note,
)
from creepcheck.rules.base import Rule, rule_doc
from creepcheck.rules.registry import RULES
from creepcheck.version import __version__

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/creepcheck/"
FINGERPRINT_KEY = "creepcheck/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Tags by code family: CC1xx delivery, CC2xx content, CC3xx recall, CC4xx record, CC9xx.
FAMILY_TAGS = {
    "1": "consent-and-delivery",
    "2": "content",
    "3": "over-personalisation",
    "4": "recipient-record",
    "9": "template",
}


class SarifReporter(Reporter):
    name = "sarif"
    suffix = ".sarif"

    def render(self, result: RunResult) -> str:
        result = shown_result(result, self.options)
        rule_index = {rule.code: index for index, rule in enumerate(RULES)}
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "creepcheck",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": [_rule_descriptor(rule) for rule in RULES],
                }
            },
            "invocations": [_invocation(result)],
            "columnKind": "unicodeCodePoints",
            "results": [
                _result(f, result.root, rule_index.get(f.code))
                for f in sorted_findings(result.findings)
            ],
            "properties": {
                "campaigns": result.stats.campaigns,
                "messages": result.stats.messages,
                "profilesChecked": result.stats.profiles_checked,
                "profilesRejected": result.stats.profiles_rejected,
            },
        }
        document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule_doc(rule)},
        "help": {"text": rule_doc(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {
            "tags": sorted(
                {"privacy", "creepcheck", rule.name, FAMILY_TAGS.get(rule.code[2:3], "other")}
            ),
        },
    }


def _invocation(result: RunResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not result.problems}
    if result.problems:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": problem.message},
                "locations": [_location(problem.file, problem.line, None, result.root)],
            }
            for problem in result.problems
        ]
    return invocation


def _result(finding: Finding, root: Path, rule_index: int | None) -> dict[str, Any]:
    text = message_with_fix(finding, context_label(finding, ", "))
    data: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        data["ruleIndex"] = rule_index
    data |= {
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [_location(finding.file, finding.line, finding.column, root)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "rule": finding.rule,
            "severity": str(finding.severity),
            "campaign": finding.campaign,
            "channel": finding.channel,
            "profile": finding.profile,
            "evidence": finding.evidence,
            "fields": list(finding.fields),
        },
    }
    if finding.waiver is not None:
        data["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": waiver_note(finding).removeprefix("waived: "),
            }
        ]
    elif finding.suppressed is not None:
        data["suppressions"] = [
            {"kind": "inSource", "status": "accepted", "justification": finding.suppressed}
        ]
    return data


def _location(file: str | None, line: int | None, column: int | None, root: Path) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(line or 1, 1)}
    if column and column >= 1:
        region["startColumn"] = column
    physical: dict[str, Any] = {"artifactLocation": _artifact(file or "", root), "region": region}
    return {"physicalLocation": physical}


def _artifact(file: str, root: Path) -> dict[str, Any]:
    """A path relative to the source root, URI-escaped; a file URI when outside it."""
    path = relative_posix(file, root)
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    posix = path.removeprefix("./")
    return {"uri": quote(posix or ".", safe="/-._~"), "uriBaseId": SRCROOT}
