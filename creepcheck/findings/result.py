"""What a run produced: findings, messages, counts, input problems, waivers and the
audit record, as every reporter reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from creepcheck.errors import Problem
from creepcheck.findings.audit import Audit
from creepcheck.models import Finding, MessageLog, Severity, Waiver


@dataclass
class RunStats:
    campaigns: int = 0
    messages: int = 0
    profiles_read: int = 0
    profiles_checked: int = 0
    profiles_rejected: int = 0
    # (rule, reason) -> how many profiles the rule could not judge ("quiet-hours",
    # "unknown time zone"): reported in the summary, never a silent pass.
    skipped: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    messages: MessageLog = field(default_factory=MessageLog)
    stats: RunStats = field(default_factory=RunStats)
    waivers: list[tuple[str, Waiver]] = field(default_factory=list)  # (campaign id, waiver)
    root: Path = field(default_factory=Path.cwd)
    problems: list[Problem] = field(default_factory=list)  # rejected profile records
    # campaign id -> the channels of its messages, in campaign order (exclusion lists)
    channels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (campaign, channel, profile) -> the rendered message, masked unless --show-pii: one
    # example for each group of identical findings (findings.settle.group_key), for reports
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)
    audit: Audit | None = None  # when, with what and on which inputs (audit.py)

    def counted(self, at_least: Severity) -> list[Finding]:
        return [f for f in self.findings if f.counts and f.severity >= at_least]
