"""One partition of an audience, checked on a Spark executor with the local engine.

Each executor's Python worker lays out the repository snapshot once, loads config,
policy, rules and campaigns from it as a local run does, and keeps the checker for
the partitions that follow. A partition's profiles then go through the engine's own
per-profile check (delivery, rendering, message and profile rules, masking), as with
`--jobs`; only the audience-wide parts (template checks, fields no profile has,
suppression warnings, expired waivers) are left to the driver.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem
from creepcheck.findings.settle import settle_audience
from creepcheck.loaders.arrow_records import batch_records
from creepcheck.loaders.profile_values import NO_ZONE
from creepcheck.loaders.profiles import RecordProblem, json_line_profile, record_profile
from creepcheck.loaders.yamlio import describe
from creepcheck.models import Campaign, Finding, Profile
from creepcheck.run import collector
from creepcheck.spark.rows import FINDING, SHARED, WARNING, RowBuffer
from creepcheck.spark.snapshot import Snapshot, driver_name, materialize

if TYPE_CHECKING:
    import pyarrow as pa

    from creepcheck.run import CampaignChecker, CheckOptions

RECORDS, LINES, PICKLED = "records", "lines", "pickled"
ROW_BITS = 33  # `monotonically_increasing_id`: partition id above, position below
MARK = "__creepcheck_mark"  # a record's place in its source, as that id
ORDINAL = "__creepcheck_ordinal"  # its place among the records (--sample draws on it)


@dataclass(frozen=True)
class SourcePlan:
    """How executors read one audience source, and the campaigns checked against it.

    `kind` is RECORDS (a table of profile columns), LINES (JSON Lines text) or
    PICKLED (profiles the driver read from a YAML, JSON or CSV file). `offsets`
    gives the first row number of each partition of the source as read (records are
    marked there, before they are spread over the cluster), `duplicates` the row of
    the first record of every id that occurs more than once (a later one is
    rejected, as locally)."""

    kind: str
    file: str
    campaigns: tuple[tuple[int, str], ...]  # (run index, campaign id)
    mapping: Mapping[str, str] = field(default_factory=dict)
    offsets: Mapping[int, int] = field(default_factory=dict)
    duplicates: Mapping[str, int] = field(default_factory=dict)

    ordinal_offsets: Mapping[int, int] = field(default_factory=dict)
    chosen: frozenset[int] | None = None  # --sample: the ordinals drawn

    def row_of(self, mark: int) -> int:
        """The 1-based row (line, for JSON Lines) of a record marked `mark`."""
        return _place(self.offsets, mark) + 1

    def drawn(self, ordinal: int) -> bool:
        return self.chosen is None or _place(self.ordinal_offsets, ordinal) in self.chosen


def _place(offsets: Mapping[int, int], mark: int) -> int:
    return offsets.get(mark >> ROW_BITS, 0) + (mark & ((1 << ROW_BITS) - 1))


@dataclass(frozen=True)
class Plan:
    options: CheckOptions  # as executors see the repository (paths in the mirror)
    digest: str  # of the snapshot
    source: SourcePlan
    today: date
    enabled: frozenset[str]


def check_partitions(
    plan: Plan, snapshot: Any
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function `mapInArrow` runs on each partition; `snapshot` is the broadcast
    `Snapshot`."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        executor = _executor(plan, snapshot)
        with _working_in(executor.folder):
            yield from executor.partition(plan, batches)

    return run


_EXECUTORS: dict[tuple[str, bytes], _Executor] = {}


def _executor(plan: Plan, snapshot: Any) -> _Executor:
    key = (plan.digest, pickle.dumps(plan.options))
    if key not in _EXECUTORS:
        value: Snapshot = snapshot.value
        folder = materialize(value, plan.digest)
        with _working_in(folder), collector.paused():
            _EXECUTORS[key] = _Executor(folder, _load_checker(plan.options))
        collector.settle()  # as a `--jobs` worker: the long-lived heap is never rescanned
    return _EXECUTORS[key]


def _load_checker(options: CheckOptions) -> CampaignChecker:
    from creepcheck.run import Setup

    return Setup.load(options).prepared_checker()


@contextmanager
def _working_in(folder: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount


@dataclass
class _Executor:
    folder: Path
    checker: CampaignChecker

    def partition(self, plan: Plan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        source = plan.source
        campaigns = [(i, self.checker.campaigns[c]) for i, c in source.campaigns]
        tallies = {index: _Tally() for index, _ in campaigns}
        for batch in batches:
            rows, found = RowBuffer(), _Found()
            for row, item in _items(source, batch):
                for index, campaign in campaigns:
                    self._check(rows, found, tallies[index], index, campaign, row, item)
            self._settle(plan, rows, found, [c for _, c in campaigns])
            if len(rows):
                yield rows.batch()
        rows = RowBuffer()
        for index, tally in tallies.items():
            rows.audience(index, tally.counts, tally.fields)
        yield rows.batch()

    def _check(
        self,
        rows: RowBuffer,
        found: _Found,
        tally: _Tally,
        index: int,
        campaign: Campaign,
        row: int,
        item: Profile | RecordProblem,
    ) -> None:
        """What `AudienceReader.take` does with one record's outcome for one campaign."""
        if isinstance(item, RecordProblem):
            rows.problem(Problem(item.file, item.message, item.line), index, row, 0)
            tally.add("rejected")
            return
        tally.add("read")
        outcome = self.checker.check_profile(campaign.id, item, every_message=True)
        seq = 0
        for problem in outcome.value_problems:
            if problem.skipped is not None and problem.reason is not None:
                tally.add(f"skipped\x1f{problem.skipped}\x1f{problem.reason}")
            if problem.reason != NO_ZONE:
                message = f"profile {item.id}: {problem.message}"
                shown = Problem(item.file, message, item.line, False, problem.skipped)
                rows.problem(shown, index, row, seq)
                seq += 1
        tally.fields.update(outcome.fields)
        tally.add("checked")
        tally.add("messages", outcome.rendered)
        for (campaign_id, channel, profile_id), text in outcome.examples.items():
            rows.example(campaign_id, channel, profile_id, text, index, row)
        messages = outcome.messages
        specificity = {m.channel: m.specificity for m in messages}
        for seq, finding in enumerate(outcome.findings):
            found.findings.append(finding)
            found.places.append(
                (campaign, index, row, seq, specificity.get(finding.channel or ""))
            )
        if self.checker.options.collect_messages:
            for seq, record in enumerate(messages):
                rows.message(record, index, row, seq)

    def _settle(
        self, plan: Plan, rows: RowBuffer, found: _Found, campaigns: list[Campaign]
    ) -> None:
        """Suppressions and waivers on a batch's findings, as `finalize` applies them."""
        if not found.findings:
            return
        settled = settle_audience(
            found.findings,
            campaigns,
            enabled=plan.enabled,
            repository=self.checker.config.repository_root,
            today=plan.today,
        )
        for finding, (campaign, index, row, seq, specificity) in zip(
            settled, found.places, strict=False
        ):
            kind = FINDING if finding.profile is not None else SHARED
            rows.finding(_named_back(finding), campaign, index, row, seq, specificity, kind)
        by_id = {c.id: c for c in campaigns}
        for seq, warning in enumerate(settled[len(found.findings) :]):
            campaign = by_id[warning.campaign or ""]
            rows.finding(_named_back(warning), campaign, -1, 0, seq, None, WARNING)


