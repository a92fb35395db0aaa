"""Profile records from YAML, JSON, JSON Lines and CSV text, streamed: one reader per
file format (`READERS`), each yielding (line, record) or a RecordProblem."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, TextIO

import yaml
from yaml.events import DocumentStartEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from creepcheck.errors import Problem, ProfileError
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
    problem_from_yaml_error,
)

CHUNK = 1 << 16  # characters read at a time from a JSON array
MAX_RECORD = 64 << 20  # characters of a single JSON array element
CSV_DELIMITERS = (",", ";", "\t", "|")
_SPACE = re.compile(r"\s*")
Read = tuple[int | None, Any]  # (first line of the record, the record or a RecordProblem)


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
            yield number, json_record(text, file, number)


def json_record(text: str, file: str, line: int) -> Any:
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
            record = json_record(text, file, number)
            if not isinstance(record, dict):
                message = "expected a JSON array of profiles, got an object"
                raise ProfileError(Problem(file, message, number))
            yield number, record
            break
    for number, text in lines:
        if text.strip():
            yield number, json_record(text, file, number)


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


def csv_rows(stream: TextIO) -> _CsvReader:
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
    rows = csv_rows(stream)
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


READERS = {
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
}
