"""The driver's side of a Spark run: set up as a local run, ship the repository, check
every source's partitions on the executors, and put the outcome together.

The driver loads config, policy and campaigns, compiles and statically checks the
templates (their findings are the driver's), and takes the repository snapshot. Each
audience source becomes one `mapInArrow` over its DataFrame, checking every campaign
that uses it. What needs the whole audience is done here, from the executors' rows:
repeated ids (found by one aggregation before the check), fields no profile has,
counts, time-zone notes, suppression warnings and expired waivers (`finalize`).
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem, UserError
from creepcheck.findings.audit import build_audit
from creepcheck.findings.result import RunResult, RunStats
from creepcheck.findings.settle import finalize, waiver_entries
from creepcheck.loaders.arrow_records import schema_fields
from creepcheck.loaders.profile_schema import schema_messages
from creepcheck.loaders.profiles import is_json_lines, iter_profiles, source_name
from creepcheck.loaders.sampling import reservoir
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, DatabaseQuery, Finding, ProfileSource
from creepcheck.run import Audience, CampaignChecker, CheckOptions, Setup
from creepcheck.run.sources import NO_ZONE_KEY, no_zone_problem, profiles_path, schema_problems
from creepcheck.spark.partition import (
    LINES,
    MARK,
    ORDINAL,
    PICKLED,
    RECORDS,
    ROW_BITS,
    Plan,
    SourcePlan,
    check_partitions,
)
from creepcheck.spark.rows import (
    AUDIENCE,
    EXAMPLE,
    FINDING,
    FINDING_COLUMNS,
    MESSAGE,
    PROBLEM,
    ROW_TYPE,
    SHARED,
    WARNING,
    RowBuffer,
    to_finding,
    to_message,
    to_problem,
)
from creepcheck.spark.snapshot import mirror_name, take

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class _Source:
    """One audience: how to read it on the cluster, and the campaigns that use it."""

    key: str
    file: str  # as named in messages
    kind: str
    frame: DataFrame
    path: Path | None = None
    campaigns: list[tuple[int, Campaign]] = field(default_factory=list)
    schema_problems: list[Problem] = field(default_factory=list)


@dataclass
class SparkRun:
    """A Spark run's outcome before anything is collected to the driver."""

    setup: Setup
    checker: CampaignChecker
    rows: DataFrame  # the executors' rows (rows.ROW_TYPE), persisted
    sources: list[_Source]
    tallies: dict[int, _Tally]
    started: datetime
    clock: float  # time.monotonic() at the start
    # Findings about no profile the executors made (shared by many profiles, and
    # suppression warnings), each once: `finalize` handles them with the driver's own.
    warnings: list[Finding]

    @property
    def campaigns(self) -> list[Campaign]:
        return self.setup.campaigns

    def source_of(self, index: int) -> _Source:
        return next(s for s in self.sources if any(i == index for i, _ in s.campaigns))

    def audience_findings(self) -> list[Finding]:
        """The findings a local run makes outside the profiles: template checks and
        fields no profile has, per campaign in run order."""
        findings: list[Finding] = []
        for index, campaign in enumerate(self.campaigns):
            findings.extend(self.checker.prepare(campaign).template_findings)
            findings.extend(self._absent(index, campaign))
        return findings

    def _absent(self, index: int, campaign: Campaign) -> list[Finding]:
        tally = self.tallies.get(index, _Tally())
        audience = Audience(set(tally.fields), tally.counts.get("checked", 0))
        return self.checker.absent_fields(campaign, audience)

    def stats(self) -> RunStats:
        stats = RunStats(campaigns=len(self.campaigns))
        for tally in self.tallies.values():
            stats.profiles_read += tally.counts.get("read", 0)
            stats.profiles_checked += tally.counts.get("checked", 0)
            stats.profiles_rejected += tally.counts.get("rejected", 0)
            stats.messages += tally.counts.get("messages", 0)
            for key, skipped in tally.skipped().items():
                stats.skipped[key] = stats.skipped.get(key, 0) + skipped
        return stats

    def result(self) -> RunResult:
        """Everything collected to the driver, as `run.check` returns it."""
        import pyarrow.compute as pc

        table = self.rows.filter(self.rows.kind.isin(FINDING, MESSAGE, PROBLEM, EXAMPLE)).toArrow()
        table = table.sort_by([("campaign_index", "ascending"), ("row", "ascending"),
                               ("seq", "ascending")])
        kinds = table.column("kind")
        findings = table.filter(pc.equal(kinds, FINDING)).to_pylist()
        problems = table.filter(pc.equal(kinds, PROBLEM)).to_pylist()
        messages = table.filter(pc.equal(kinds, MESSAGE)).to_pylist()
        examples = table.filter(pc.equal(kinds, EXAMPLE)).to_pylist()
        by_index: dict[int, list[dict[str, Any]]] = {}
        for row in findings:
            by_index.setdefault(row["campaign_index"], []).append(row)
        problems_of: dict[int, list[dict[str, Any]]] = {}
        for row in problems:
            problems_of.setdefault(row["campaign_index"], []).append(row)

        result = RunResult(root=self.setup.config.root, stats=self.stats())
        seen_sources: set[str] = set()
        for index, campaign in enumerate(self.campaigns):
            source = self.source_of(index)
            result.findings.extend(self.checker.prepare(campaign).template_findings)
            if source.key not in seen_sources:
                seen_sources.add(source.key)
                result.problems.extend(source.schema_problems)
            result.problems.extend(to_problem(row) for row in problems_of.get(index, []))
            result.findings.extend(to_finding(row, campaign) for row in by_index.get(index, []))
            if self.setup.options.profile_ids is None:
                result.findings.extend(self._absent(index, campaign))
            missing = self.tallies.get(index, _Tally()).skipped().get(NO_ZONE_KEY, 0)
            if missing:
                where = source.path if source.path is not None else Path(source.file)
                result.problems.append(no_zone_problem(campaign, where, missing))
        result.messages.extend(to_message(row) for row in messages)
        for row in examples:
            key = (row["campaign"], row["channel"], row["profile"])
            result.examples.setdefault(key, row["message"])
        result.channels = {
            c.id: tuple(dict.fromkeys(spec.channel for spec in c.messages))
            for c in self.campaigns
        }
        result.findings = self._finalize(result.findings + self.warnings)
        result.waivers = list(waiver_entries(result.findings, self.campaigns))
        files = sorted({s.path for s in self.sources if s.path is not None and s.path.is_file()})
        result.audit = build_audit(
            self.started,
            time.monotonic() - self.clock,
            self.setup.run.policy,
            self.campaigns,
            files,
            self.setup.config.root,
        )
        return result

    def _finalize(self, findings: list[Finding]) -> list[Finding]:
        return finalize(
            findings,
            self.campaigns,
            enabled=frozenset(self.setup.rules.by_name),
            repository=self.setup.config.repository_root,
        )

    def findings_frame(self) -> DataFrame:
        """Every finding as a DataFrame with the JSON report's columns, the message's
        `specificity`, and `waiver` (reason, approved_by, expires)."""
        from pyspark.sql import functions as F

        spark = self.rows.sparkSession
        waiver = F.when(
            F.col("waiver_reason").isNotNull(),
            F.struct(
                F.col("waiver_reason").alias("reason"),
                F.col("waiver_approved_by").alias("approved_by"),
                F.col("waiver_expires").alias("expires"),
            ),
        ).alias("waiver")
        columns = [F.col(name) for name in FINDING_COLUMNS] + [waiver]
        on_profiles = self.rows.filter(self.rows.kind == FINDING).select(*columns)
        others = self._finalize(self.audience_findings() + self.warnings)
        buffer = RowBuffer()
        by_id = {c.id: c for c in self.campaigns}
        for seq, finding in enumerate(others):
            buffer.finding(finding, by_id.get(finding.campaign or ""), -1, 0, seq, None)
        driver_rows = spark.createDataFrame(buffer.batch().to_pandas(), schema=ROW_TYPE)
        return on_profiles.unionByName(driver_rows.select(*columns))

    def messages_frame(self) -> DataFrame:
        return self.rows.filter(self.rows.kind == MESSAGE).select(
            "campaign", "channel", "profile", "specificity"
        )

    def problems(self) -> list[Problem]:
        rows = self.rows.filter(self.rows.kind == PROBLEM).orderBy(
            "campaign_index", "row", "seq"
        )
        listed = [p for s in self.sources for p in s.schema_problems]
        return listed + [to_problem(row.asDict()) for row in rows.toLocalIterator()]


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)

    def add(self, counts: Mapping[str, int], fields: Iterable[str]) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        self.fields.update(fields)

    def skipped(self) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for name, value in self.counts.items():
            if name.startswith("skipped\x1f"):
                _, rule, reason = name.split("\x1f", 2)
                found[(rule, reason)] = value
        return found


