"""The stable JSON schema of SPEC section 4 (keys may be added, never renamed or removed)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from creepcheck.findings.result import RunResult
from creepcheck.models import Finding, MessageRecord
from creepcheck.privacy.outbound import visible
from creepcheck.reporters.base import (
    Reporter,
    severity_counts,
    shown_finding,
    shown_message,
    skipped_checks,
    sorted_findings,
)

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
            "reason": visible(finding.waiver.reason),
            "approved_by": visible(finding.waiver.approved_by),
            "expires": finding.waiver.expires.isoformat() if finding.waiver.expires else None,
        }
    if finding.suppressed is not None:
        data["suppressed"] = finding.suppressed
    return data


class JsonReporter(Reporter):
    name = "json"
    suffix = ".json"

    def render(self, result: RunResult) -> str:
        stream = io.StringIO()
        self.write(result, stream)
        return stream.getvalue()

    def write(self, result: RunResult, stream: TextIO) -> None:
        """The document, written as it is encoded: a finding or message becomes a dict
        only when its turn comes, so a full audience's report is never whole in memory."""
        self._shown: dict[tuple[str, str], str] = {}  # each distinct text masked once
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
                "skipped": skipped_checks(result.stats),
            },
            "findings": _Lazy(findings, self._finding_to_dict),
            "errors": [
                {
                    "file": p.file,
                    "line": p.line,
                    "message": p.message,
                    "severity": "error" if p.fatal else "warning",
                }
                for p in (p.for_output(self.options.show_pii) for p in result.problems)
            ],
        }
        if self.options.include_messages:
            document["messages"] = _Lazy(result.messages, _message_to_dict)
        # indent=2 selects json's pure-Python encoder, which reads lists by iterating them.
        encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
        for chunk in encoder.iterencode(document):
            stream.write(chunk)
        stream.write("\n")

    def _finding_to_dict(self, finding: Finding) -> dict[str, Any]:
        return finding_to_dict(shown_finding(finding, self.options.show_pii, self._shown))


def _message_to_dict(message: MessageRecord) -> dict[str, Any]:
    message = shown_message(message)
    return {
        "campaign": message.campaign,
        "channel": message.channel,
        "profile": message.profile,
        "specificity": message.specificity,
    }


class _Lazy(list):  # type: ignore[type-arg]
    """A list, to json, whose items are converted as the encoder reaches them."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.items, self.convert = items, convert

    def __iter__(self) -> Iterator[Any]:
        return map(self.convert, self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
