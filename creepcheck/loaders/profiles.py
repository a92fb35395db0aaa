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

import csv
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeGuard, TypeVar

import yaml
from yaml.events import DocumentStartEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders import warehouse
from creepcheck.loaders.profile_schema import CHECKED_INSIDE
from creepcheck.loaders.records import (
    RecordProblem,
    as_lists,
    csv_columns,
    csv_value,
    put_path,
)
from creepcheck.loaders.yamlio import (
    MAX_DEPTH,
    LineLoader,
    describe,
    detect_encoding,
    display_path,
    encoding_message,
    problem_from_yaml_error,
)
from creepcheck.models import DatabaseQuery, Profile, ProfileSource

EXTENSIONS = (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".csv", ".parquet", ".pq")
EXPECTED = "expected .yaml, .yml, .json, .jsonl, .ndjson, .csv or .parquet, or a database query"
CHUNK = 1 << 16  # characters read at a time from a JSON array
MAX_RECORD = 64 << 20  # characters of a single JSON array element
CSV_DELIMITERS = (",", ";", "\t", "|")
_SPACE = re.compile(r"\s*")
NO_PROFILES = "no profiles in the file: expected at least one profile record to check"
NO_ROWS = "no profiles: the query returned no rows, expected at least one profile to check"
_T = TypeVar("_T")

Read = tuple[int | None, Any]  # (first line of the record, the record or a RecordProblem)


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
    record = _json_record(text, file, line)
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
                header = next(_csv_rows(stream), None)
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
    seen = SeenIds(source, mapping)
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
            yield from _not_none(_READERS[suffix](stream, file, mapping), file)
        except UnicodeDecodeError as exc:
            raise ProfileError(Problem(file, encoding_message(label, exc))) from None


class SeenIds:
    """The profile ids read so far from a file, to reject a repeated one with the line
    of the first.

    Only the ids are kept: a full audience's line numbers would double the memory. At
    the first repeat the file is read again, once, for the lines of the ids so far;
    from then on every id's line is kept.
    """

    def __init__(self, source: ProfileSource, mapping: Mapping[str, str] | None = None) -> None:
        self._source, self._mapping = source, mapping or {}
        self._ids: set[str] = set()
        self._lines: dict[str, int | None] | None = None

    def repeat(self, profile_id: str, file: str, line: int | None) -> RecordProblem | None:
        """Record the id; the problem to report when it was read before."""
        if profile_id not in self._ids:
            self._ids.add(profile_id)
            if self._lines is not None:
                self._lines[profile_id] = line
            return None
        first = self._first_line(profile_id)
        where = f" (first on line {first})" if first else ""
        return RecordProblem(file, line, f"duplicate id {describe(profile_id)}{where}")

    def _first_line(self, profile_id: str) -> int | None:
        if self._lines is None:
            self._lines = {}
            try:
                records = _records(self._source, source_name(self._source), self._mapping)
                for line, record in records:
                    key = _record_id(record)
                    if key is not None and key in self._ids and key not in self._lines:
                        self._lines[key] = line
            except ProfileError:
                pass  # unreadable further on: the reading in progress will report it there
        return self._lines.get(profile_id)