def run(
    spark: SparkSession, options: CheckOptions, audience: DataFrame | None = None,
    audience_name: str = "audience",
) -> SparkRun:
    """Check the campaigns of `options` on `spark`: against `audience` when given,
    else against `options.profiles` (a path or a table name) or each campaign's own
    `profiles:`."""
    started, clock = datetime.now(timezone.utc), time.monotonic()
    setup = Setup.load(options)
    checker = setup.checker()
    for campaign in setup.campaigns:
        checker.prepare(campaign)  # the driver's template checks; nothing to warm here
    sources = _sources(spark, setup, checker, audience, audience_name)
    snapshot = take(
        _roots(setup, checker),
        [p for p in (setup.config.file, _policy_file(options)) if p is not None],
        skip=[s.path for s in sources if s.path is not None],
    )
    digest = snapshot.digest
    shipped = spark.sparkContext.broadcast(snapshot)
    on_executors = _for_executors(options)
    enabled = frozenset(setup.rules.by_name)
    frames = []
    for source in sources:
        source_plan, frame = _plan(source, checker, options)
        plan = Plan(on_executors, digest, source_plan, date.today(), enabled)
        frames.append(frame.mapInArrow(check_partitions(plan, shipped), ROW_TYPE))
    rows = reduce(lambda a, b: a.unionByName(b), frames)
    from pyspark import StorageLevel

    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    tallies: dict[int, _Tally] = {}
    shared_findings: list[Finding] = []
    by_id = {c.id: c for c in setup.campaigns}
    audience = rows.filter(rows.kind == AUDIENCE)
    shared = rows.filter(rows.kind.isin(SHARED, WARNING)).dropDuplicates(
        [c for c in rows.columns if c not in ("kind", "campaign_index", "row", "seq",
                                               "specificity", "counts")]
    )
    for row in audience.unionByName(shared).collect():
        values = row.asDict(recursive=True)
        if values["kind"] == AUDIENCE:
            tallies.setdefault(values["campaign_index"], _Tally()).add(
                dict(values["counts"] or {}), values["fields"] or ()
            )
        else:
            shared_findings.append(to_finding(values, by_id.get(values["campaign"] or "")))
    return SparkRun(setup, checker, rows, sources, tallies, started, clock, shared_findings)


