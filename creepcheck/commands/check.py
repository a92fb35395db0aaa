"""`creepcheck check`: options → engine → reporter → exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from creepcheck.atomicwrite import replaced_atomically
from creepcheck.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Problem, UserError
from creepcheck.findings.baseline import Baseline, apply_baseline, load_baseline, write_baseline
from creepcheck.findings.exclusions import write_exclusions
from creepcheck.findings.result import RunResult
from creepcheck.loaders.config import load_project_config
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import DatabaseQuery, ProfileSource, Severity
from creepcheck.privacy.outbound import visible
from creepcheck.reporters import REPORTERS, ReportOptions
from creepcheck.reporters.base import Reporter
from creepcheck.reporters.statistics import StatisticsReporter
from creepcheck.run import CheckOptions, check


def run_check(paths: tuple[Path, ...], options: dict[str, Any]) -> int:
    config = load_project_config(paths[0])
    output_format = options["output_format"] or config.format
    fail_on = options["fail_on"] or config.fail_on
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    after = AfterCheck.from_options(options)
    note = _note if not after.quiet else _silent
    show_progress = not options["no_progress"] and not after.quiet and progress_wanted(sys.stderr)
    write_to: Path | None = options["write_baseline"]
    baseline_path: Path | None = options["baseline"] or config.baseline
    # Read the baseline before the run, so a bad one fails fast; writing replaces it.
    baseline = load_baseline(baseline_path) if baseline_path and not write_to else None
    spark_master: str | None = options.get("spark")
    run = check if not spark_master else _on_spark(spark_master, options["jobs"])
    with _progress(show_progress and not spark_master) as bar:
        result = run(
            CheckOptions(
                paths=paths,
                policy=options["policy"],
                profiles=profile_source(options["profiles"], options["query"]),
                select=_split(options["select"]),
                ignore=_split(options["ignore"]),
                show_pii=options["show_pii"],
                sample=options["sample"],
                seed=after.seed,
                jobs=options["jobs"],
                collect_messages=not options["no_messages"],
                progress=bar.advance if bar else None,
                audience_size=bar.expect if bar else None,
            )
        )
    if after.exclusions is not None:  # before the baseline: a known finding still drops
        rows = write_exclusions(result, after.exclusions)
        note(f"wrote exclusion list to {after.exclusions} ({rows} row{'' if rows == 1 else 's'})")
    if write_to is not None:
        baseline = write_baseline(write_to, result.findings)
        note(f"wrote baseline to {baseline.file} ({_count(len(baseline.fingerprints))})")
    if baseline is not None:
        _apply(result, baseline, wrote=write_to is not None, note=note)
    _write_report(result, output_format, options, threshold, after, note)
    for problem in result.problems:
        label = "error" if problem.fatal else "warning"
        click.echo(
            click.style(f"{label}: ", fg="red" if problem.fatal else "yellow", bold=True)
            + problem.shown(options["show_pii"]),
            err=True,
        )
    if any(problem.fatal for problem in result.problems):
        return EXIT_USAGE
    if result.problems and (options["strict_inputs"] or config.strict_inputs):
        count = len(result.problems)
        note(
            f"{count} input problem{'s' if count != 1 else ''} and strict inputs "
            "(--strict-inputs or strict_inputs: true): exit 2"
        )
        return EXIT_USAGE
    failing = threshold is not None and bool(result.counted(threshold))
    return EXIT_FINDINGS if failing else EXIT_OK


def _on_spark(master: str, jobs: int) -> Callable[[CheckOptions], RunResult]:
    if jobs != 1:
        raise UserError("--spark and --jobs do not go together: Spark decides the parallelism")

    def run(options: CheckOptions) -> RunResult:
        from creepcheck.spark import check_on_spark

        return check_on_spark(options, master)

    return run


def profile_source(profiles: Path | None, query: str | None) -> ProfileSource | None:
    """`--profiles`, or with `--query` the query on the database it names."""
    if query is None:
        return profiles
    if profiles is None or not query.strip():
        what = "--profiles names no database" if profiles is None else "the query is empty"
        raise UserError(
            Problem("", f"--query: {what}: use --profiles crm.duckdb --query 'SELECT ...'")
        )
    return DatabaseQuery(Path(os.path.abspath(profiles)), query)


def _apply(result: RunResult, baseline: Baseline, wrote: bool, note: Note) -> None:
    outcome = apply_baseline(result.findings, baseline)
    result.findings = outcome.findings
    if outcome.known and not wrote:
        note(f"{_count(outcome.known)} in baseline {baseline.file} not shown")
    if outcome.gone:
        entries = f"{outcome.gone} baseline entr{'y' if outcome.gone == 1 else 'ies'}"
        note(f"{entries} no longer found; refresh it with --write-baseline {baseline.file}")


def _count(findings: int) -> str:
    return f"{findings} finding{'' if findings == 1 else 's'}"


def _note(message: str) -> None:
    click.echo(f"creepcheck: {visible(message)}", err=True)


def _silent(message: str) -> None:
    """--quiet: notes about the run are not printed."""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _write_report(
    result: RunResult,
    output_format: str,
    options: dict[str, Any],
    threshold: Severity | None,
    after: AfterCheck,
    note: Note,
) -> None:
    from creepcheck.commands.terminal import color_wanted, silence_closed_stdout

    reporter_cls = REPORTERS.get(output_format)
    if reporter_cls is None:
        raise UserError(f"the {output_format} format is not available yet")
    output: Path | None = options["output"]
    color = output is None and output_format == "text" and color_wanted(sys.stdout)
    reporter = reporter_cls(
        ReportOptions(
            show_pii=options["show_pii"],
            color=color,
            include_messages=not options["no_messages"],
            fail_on=threshold,
            summary=not after.quiet,
            statistics_format="json" if output_format == "json" else "text",
        )
    )
    if output is not None:
        _write_file(reporter, result, output)
        counted = sum(1 for f in result.findings if f.counts)
        note(f"wrote {output_format} report to {output} ({counted} findings)")
    if after.statistics:  # instead of the report on stdout, as ruff --statistics
        reporter = StatisticsReporter(reporter.options)
    elif output is not None:
        return
    try:
        reporter.write(result, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the exit code still says what was found
        silence_closed_stdout()


def _write_file(reporter: Reporter, result: RunResult, output: Path) -> None:
    """A regular file is written to a temporary file of this run's own and moved into
    place, never left half-written; anything else (/dev/null, a pipe) is written in
    place. A failed write (a full disk) is a UserError naming the file."""
    try:
        if output.exists() and not output.is_file():
            with output.open("w", encoding="utf-8") as stream:
                reporter.write(result, stream)
            return
        with replaced_atomically(output) as stream:
            reporter.write(result, stream)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        message = f"cannot write the report: {reason}"
        raise UserError(Problem(display_path(output), message)) from None


def progress_wanted(stream: Any) -> bool:
    """A progress bar only on a terminal, never in a CI log (CI=true, as GitHub Actions,
    GitLab and most others set) nor on a terminal that cannot redraw a line."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class _Bar:
    """The profiles checked so far; with the campaign's audience size when the engine
    knows it before checking (a --sample), also a bar and the time left."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.task = progress.add_task("check", total=None)
        self.done_before = 0  # profiles of the campaigns already checked

    def advance(self, count: int) -> None:
        self.progress.advance(self.task, count)

    def expect(self, total: int) -> None:
        self.done_before = int(self.progress.tasks[0].completed)
        self.progress.update(self.task, total=self.done_before + total)


@contextmanager
def _progress(enabled: bool) -> Iterator[_Bar | None]:
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("checking profiles"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=_stderr_console(),
        transient=True,
    ) as progress:
        yield _Bar(progress)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


# --- what a marketer does next, and output as ruff users expect (issue 14) -------------
# Options: --exclusions FILE.csv, --quiet, --statistics, --seed N (with --sample N).

Note = Callable[[str], None]


@dataclass(frozen=True)
class AfterCheck:
    exclusions: Path | None = None  # the suppression list to write (exclusions.py)
    quiet: bool = False  # the findings only: no summary, notes or progress bar
    statistics: bool = False  # counts per rule on stdout instead of the report
    seed: int = 0  # of the --sample draw

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> AfterCheck:
        return cls(
            exclusions=options.get("exclusions"),
            quiet=bool(options.get("quiet")),
            statistics=bool(options.get("statistics")),
            seed=options.get("seed") or 0,
        )