def _record_id(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    raw_id = record.get("id")
    if raw_id is None or raw_id == "" or isinstance(raw_id, bool):
        return None
    return str(raw_id) if isinstance(raw_id, str | int) else None


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


# --- YAML --------------------------------------------------------------------------------


def _read_yaml(stream: TextIO, file: str, mapping: Mapping[str, str]) -> Iterator[Read]:
    loader = None
    try:
        loader = LineLoader(stream)
        yield from _yaml_items(loader, file)
    except yaml.YAMLError as exc:
        raise ProfileError(problem_from_yaml_error(exc, file)) from None
    except RecursionError:
        raise ProfileError(Problem(file, f"nested more than {MAX_DEPTH} levels deep")) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_items(loader: LineLoader, file: str) -> Iterator[Read]:
    loader.get_event()  # stream start
    if loader.check_event(StreamEndEvent):
        raise ProfileError(Problem(file, "empty profile file: expected a list of profiles"))
    loader.get_event()  # document start
    if not loader.check_event(SequenceStartEvent):
        top = loader.compose_node(None, None)
        message = f"expected a list of profiles, got {_node_kind(top)}"
        raise ProfileError(Problem(file, message, top.start_mark.line + 1))
    loader.get_event()
    while not loader.check_event(SequenceEndEvent):
        loader.reset_limits()
        node = loader.compose_node(None, None)
        yield node.start_mark.line + 1, _construct(loader, node, file)
    loader.get_event()  # sequence end
    loader.get_event()  # document end
    if loader.check_event(DocumentStartEvent):
        mark = loader.peek_event().start_mark
        message = "expected a single list of profiles, but found another document (---)"
        raise ProfileError(Problem(file, message, mark.line + 1))


def _construct(loader: LineLoader, node: yaml.Node, file: str) -> Any:
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        loader.constructed_objects, loader.recursive_objects = {}, {}
        loader.state_generators, loader.deep_construct = [], False
        problem = problem_from_yaml_error(exc, file)
        return RecordProblem(file, problem.line, problem.message)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, yaml.SequenceNode) else f'"{node.value}"'


# --- JSON and JSON Lines -----------------------------------------------------------------


def _read_jsonl(stream: TextIO, file: str, mapping: Mapping[str, str]) -> Iterator[Read]:
    for number, text in enumerate(stream, start=1):
        if text.strip():
            yield number, _json_record(text, file, number)


def _json_record(text: str, file: str, line: int) -> Any:
    try:
        record = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return RecordProblem(file, line, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
        return RecordProblem(file, line, f"invalid JSON: {_reason(exc)}")
    if _may_nest_deeply(text) and too_deep(record):
        return RecordProblem(file, line, f"nested more than {MAX_DEPTH} levels deep")
    return record


def _may_nest_deeply(text: str) -> bool:
    """Whether a line has enough brackets to nest past the limit; most have a handful."""
    return text.count("{") + text.count("[") > MAX_DEPTH


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return f"nested more than {MAX_DEPTH} levels deep"
    return str(exc).split(";")[0]


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether nested lists and mappings go more than `limit` levels deep."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _read_json(stream: TextIO, file: str, mapping: Mapping[str, str]) -> Iterator[Read]:
    reader = _JsonArrayReader(stream, file)
    first = reader.first_char()
    if first == "":
        raise ProfileError(Problem(file, "empty profile file: expected a JSON array of profiles"))
    if first == "{":
        yield from _misnamed_jsonl(stream, file)
        return
    if first != "[":
        message = f"expected a JSON array of profiles, got {describe(reader.preview())}"
        raise ProfileError(Problem(file, message, reader.line))
    yield from reader.items()


def _misnamed_jsonl(stream: TextIO, file: str) -> Iterator[Read]:
    stream.seek(0)
    lines = enumerate(stream, start=1)
    for number, text in lines:
        if text.strip():
            record = _json_record(text, file, number)
            if not isinstance(record, dict):
                message = "expected a JSON array of profiles, got an object"
                raise ProfileError(Problem(file, message, number))
            yield number, record
            break
    for number, text in lines:
        if text.strip():
            yield number, _json_record(text, file, number)


class _JsonArrayReader:
    """Decodes the elements of a top-level JSON array from a buffered text stream."""

    def __init__(self, stream: TextIO, file: str) -> None:
        self.stream = stream
        self.file = file
        self.buffer = ""
        self.pos = 0
        self.line = 1  # line of self.pos
        self.eof = False
        self.decoder = json.JSONDecoder()

    def first_char(self) -> str:
        self._skip_space()
        return self.buffer[self.pos : self.pos + 1]

    def preview(self) -> str:
        return self.buffer[self.pos : self.pos + 20].split("\n")[0]

    def items(self) -> Iterator[Read]:
        self._advance(self.pos + 1)  # past "["
        self._skip_space()
        if self._peek() == "]":
            return
        while True:
            line = self.line
            yield line, self._element(line)
            self._skip_space()
            separator = self._peek()
            self._advance(self.pos + 1)
            if separator == "]":
                return
            if separator != ",":
                self._fail('expected "," or "]" after a profile', separator)
            self._skip_space()

    def _element(self, line: int) -> Any:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except (ValueError, RecursionError) as exc:
                if self._cut_short(exc) and self._more():
                    continue
                self._broken(exc)
            if end < len(self.buffer) or not self._more():  # a number may go on
                break
        self._advance(end)
        if too_deep(value):
            return RecordProblem(self.file, line, f"nested more than {MAX_DEPTH} levels deep")
        return value

    def _cut_short(self, exc: BaseException) -> bool:
        """Whether decoding failed because the buffer ends inside the element."""
        if not isinstance(exc, json.JSONDecodeError):
            return False
        return exc.pos >= len(self.buffer) - 16 or exc.msg.startswith("Unterminated string")

    def _broken(self, exc: BaseException) -> None:
        if isinstance(exc, json.JSONDecodeError):
            line = self.line + self.buffer.count("\n", self.pos, exc.pos)
            raise ProfileError(Problem(self.file, f"invalid JSON: {exc.msg}", line)) from None
        raise ProfileError(Problem(self.file, f"invalid JSON: {_reason(exc)}", self.line)) from None

    def _fail(self, message: str, found: str) -> None:
        got = describe(found) if found else "the end of the file"
        raise ProfileError(Problem(self.file, f"invalid JSON: {message}, got {got}", self.line))

    def _peek(self) -> str:
        if self.pos >= len(self.buffer):
            self._more()
        return self.buffer[self.pos : self.pos + 1]

    def _skip_space(self) -> None:
        while True:
            match = _SPACE.match(self.buffer, self.pos)
            self._advance(match.end() if match else self.pos)
            if self.pos < len(self.buffer) or not self._more():
                return

    def _advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.pos, to)
        self.pos = to

    def _more(self) -> bool:
        """Read another chunk, dropping what has been consumed; False at end of file."""
        if self.eof:
            return False
        chunk = self.stream.read(max(CHUNK, len(self.buffer) - self.pos))  # doubling
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        self.eof = not chunk
        if len(self.buffer) > MAX_RECORD:
            message = f"a single profile is larger than {MAX_RECORD >> 20} MB"
            raise ProfileError(Problem(self.file, message, self.line))
        return bool(chunk)