@dataclass
class _Found:
    """A batch's findings, and where each belongs: (campaign, run index, row, seq,
    specificity of its message)."""

    findings: list[Finding] = field(default_factory=list)
    places: list[tuple[Campaign, int, int, int, int | None]] = field(default_factory=list)


def _named_back(finding: Finding) -> Finding:
    file = driver_name(finding.file)
    return finding if file == finding.file else replace(finding, file=file)


def _items(
    source: SourcePlan, batch: pa.RecordBatch
) -> Iterator[tuple[int, Profile | RecordProblem]]:
    """The batch's records as profiles or problems, with their row in the source."""
    if source.kind == PICKLED:
        for row, payload in zip(
            batch.column("row").to_pylist(), batch.column("payload").to_pylist(), strict=True
        ):
            yield row, pickle.loads(payload)
        return
    if source.chosen is not None:
        ordinals = batch.column(ORDINAL).to_pylist()
        batch = batch.filter([source.drawn(ordinal) for ordinal in ordinals])
    marks = batch.column(MARK).to_pylist()
    rows = [source.row_of(mark) for mark in marks]
    values = batch.select([name for name in batch.schema.names if name not in (MARK, ORDINAL)])
    if source.kind == LINES:
        for number, text in zip(rows, values.column(0).to_pylist(), strict=True):
            if number == 1 and text and text.startswith("\ufeff"):
                text = text[1:]
            if text is None or not text.strip():
                continue  # blank lines are skipped, and counted, as in a local run
            item = json_line_profile(text, source.file, number)
            yield number, _unless_repeated(item, source, number)
        return
    for number, record in batch_records(values, rows, source.mapping, source.file):
        item = record if isinstance(record, RecordProblem) else record_profile(
            record, source.file, number
        )
        yield number, _unless_repeated(item, source, number)


def _unless_repeated(
    item: Profile | RecordProblem, source: SourcePlan, row: int
) -> Profile | RecordProblem:
    if isinstance(item, RecordProblem):
        return item
    first = source.duplicates.get(item.id)
    if first is None or first == row:
        return item
    message = f"duplicate id {describe(item.id)} (first on line {first})"
    return RecordProblem(source.file, row, message)
