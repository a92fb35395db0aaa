"""A campaign's audience as chunks for the checker, and the checker's outcomes taken
back into the run's result, in input order, wherever they were checked.

JSON Lines files are handed out as lines, parsed where they are checked (on workers,
in parallel), while this process keeps their order and rejects repeated ids. Other
sources (YAML, JSON, CSV, Parquet, a DuckDB query) and `--sample` draws are read here
and handed out as records.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creepcheck.errors import Problem, UserError
from creepcheck.findings.result import RunResult
from creepcheck.findings.shared import SharedTexts
from creepcheck.loaders.profile_schema import schema_messages
from creepcheck.loaders.profile_values import NO_ZONE, ValueProblem
from creepcheck.loaders.profiles import (
    RecordProblem,
    is_json_lines,
    iter_json_lines,
    iter_profiles,
    repeat_check,
    source_fields,
    source_name,
)
from creepcheck.loaders.sampling import reservoir
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, Profile, ProfileSource
from creepcheck.rules.quiet_hours import QuietHours
from creepcheck.run.checker import Audience, Chunk, Outcome
from creepcheck.run.options import CheckOptions

CHUNK_SIZE = 256
NO_ZONE_KEY = (QuietHours.name, NO_ZONE)


def profiles_path(campaign: Campaign, options: CheckOptions) -> ProfileSource:
    path = options.profiles or campaign.profiles
    if path is None:
        raise UserError(
            [
                Problem(
                    display_path(campaign.path),
                    "no profiles to check against: name a "
                    "`profiles:` file here, in creepcheck.yaml, or pass --profiles",
                    campaign.line,
                )
            ]
        )
    return path


def announce_size(path: ProfileSource, options: CheckOptions) -> None:
    """The audience size for the progress bar, where one fast pass finds it: a JSON
    Lines file's records are its non-blank lines. (A sample's size is told once drawn.)"""
    if options.audience_size is None or options.sample is not None:
        return
    if options.profile_ids is not None or not is_json_lines(path):
        return
    try:
        with path.open("rb") as stream:
            count = sum(1 for line in stream if line.strip())
    except OSError:
        return  # the loader reports it
    options.audience_size(count)


def schema_problems(path: ProfileSource, mapping: Mapping[str, str]) -> list[Problem]:
    """Once per profile source: field names that match nothing creepcheck reads."""
    line, paths = source_fields(path, mapping)
    if line is None:
        return []
    file = source_name(path)
    return [Problem(file, message, line, fatal=False) for message in schema_messages(paths)]


@dataclass
class AudienceReader:
    """One campaign's audience: the chunks to check, and their outcomes taken back."""

    campaign: Campaign
    path: ProfileSource
    mapping: Mapping[str, str]
    options: CheckOptions

    def __post_init__(self) -> None:
        self.file = source_name(self.path)
        as_lines = is_json_lines(self.path) and self.options.sample is None
        # A repeated id is rejected here, in file order, where lines are parsed elsewhere;
        # `iter_profiles` rejects it itself.
        self.seen = repeat_check(self.path) if as_lines else None
        self.audience = Audience()
        self.shared = SharedTexts()

    def chunks(self) -> Iterator[Chunk]:
        if self.seen is not None:
            assert isinstance(self.path, Path)  # a JSON Lines file
            for lines in _cut(iter_json_lines(self.path)):
                yield Chunk(self.campaign.id, self.file, lines=lines)
            return
        items: Iterable[Profile | RecordProblem] = iter_profiles(self.path, self.mapping)
        if self.options.sample is not None:
            # Drawn from the parsed records, so that one process and workers judge the
            # same records (a repeated id is one whether or not it is drawn).
            items = reservoir(items, self.options.sample, self.options.seed)
            if self.options.audience_size:
                self.options.audience_size(len(items))
        for records in _cut(items):
            yield Chunk(self.campaign.id, self.file, records=records)

    def take(self, outcomes: list[Outcome], result: RunResult) -> None:
        """A chunk's outcomes into the result: problems, findings, messages, counts."""
        checked = 0
        for outcome in outcomes:
            problem = outcome.problem
            if problem is None and self.seen is not None:
                problem = self.seen.repeat(outcome.profile, self.file, outcome.line)
            if problem is not None:
                if self.options.profile_ids is None:  # else bad records go unmentioned
                    result.problems.append(Problem(problem.file, problem.message, problem.line))
                    result.stats.profiles_rejected += 1
                continue
            result.stats.profiles_read += 1
            _add_value_problems(
                result, outcome.file, outcome.profile, outcome.line, outcome.value_problems
            )
            result.findings.extend(map(self.shared.finding, outcome.findings))
            for key, text in outcome.examples.items():
                result.examples.setdefault(key, text)
            result.messages.extend(outcome.messages)
            result.stats.messages += outcome.rendered
            self.audience.add(outcome.fields, 1)
            checked += 1
        result.stats.profiles_checked += checked
        if self.options.progress:
            self.options.progress(checked)


def _add_value_problems(
    result: RunResult, file: str, profile: str, line: int | None, problems: list[ValueProblem]
) -> None:
    """A profile's value problems as input problems, and the checks they kept from
    running counted for the summary. A missing time zone is only counted here: one
    problem per campaign says how many profiles lack one (see `no_zone_problem`)."""
    for problem in problems:
        if problem.skipped is not None and problem.reason is not None:
            key = (problem.skipped, problem.reason)
            result.stats.skipped[key] = result.stats.skipped.get(key, 0) + 1
        if problem.reason != NO_ZONE:
            message = f"profile {profile}: {problem.message}"
            result.problems.append(
                Problem(file, message, line, fatal=False, skipped=problem.skipped)
            )


def no_zone_problem(campaign: Campaign, path: ProfileSource, profiles: int) -> Problem:
    count = f"{profiles} profile{'s' if profiles != 1 else ''}"
    message = (
        f"quiet-hours not checked for {count} of {source_name(path)} without a timezone: "
        "give each profile an IANA zone name such as America/Chicago"
    )
    return Problem(display_path(campaign.path), message, campaign.line, False, "quiet-hours")


def _cut(items: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    iterator = iter(items)
    while chunk := tuple(itertools.islice(iterator, CHUNK_SIZE)):
        yield chunk