# --- CSV ---------------------------------------------------------------------------------


class _CsvReader(Protocol):
    """What `csv.reader` returns: rows, and the line the last one ended on."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def _csv_rows(stream: TextIO) -> _CsvReader:
    """The rows of a CSV file, with the delimiter its header line uses."""
    header = stream.readline()
    lines = itertools.chain([header] if header else [], stream)
    return csv.reader(lines, delimiter=csv_delimiter(header))


def csv_delimiter(header: str) -> str:
    """`,` `;` tab or `|`: whichever the header line has most of (`,` when none), so an
    export from a spreadsheet set to a European locale (`;`) reads as it is."""
    counts = {delimiter: header.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(stream: TextIO, file: str, mapping: Mapping[str, str]) -> Iterator[Read]:
    rows = _csv_rows(stream)
    try:
        header = next(rows, None)
        if header is None:
            raise ProfileError(
                Problem(file, "empty profile file: expected a header row of column names")
            )
        columns = csv_columns(header, mapping, file)
        line = rows.line_num + 1
        for row in rows:
            if any(cell.strip() for cell in row):
                yield line, _csv_record(row, columns, file, line)
            line = rows.line_num + 1
    except csv.Error as exc:
        raise ProfileError(Problem(file, f"invalid CSV: {exc}", rows.line_num or None)) from None


def _csv_record(row: list[str], columns: list[tuple[str, ...] | None], file: str, line: int) -> Any:
    if len(row) > len(columns):
        message = f"row has {len(row)} cells but the header has {len(columns)} columns"
        return RecordProblem(file, line, message)
    tree: dict[Any, Any] = {}
    for parts, cell in zip(columns, row, strict=False):
        if parts is not None and cell.strip() != "":
            put_path(tree, parts, csv_value(parts[-1], cell))
    return as_lists(tree)


_READERS = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
}
