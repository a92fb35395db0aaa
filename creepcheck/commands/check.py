"""`creepcheck check`: options → engine → reporter → exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from creepcheck.atomicwrite import replaced_atomically
from creepcheck.baseline import Baseline, apply_baseline, load_baseline, write_baseline
from creepcheck.engine import CheckOptions, check
from creepcheck.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Problem, UserError
from creepcheck.loaders.config import load_project_config
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import DatabaseQuery, ProfileSource, RunResult, Severity
from creepcheck.outbound import visible
from creepcheck.reporters import REPORTERS, ReportOptions
from creepcheck.reporters.base import Reporter


def run_check(paths: tuple[Path, ...], options: dict[str, Any]) -> int:
    config = load_project_config(paths[0])
    output_format = options["output_format"] or config.format
    fail_on = options["fail_on"] or config.fail_on
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    show_progress = not options["no_progress"] and sys.stderr.isatty()
    write_to: Path | None = options["write_baseline"]
    baseline_path: Path | None = options["baseline"] or config.baseline
    # Read the baseline before the run, so a bad one fails fast; writing replaces it.
    baseline = load_baseline(baseline_path) if baseline_path and not write_to else None
    with _progress(show_progress) as progress:
        result = check(
            CheckOptions(
                paths=paths,
                policy=options["policy"],
                profiles=profile_source(options["profiles"], options["query"]),
                select=_split(options["select"]),
                ignore=_split(options["ignore"]),
                show_pii=options["show_pii"],
                sample=options["sample"],
                jobs=options["jobs"],
                collect_messages=not options["no_messages"],
                progress=progress,
            )
        )
    if write_to is not None:
        baseline = write_baseline(write_to, result.findings)
        _note(f"wrote baseline to {baseline.file} ({_count(len(baseline.fingerprints))})")
    if baseline is not None:
        _apply(result, baseline, wrote=write_to is not None)
    _write_report(result, output_format, options, threshold)
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
        _note(
            f"{count} input problem{'s' if count != 1 else ''} and strict inputs "
            "(--strict-inputs or strict_inputs: true): exit 2"
        )
        return EXIT_USAGE
    failing = threshold is not None and bool(result.counted(threshold))
    return EXIT_FINDINGS if failing else EXIT_OK


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


def _apply(result: RunResult, baseline: Baseline, wrote: bool) -> None:
    outcome = apply_baseline(result.findings, baseline)
    result.findings = outcome.findings
    if outcome.known and not wrote:
        _note(f"{_count(outcome.known)} in baseline {baseline.file} not shown")
    if outcome.gone:
        entries = f"{outcome.gone} baseline entr{'y' if outcome.gone == 1 else 'ies'}"
        _note(f"{entries} no longer found; refresh it with --write-baseline {baseline.file}")


def _count(findings: int) -> str:
    return f"{findings} finding{'' if findings == 1 else 's'}"


def _note(message: str) -> None:
    click.echo(f"creepcheck: {visible(message)}", err=True)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _write_report(
    result: RunResult, output_format: str, options: dict[str, Any], threshold: Severity | None
) -> None:
    from creepcheck.cli import color_wanted, silence_closed_stdout

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
        )
    )
    if output is None:
        try:
            reporter.write(result, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # `| head`: the exit code still says what was found
            silence_closed_stdout()
    else:
        _write_file(reporter, result, output)
        counted = sum(1 for f in result.findings if f.counts)
        _note(f"wrote {output_format} report to {output} ({counted} findings)")


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


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int], None] | None]:
    if not enabled:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("checking: {task.completed} profiles"),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("check", total=None)
        yield lambda count: bar.advance(task, count)
