"""The stable JSON schema of SPEC section 4 (keys may be added, never renamed or removed)."""

from __future__ import annotations

import json
from typing import Any

from creepcheck.models import Finding, RunResult
from creepcheck.reporters.base import Reporter, severity_counts, sorted_findings

SCHEMA_VERSION = 1


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "code": finding.code,
        "severity": str(finding.severity),
        "campaign": finding.campaign,
        "channel": finding.channel,
        "profile": finding.profile,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "evidence": finding.evidence,
        "fix": finding.fix,
        "fields": list(finding.fields),
        "fingerprint": finding.fingerprint,
    }
    if finding.waiver is not None:
        data["waiver"] = {
            "reason": finding.waiver.reason,
            "approved_by": finding.waiver.approved_by,
            "expires": finding.waiver.expires.isoformat() if finding.waiver.expires else None,
        }
    if finding.suppressed is not None:
        data["suppressed"] = finding.suppressed
    return data


class JsonReporter(Reporter):
    name = "json"
    suffix = ".json"

    def render(self, result: RunResult) -> str:
        findings = sorted_findings(result.findings)
        document: dict[str, Any] = {
            "version": SCHEMA_VERSION,
            "summary": {
                "campaigns": result.stats.campaigns,
                "messages": result.stats.messages,
                "findings": sum(1 for f in findings if f.counts),
                "by_severity": severity_counts(findings),
                "waived": sum(1 for f in findings if not f.counts),
                "profiles": {
                    "read": result.stats.profiles_read,
                    "checked": result.stats.profiles_checked,
                    "rejected": result.stats.profiles_rejected,
                },
            },
            "findings": [finding_to_dict(f) for f in findings],
            "errors": [
                {
                    "file": p.file,
                    "line": p.line,
                    "message": p.message,
                    "severity": "error" if p.fatal else "warning",
                }
                for p in result.problems
            ],
        }
        if self.options.include_messages:
            document["messages"] = [
                {
                    "campaign": m.campaign,
                    "channel": m.channel,
                    "profile": m.profile,
                    "specificity": m.specificity,
                }
                for m in result.messages
            ]
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
