"""The suppression list a marketer uploads after a check: who not to send to, on which
channel, and why (`creepcheck check --exclusions FILE.csv`).

A finding puts its profile on the list when its rule says so (`Rule.drops_recipient`:
deceased, suppressed, unconsented channel, stale record, missing or unlisted contact
point) and it is about the record or the destination, not the copy. A finding about
the whole profile (no channel) drops the person from every channel of the campaign.

The file holds ids, channels, rule codes and the rules' own one-line summaries: never
a name, email, phone or any other value of the profile.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from creepcheck.atomicwrite import replaced_atomically
from creepcheck.errors import Problem, UserError
from creepcheck.findings.result import RunResult
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Finding
from creepcheck.privacy.outbound import visible
from creepcheck.rules.base import drops_recipient
from creepcheck.rules.registry import RULES

COLUMNS = ("campaign", "channel", "profile_id", "rules", "reasons")
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass
class Exclusion:
    """One person on one channel of one campaign, with every rule that drops them."""

    campaign: str
    channel: str
    profile: str
    codes: dict[str, str] = field(default_factory=dict)  # code -> rule summary

    def row(self) -> list[str]:
        codes = sorted(self.codes)
        return [
            visible(self.campaign),
            visible(self.channel),
            visible(self.profile),
            " ".join(codes),
            "; ".join(self.codes[code] for code in codes),
        ]


def exclusions(result: RunResult) -> list[Exclusion]:
    """The run's exclusions, one per campaign, channel and profile, sorted."""
    found: dict[tuple[str, str, str], Exclusion] = {}
    for finding in result.findings:
        rule = RULES_BY_CODE.get(finding.code)
        if rule is None or not drops_recipient(rule, finding):
            continue
        campaign, profile = finding.campaign or "", finding.profile or ""
        for channel in _channels(finding, result.channels.get(campaign, ())):
            key = (campaign, profile, channel)
            entry = found.get(key)
            if entry is None:
                entry = found[key] = Exclusion(campaign, channel, profile)
            entry.codes[finding.code] = rule.summary
    return [found[key] for key in sorted(found)]


def _channels(finding: Finding, campaign_channels: Iterable[str]) -> Iterable[str]:
    return (finding.channel,) if finding.channel else campaign_channels


def write_exclusions_csv(entries: Iterable[Exclusion], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(entry.row() for entry in entries)


def write_exclusions(result: RunResult, path: Path) -> int:
    """Write the exclusion list to `path` whole or not at all; the number of rows.
    A failed write (a full disk) is a UserError naming the file."""
    entries = exclusions(result)
    try:
        with replaced_atomically(path) as stream:
            write_exclusions_csv(entries, stream)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise UserError(
            Problem(display_path(path), f"cannot write the exclusion list: {reason}")
        ) from None
    return len(entries)
