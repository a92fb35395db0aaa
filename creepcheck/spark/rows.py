"""What executors send back: one Arrow row per finding, message, input problem and
per-partition audience tally, in one schema (`ROW_TYPE`), and the way back to
creepcheck's own types on the driver.

`campaign_index`, `row` and `seq` put rows in the order a local run meets them:
campaigns in run order, profiles in source order, findings in the order the engine
made them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from creepcheck.errors import Problem
from creepcheck.models import Campaign, Finding, MessageRecord, Severity

FINDING, MESSAGE, PROBLEM = "finding", "message", "problem"
AUDIENCE, WARNING = "audience", "warning"
# A finding about no profile (the message as a whole), made again for every profile
# that gets the message: the driver keeps each once.
SHARED = "shared"
EXAMPLE = "example"  # the rendered message (masked) shown for a group of findings

ARROW_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("campaign_index", pa.int32()),
        ("row", pa.int64()),
        ("seq", pa.int32()),
        ("rule", pa.string()),
        ("code", pa.string()),
        ("severity", pa.string()),
        ("campaign", pa.string()),
        ("channel", pa.string()),
        ("profile", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("column", pa.int64()),
        ("message", pa.string()),
        ("evidence", pa.string()),
        ("fix", pa.string()),
        ("fields", pa.list_(pa.string())),
        ("spans", pa.list_(pa.list_(pa.int64()))),
        ("fingerprint", pa.string()),
        ("waiver_index", pa.int32()),
        ("waiver_reason", pa.string()),
        ("waiver_approved_by", pa.string()),
        ("waiver_expires", pa.string()),
        ("suppressed", pa.string()),
        ("specificity", pa.int32()),
        ("fatal", pa.bool_()),
        ("skipped", pa.string()),
        ("counts", pa.map_(pa.string(), pa.int64())),
    ]
)
# The same, as Spark's DDL for `mapInArrow`.
ROW_TYPE = (
    "kind string, campaign_index int, row bigint, seq int, rule string, code string, "
    "severity string, campaign string, channel string, profile string, file string, "
    "line bigint, column bigint, message string, evidence string, fix string, "
    "fields array<string>, spans array<array<bigint>>, fingerprint string, "
    "waiver_index int, waiver_reason string, waiver_approved_by string, "
    "waiver_expires string, suppressed string, specificity int, fatal boolean, "
    "skipped string, counts map<string,bigint>"
)
# The columns of a finding in the JSON report, as `creepcheck.spark` returns them.
FINDING_COLUMNS = (
    "rule", "code", "severity", "campaign", "channel", "profile", "file", "line", "column",
    "message", "evidence", "fix", "fields", "fingerprint", "suppressed", "specificity",
)


class RowBuffer:
    """Rows for one Arrow batch, column by column."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in ARROW_SCHEMA.names}

    def __len__(self) -> int:
        return len(self.columns["kind"])

    def add(self, kind: str, campaign_index: int, row: int, seq: int, **values: Any) -> None:
        values.update(kind=kind, campaign_index=campaign_index, row=row, seq=seq)
        for name, column in self.columns.items():
            column.append(values.get(name))

    def finding(
        self,
        finding: Finding,
        campaign: Campaign | None,
        index: int,
        row: int,
        seq: int,
        specificity: int | None,
        kind: str = FINDING,
    ) -> None:
        waiver = finding.waiver
        self.add(
            kind,
            index,
            row,
            seq,
            rule=finding.rule,
            code=finding.code,
            severity=str(finding.severity),
            campaign=finding.campaign,
            channel=finding.channel,
            profile=finding.profile,
            file=finding.file,
            line=finding.line,
            column=finding.column,
            message=finding.message,
            evidence=finding.evidence,
            fix=finding.fix,
            fields=list(finding.fields),
            spans=[list(span) for span in finding.spans],
            fingerprint=finding.fingerprint,
            waiver_index=(
                campaign.waivers.index(waiver)
                if waiver is not None and campaign is not None
                else None
            ),
            waiver_reason=waiver.reason if waiver is not None else None,
            waiver_approved_by=waiver.approved_by if waiver is not None else None,
            waiver_expires=(
                waiver.expires.isoformat() if waiver is not None and waiver.expires else None
            ),
            suppressed=finding.suppressed,
            specificity=specificity,
        )

    def message(self, record: MessageRecord, index: int, row: int, seq: int) -> None:
        self.add(
            MESSAGE,
            index,
            row,
            seq,
            campaign=record.campaign,
            channel=record.channel,
            profile=record.profile,
            specificity=record.specificity,
        )

    def example(
        self, campaign: str, channel: str, profile: str, text: str, index: int, row: int
    ) -> None:
        self.add(EXAMPLE, index, row, 0, campaign=campaign, channel=channel, profile=profile,
                 message=text)

    def problem(self, problem: Problem, index: int, row: int, seq: int) -> None:
        self.add(
            PROBLEM,
            index,
            row,
            seq,
            file=problem.file,
            line=problem.line,
            message=problem.message,
            fatal=problem.fatal,
            skipped=problem.skipped,
        )

    def audience(self, index: int, counts: Mapping[str, int], fields: Iterable[str]) -> None:
        self.add(AUDIENCE, index, 0, 0, counts=list(counts.items()), fields=sorted(fields))

    def batch(self) -> pa.RecordBatch:
        return pa.RecordBatch.from_pydict(self.columns, schema=ARROW_SCHEMA)


def to_finding(row: Mapping[str, Any], campaign: Campaign | None) -> Finding:
    waiver_index = row["waiver_index"]
    waiver = (
        campaign.waivers[waiver_index]
        if campaign is not None and waiver_index is not None
        else None
    )
    return Finding(
        rule=row["rule"],
        code=row["code"],
        severity=Severity.parse(row["severity"]),
        message=row["message"],
        campaign=row["campaign"],
        channel=row["channel"],
        profile=row["profile"],
        file=row["file"],
        line=row["line"],
        column=row["column"],
        evidence=row["evidence"] or "",
        fix=row["fix"] or "",
        fields=tuple(row["fields"] or ()),
        spans=tuple((span[0], span[1]) for span in row["spans"] or ()),
        fingerprint=row["fingerprint"] or "",
        waiver=waiver,
        suppressed=row["suppressed"],
    )


def to_message(row: Mapping[str, Any]) -> MessageRecord:
    return MessageRecord(row["campaign"], row["channel"], row["profile"], row["specificity"])


def to_problem(row: Mapping[str, Any]) -> Problem:
    return Problem(row["file"], row["message"], row["line"], row["fatal"], row["skipped"])
