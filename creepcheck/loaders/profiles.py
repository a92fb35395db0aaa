"""Streaming sample profiles from YAML, JSON, JSON Lines and CSV files (SPEC 1.3).

Profiles are read one record at a time, so a file of millions of profiles is never held
in memory; only the set of ids seen so far is kept, to report duplicates.

- `.yaml` / `.yml`: a list of mappings, composed item by item with the same limits as
  every other YAML file (`yamlio.LineLoader`). Dates come back as `date` objects.
- `.json`: a JSON array, decoded element by element; a file whose first line is a
  complete JSON object is read as JSON Lines instead.
- `.jsonl` / `.ndjson`: one JSON object per line; blank lines are skipped.
- `.csv`: a header row, then one profile per row (see `csv_value` for conversions).
  `mapping` (the project config's `mapping:`) renames columns before anything else.
- `.parquet` (a file or a folder of them) and a query on a DuckDB database
  (`DatabaseQuery`): rows read as CSV rows are, with typed and nested columns
  (warehouse.py).

A bad record (no id, not a mapping, a repeated id, a broken JSON line, a CSV row with
more cells than the header) is yielded as a `RecordProblem` and reading goes on. A file
that cannot be read at all raises `ProfileError`.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO, TypeGuard, TypeVar

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders import warehouse
from creepcheck.loaders.profile_formats import READERS, csv_rows, json_record
from creepcheck.loaders.profile_schema import CHECKED_INSIDE
from creepcheck.loaders.records import (
    RecordProblem,
    csv_columns,
)
from creepcheck.loaders.seen_ids import SeenIds
from creepcheck.loaders.yamlio import (
    describe,
    detect_encoding,
    display_path,
    encoding_message,
)
from creepcheck.models import DatabaseQuery, Profile, ProfileSource

EXTENSIONS = (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".csv", ".parquet", ".pq")
EXPECTED = "expected .yaml, .yml, .json, .jsonl, .ndjson, .csv or .parquet, or a database query"
NO_PROFILES = "no profiles in the file: expected at least one profile record to check"
NO_ROWS = "no profiles: the query returned no rows, expected at least one profile to check"
_T = TypeVar("_T")


def iter_profiles(
    source: ProfileSource, mapping: Mapping[str, str] | None = None
) -> Iterator[Profile | RecordProblem]:
    """Every profile in a file (or a query's result), in order, with a RecordProblem for
    each bad record.

    The file's extension and existence are checked at once; encoding and syntax errors
    that make the rest of the file unreadable raise ProfileError while iterating.
    """
    source = _checked_source(source)
    return _profiles(source, source_name(source), mapping or {})


def iter_json_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The records of a JSON Lines file as numbered lines of text, not yet parsed: for
    `--jobs`, whose workers parse them (`json_line_profile`) while the main process
    keeps their order and rejects repeated ids (`SeenIds`)."""
    path = Path(path)
    file, _ = _checked_file(path)
    return _json_lines(path, file)


def json_line_profile(text: str, file: str, line: int) -> Profile | RecordProblem:
    """A JSON Lines record read as `iter_profiles` reads it, but for repeated ids."""
    record = json_record(text, file, line)
    if isinstance(record, RecordProblem):
        return record
    return _profile(record, file, line, None)


def record_profile(record: Any, file: str, line: int | None) -> Profile | RecordProblem:
    """A record from a table (a row of Parquet or a query) read as a JSON Lines
    record is, but for repeated ids."""
    return _profile(record, file, line, None)


def source_fields(
    source: ProfileSource, mapping: Mapping[str, str] | None = None, records: int = 20
) -> tuple[int | None, list[str]]:
    """The field paths a profile source uses, and the line they are read from: a CSV
    file's header columns (after `mapping`), a Parquet file's or a query's columns (row
    1), else the paths of its first `records` profiles, from the line of the first.
    Empty when the source cannot be read: reading its profiles reports why."""
    try:
        source = _checked_source(source)
        if isinstance(source, DatabaseQuery):
            return 1, warehouse.query_fields(source, mapping or {})
        path, file, suffix = source, source_name(source), source.suffix.lower()
        if warehouse.is_parquet(path):
            return 1, warehouse.parquet_fields(path, mapping or {})
        if suffix == ".csv":
            stream, _ = _open_text(path, file)
            with stream:
                header = next(csv_rows(stream), None)
            columns = csv_columns(header or [], mapping or {}, file)
            return 1, [".".join(parts) for parts in columns if parts is not None]
        first: int | None = None
        paths: list[str] = []
        for line, record in itertools.islice(_records(path, file, {}), records):
            if isinstance(record, dict):
                first = first if first is not None else line
                paths.extend(_field_paths(record))
        return first, list(dict.fromkeys(paths))
    except (ProfileError, csv.Error):
        return None, []


def _field_paths(record: Mapping[str, Any]) -> Iterator[str]:
    """A record's top-level names, and the inner ones of the fields creepcheck reads
    inside (`consents.email.status`, `contact_points.email.0.value`)."""
    for key, value in record.items():
        if key in CHECKED_INSIDE and isinstance(value, Mapping):
            yield from _inner_paths(str(key), value, depth=1)
        else:
            yield str(key)


def _inner_paths(prefix: str, value: Any, depth: int) -> Iterator[str]:
    if depth <= 3 and isinstance(value, list) and value and isinstance(value[0], Mapping):
        yield from _inner_paths(f"{prefix}.0", value[0], depth + 1)
    elif depth <= 3 and isinstance(value, Mapping) and value:
        for key, inner in value.items():
            yield from _inner_paths(f"{prefix}.{key}", inner, depth + 1)
    else:
        yield prefix


def source_name(source: ProfileSource) -> str:
    """How messages name a profile source: its file, folder or database file."""
    return display_path(source.database if isinstance(source, DatabaseQuery) else source)


def is_json_lines(path: ProfileSource) -> TypeGuard[Path]:
    if isinstance(path, DatabaseQuery):
        return False
    return path.suffix.lower() in (".jsonl", ".ndjson")


def _checked_source(source: ProfileSource) -> ProfileSource:
    """The source, once a file's type and existence are checked (a query's are checked
    as it runs)."""
    if isinstance(source, DatabaseQuery):
        return source
    path = Path(source)
    if warehouse.is_database(path):
        message = (
            "a DuckDB database needs a query: `profiles: {database: FILE, query: SELECT ...}`"
            " in the campaign or creepcheck.yaml, or --query on the command line"
        )
        raise ProfileError(Problem(display_path(path), message))
    if warehouse.is_parquet(path):
        return path
    _checked_file(path)
    return path


def _checked_file(path: Path) -> tuple[str, str]:
    """The file's display name and suffix, once its type and existence are checked."""
    file = display_path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        message = f"unknown profile file type {describe(path.suffix or path.name)}: "
        raise ProfileError(Problem(file, message + EXPECTED))
    if not path.exists():
        raise ProfileError(Problem(file, "profile file not found"))
    if path.is_dir():
        raise ProfileError(Problem(file, "profile file is a folder, expected a file"))
    return file, suffix


def _profiles(
    source: ProfileSource, file: str, mapping: Mapping[str, str]
) -> Iterator[Profile | RecordProblem]:
    seen = repeat_check(source, mapping)
    yield from (
        record if isinstance(record, RecordProblem) else _profile(record, file, line, seen)
        for line, record in _records(source, file, mapping)
    )


def _json_lines(path: Path, file: str) -> Iterator[tuple[int, str]]:
    stream, label = _open_text(path, file)
    with stream:
        try:
            lines = (item for item in enumerate(stream, start=1) if item[1].strip())
            yield from _not_none(lines, file)
        except UnicodeDecodeError as exc:
            raise ProfileError(Problem(file, encoding_message(label, exc))) from None


def _not_none(records: Iterator[_T], file: str, message: str = NO_PROFILES) -> Iterator[_T]:
    """The records, and a ProfileError when there are none: a check against no profiles
    checks nothing, and must not pass as if it had."""
    empty = True
    for record in records:
        empty = False
        yield record
    if empty:
        raise ProfileError(Problem(file, message))


def _records(
    source: ProfileSource, file: str, mapping: Mapping[str, str]
) -> Iterator[tuple[int | None, Any]]:
    if isinstance(source, DatabaseQuery):
        yield from _not_none(warehouse.query_records(source, mapping), file, NO_ROWS)
        return
    if warehouse.is_parquet(source):
        yield from _not_none(warehouse.parquet_records(source, mapping), file)
        return
    path, suffix = source, source.suffix.lower()
    stream, label = _open_text(path, file)  # opened here, so an unread iterator holds no file
    with stream:
        try:
            yield from _not_none(READERS[suffix](stream, file, mapping), file)
        except UnicodeDecodeError as exc:
            raise ProfileError(Problem(file, encoding_message(label, exc))) from None


def repeat_check(source: ProfileSource, mapping: Mapping[str, str] | None = None) -> SeenIds:
    """The repeat check for the profiles of `source`, which it reads again at the first
    id that may be a repeat."""
    file = source_name(source)

    def reread() -> Iterator[tuple[int | None, Any]]:
        # Unreadable further on: the reading in progress reports it there.
        with contextlib.suppress(ProfileError):
            yield from _records(source, file, mapping or {})

    return SeenIds(reread)


def _open_text(path: Path, file: str) -> tuple[TextIO, str]:
    try:
        with path.open("rb") as raw:
            codec, label = detect_encoding(raw.read(4))
        return path.open(encoding=codec, newline=""), label
    except FileNotFoundError:
        raise ProfileError(Problem(file, "profile file not found")) from None
    except IsADirectoryError:
        raise ProfileError(Problem(file, "profile file is a folder, expected a file")) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ProfileError(Problem(file, f"cannot read profile file: {reason}")) from None


def _profile(
    record: Any, file: str, line: int | None, seen: SeenIds | None
) -> Profile | RecordProblem:
    if not isinstance(record, dict):
        return RecordProblem(
            file, line, f"expected a mapping of profile fields, got {describe(record)}"
        )
    raw_id = record.get("id")
    if raw_id is None or raw_id == "":
        return RecordProblem(file, line, 'missing required key "id"')
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return RecordProblem(file, line, f"id: expected a text, got {describe(raw_id)}")
    profile_id = str(raw_id)
    repeat = seen.repeat(profile_id, file, line) if seen is not None else None
    if repeat is not None:
        return repeat
    return Profile(id=profile_id, data=record, file=file, line=line)
