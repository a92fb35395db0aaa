"""Check a whole audience on Apache Spark, with the same engine as the CLI.

    from creepcheck.spark import check_audience

    outcome = check_audience(spark, spark.read.parquet("s3://crm/spring.parquet"),
                             ["campaigns/"])
    outcome.findings.write.parquet("s3://crm/spring-findings.parquet")

The campaign repository (config, policies, campaigns, templates) is read once on the
driver and shipped to the executors, which check their partitions as Arrow batches
(`mapInArrow`) with the local engine: no rule has a second implementation. Nothing of
Spark is imported until this module is used; install it with
`pip install 'creepcheck[spark]'`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from creepcheck.spark.session import require_java, require_spark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from creepcheck.errors import Problem
    from creepcheck.findings.result import RunResult, RunStats
    from creepcheck.run import CheckOptions

__all__ = ["SparkCheck", "check_audience", "check_on_spark"]


@dataclass
class SparkCheck:
    """What `check_audience` found.

    `findings` has the columns of the JSON report's findings (rule, code, severity,
    campaign, channel, profile, file, line, column, message, evidence, fix, fields,
    fingerprint, suppressed, waiver) plus the `specificity` of the message a finding
    is about; `messages` has one row per rendered message (campaign, channel,
    profile, specificity). Both can be joined back to the audience on `profile`.
    `problems` are the input problems (bad rows, unknown fields), `stats` the counts.
    """

    findings: DataFrame
    messages: DataFrame
    problems: list[Problem]
    stats: RunStats


def check_audience(
    spark: SparkSession,
    audience: DataFrame | str | Path | None = None,
    paths: Sequence[str | Path] = (".",),
    *,
    policy: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    show_pii: bool = False,
    name: str = "audience",
) -> SparkCheck:
    """Check the campaigns under `paths` against `audience`: a DataFrame of profiles
    (one column per top-level field, structs and lists for nested ones), a Parquet
    or JSON Lines path, or a table name; None: each campaign's own `profiles:`.
    `name` is how a DataFrame is called in messages about its rows."""
    from creepcheck.run import CheckOptions
    from creepcheck.spark.driver import run

    require_spark()
    options = CheckOptions(
        paths=tuple(Path(p) for p in paths) or (Path("."),),
        policy=policy,
        profiles=None if audience is None or _is_frame(audience) else Path(str(audience)),
        select=tuple(select),
        ignore=tuple(ignore),
        show_pii=show_pii,
    )
    frame = audience if _is_frame(audience) else None
    outcome = run(spark, options, frame, name)  # type: ignore[arg-type]
    return SparkCheck(
        outcome.findings_frame(), outcome.messages_frame(), outcome.problems(), outcome.stats()
    )


def check_on_spark(options: CheckOptions, master: str) -> RunResult:
    """`creepcheck check --spark MASTER`: the run on a Spark cluster, collected into
    the same result (and so the same reports) as a local run."""
    from creepcheck.spark.driver import run
    from creepcheck.spark.session import start

    require_spark()
    require_java()
    from creepcheck.errors import UserError

    try:
        outcome = run(start(master), options)
        try:
            return outcome.result()
        finally:
            outcome.rows.unpersist()
    except UserError:
        raise
    except Exception as exc:
        if not type(exc).__module__.startswith(("pyspark", "py4j")):
            raise
        # An executor's failure arrives as Spark's exception, with the JVM's trace.
        first = next((line for line in str(exc).splitlines() if line.strip()), "")
        raise UserError(f"the Spark job failed: {first[:300]}") from None


def _is_frame(value: object) -> bool:
    return hasattr(value, "mapInArrow")