def _plan(
    source: _Source, checker: CampaignChecker, options: CheckOptions
) -> tuple[SourcePlan, DataFrame]:
    """How executors read the source, and the DataFrame they read it from: records
    marked with their place in the source (and among the records, for `--sample`),
    then spread over enough partitions to keep every core busy (a single Parquet file
    is often read as one)."""
    from pyspark.sql import functions as F

    campaigns = tuple((index, campaign.id) for index, campaign in source.campaigns)
    mapping = dict(checker.config.mapping)
    if source.kind == PICKLED:
        return SourcePlan(PICKLED, source.file, campaigns, mapping), source.frame
    marked = source.frame.withColumn(MARK, F.monotonically_increasing_id())
    offsets, total = _offsets(marked, MARK)
    if source.kind == LINES:  # a blank line is no record, but it is a line
        marked = marked.filter(~F.coalesce(F.col(marked.columns[0]), F.lit("")).rlike(r"^\s*$"))
    plan = SourcePlan(source.kind, source.file, campaigns, mapping, offsets)
    if options.sample is not None:
        marked = marked.withColumn(ORDINAL, F.monotonically_increasing_id())
        ordinal_offsets, records = _offsets(marked, ORDINAL)
        chosen = frozenset(reservoir(range(records), options.sample, options.seed))
        plan = replace(plan, ordinal_offsets=ordinal_offsets, chosen=chosen)
    plan = replace(plan, duplicates=_duplicates(marked, plan, mapping))
    spark = source.frame.sparkSession
    wanted = 2 * spark.sparkContext.defaultParallelism
    if marked.rdd.getNumPartitions() < wanted:
        marked = marked.repartition(wanted)
    return plan, marked


def _offsets(marked: DataFrame, column: str) -> tuple[dict[int, int], int]:
    """The place of each partition's first record, and how many there are in all."""
    from pyspark.sql import functions as F

    by_partition = marked.groupBy(F.shiftright(column, ROW_BITS).alias("partition")).count()
    counts = {row["partition"]: row["count"] for row in by_partition.collect()}
    offsets, total = {}, 0
    for partition in sorted(counts):
        offsets[partition] = total
        total += counts[partition]
    return offsets, total


def _duplicates(marked: DataFrame, plan: SourcePlan, mapping: Mapping[str, str]) -> dict[str, int]:
    """The row of the first record of every id that occurs more than once."""
    from pyspark.sql import functions as F

    if plan.kind == LINES:
        identity = F.get_json_object(F.col(marked.columns[0]), "$.id")
    else:
        id_column = next((c for c in marked.columns if mapping.get(c, c) == "id"), None)
        identity = F.col(f"`{id_column}`").cast("string") if id_column else F.lit(None)
    repeated = (
        marked.select(identity.alias("id"), F.col(MARK).alias("mark"))
        .filter(F.col("id").isNotNull() & (F.col("id") != ""))
        .groupBy("id")
        .agg(F.count("*").alias("n"), F.min("mark").alias("first"))
        .filter(F.col("n") > 1)
        .collect()
    )
    return {row["id"]: plan.row_of(row["first"]) for row in repeated}


def _sources(
    spark: SparkSession,
    setup: Setup,
    checker: CampaignChecker,
    audience: DataFrame | None,
    audience_name: str,
) -> list[_Source]:
    options = setup.options
    by_key: dict[str, _Source] = {}
    for index, campaign in enumerate(setup.campaigns):
        if audience is not None:
            key = f"frame:{audience_name}"
            if key not in by_key:
                by_key[key] = _records(audience, audience_name, key, None, checker, options)
        else:
            where = profiles_path(campaign, options)
            key = f"source:{where!r}"
            if key not in by_key:
                by_key[key] = _from_source(spark, where, key, checker, options)
        by_key[key].campaigns.append((index, campaign))
    return list(by_key.values())


def _from_source(
    spark: SparkSession,
    path: ProfileSource,
    key: str,
    checker: CampaignChecker,
    options: CheckOptions,
) -> _Source:
    mapping = checker.config.mapping
    if isinstance(path, DatabaseQuery):  # a DuckDB query runs here, its rows are shipped
        return _read_here(spark, path, key, checker, options)
    if not path.exists():
        name = str(path)
        if spark.catalog.tableExists(name):
            return _records(spark.table(name), name, key, None, checker, options)
        raise UserError(
            f"{display_path(path)}: no such profile file, and no table of that name "
            "in the Spark catalog"
        )
    file = display_path(path)
    if path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES:
        return _records(spark.read.parquet(str(path)), file, key, path, checker, options)
    if is_json_lines(path):
        frame = spark.read.text(str(path))
        source = _Source(key, file, LINES, frame, path)
        source.schema_problems = schema_problems(path, mapping)
        return source
    return _read_here(spark, path, key, checker, options)


def _read_here(
    spark: SparkSession,
    path: ProfileSource,
    key: str,
    checker: CampaignChecker,
    options: CheckOptions,
) -> _Source:
    """YAML, a JSON array, CSV or a DuckDB query: read on the driver as a local run
    reads it, and shipped."""
    mapping = checker.config.mapping
    read = enumerate(iter_profiles(path, mapping))
    drawn = reservoir(read, options.sample, options.seed) if options.sample is not None else read
    items = [(index, pickle.dumps(item)) for index, item in drawn]
    slices = max(1, min(spark.sparkContext.defaultParallelism, len(items) // 256 or 1))
    frame = spark.createDataFrame(items, "row bigint, payload binary").repartition(slices)
    where = path if isinstance(path, Path) else None
    source = _Source(key, source_name(path), PICKLED, frame, where)
    source.schema_problems = schema_problems(path, mapping)
    return source


def _records(
    frame: DataFrame,
    file: str,
    key: str,
    path: Path | None,
    checker: CampaignChecker,
    options: CheckOptions,
) -> _Source:
    source = _Source(key, file, RECORDS, frame, path)
    schema = frame.limit(0).toArrow().schema
    fields = schema_fields(schema, checker.config.mapping, file)  # a bad column type stops here
    source.schema_problems = [
        Problem(file, message, fatal=False) for message in schema_messages(fields)
    ]
    return source


def _roots(setup: Setup, checker: CampaignChecker) -> list[Path]:
    roots = {checker.config.repository_root(c.root) for c in setup.campaigns}
    roots.add(setup.config.root)
    return sorted(roots)


def _policy_file(options: CheckOptions) -> Path | None:
    policy = options.policy
    if policy and not policy.startswith("builtin:") and Path(policy).is_file():
        return Path(policy)
    return None


def _for_executors(options: CheckOptions) -> CheckOptions:
    """The options as executors see the repository: paths in the mirror folder, one
    process each, nothing read from the profile files themselves."""
    cwd = Path(os.path.abspath(Path.cwd()))
    policy = options.policy
    if _policy_file(options) is not None and policy is not None:
        policy = mirror_name(Path(policy), cwd)
    return replace(
        options,
        paths=tuple(Path(mirror_name(p, cwd)) for p in options.paths),
        policy=policy,
        profiles=None,
        jobs=1,
        sample=None,
        progress=None,
        audience_size=None,
    )
