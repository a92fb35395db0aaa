"""Profiles from where the audience is kept: Parquet files and DuckDB queries (SPEC 1.3).

Both are read as Arrow record batches of `BATCH_ROWS` rows, so a table of millions of
profiles is never in memory at once. A row becomes a profile as a CSV row does: each
column name goes through `mapping:` and its dots build the nested form
(`contact_points.email.0.value`); a struct column is a mapping and a list column a
list, so `consents` may be a struct of structs and `contact_points.email` a list of
structs. Nulls are absent fields, dates and timestamps ISO 8601 text (as in JSON), and a
text column of a list, true/false or number field is read as a CSV cell (`a;b`).
A profile's "line" is its row, from 1, in its file or query result.

The database and its query come from an untrusted campaign repository, so:

- the query is one SELECT statement (`WITH`, `FROM`-first included), nothing else;
- the database is opened read-only, with external access (files, network, other
  databases) and extension loading off, and its configuration locked before the query
  runs: `read_csv('/etc/passwd')`, `ATTACH`, `COPY` and `INSTALL` all fail;
- producing each batch is bounded by `QUERY_SECONDS`: a query that runs longer is
  interrupted, never left to hang the run; its memory by `MEMORY_LIMIT`, without
  spilling to disk.

pyarrow and duckdb are the `creepcheck[warehouse]` extra, imported only when a Parquet
file or a database is read.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders.profile_schema import CHECKED_INSIDE
from creepcheck.loaders.records import RecordProblem, as_lists, csv_columns, csv_value, put_path
from creepcheck.loaders.yamlio import MAX_DEPTH, describe, display_path
from creepcheck.models import DatabaseQuery

if TYPE_CHECKING:
    import pyarrow as pa

PARQUET_SUFFIXES = (".parquet", ".pq")
DATABASE_SUFFIXES = (".duckdb", ".ddb", ".db")
BATCH_ROWS = 1024
QUERY_SECONDS = 60.0  # the longest DuckDB may take to produce one batch of rows
MEMORY_LIMIT = "1GB"  # the most DuckDB may hold for a query
INSTALL_HINT = "pip install 'creepcheck[warehouse]'"
ALLOWED_TYPES = "text, numbers, true/false, dates and timestamps, lists, structs or maps"
CONVERTED = ("purposes", "segments", "consented_uses", "do_not_contact", "erasure_requested")

Read = tuple[int | None, Any]  # (row, the record or a RecordProblem), as profiles.Read


def is_parquet(path: Path) -> bool:
    """A `.parquet` file, or a folder of them (as Spark and most warehouses export)."""
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    return path.is_dir() and any(_parquet_parts(path))


def is_database(path: Path) -> bool:
    return path.suffix.lower() in DATABASE_SUFFIXES


def _module(name: str, file: str) -> Any:
    """pyarrow or duckdb, or a ProfileError saying how to install them."""
    try:
        return importlib.import_module(name)
    except ImportError:
        message = f"reading this profile source needs {name}: {INSTALL_HINT}"
        raise ProfileError(Problem(file, message)) from None


QUERY_KEYS = ("database", "query")


def query_setting(value: Mapping[Any, Any]) -> tuple[str, str]:
    """`{database: FILE, query: SELECT ...}` as written in a campaign or the config, as
    (database, query); ValueError says what is wrong (the path is confined by the caller)."""
    unknown = [str(key) for key in value if key not in QUERY_KEYS]
    if unknown:
        raise ValueError(f'unknown key "{unknown[0]}": expected database and query')
    found: list[str] = []
    for key, what in (("database", "a DuckDB database file"), ("query", "a SELECT statement")):
        text = value.get(key)
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{key}: expected {what}, got {describe(text)}")
        found.append(text)
    return found[0], found[1]


# --- Parquet -----------------------------------------------------------------------------


def _parquet_parts(folder: Path) -> list[Path]:
    """The data files of a folder, in name order; hidden and `_` files and folders
    (`_SUCCESS`, `.spark-staging`) are a writer's own, not data."""
    return sorted(
        part
        for suffix in PARQUET_SUFFIXES
        for part in folder.rglob(f"*{suffix}")
        if part.is_file()
        and not any(name.startswith((".", "_")) for name in part.relative_to(folder).parts)
    )


def _parquet_files(path: Path, file: str) -> list[Path]:
    """The Parquet files of `path`: itself, or the parts of a folder. A part that is a
    link leading out of the folder is refused, like any path a repository names."""
    if not path.exists():
        raise ProfileError(Problem(file, "profile file not found"))
    if not path.is_dir():
        return [path]
    parts = _parquet_parts(path)
    folder = path.resolve()
    for part in parts:
        if not part.resolve().is_relative_to(folder):
            message = f'"{display_path(part)}" leads outside the folder {file}'
            raise ProfileError(Problem(file, message))
    if not parts:
        raise ProfileError(Problem(file, "no .parquet files in the folder"))
    return parts


def parquet_records(path: Path, mapping: Mapping[str, str]) -> Iterator[Read]:
    """The rows of a Parquet file, or of a folder's parts one after the other (rows
    numbered on across them)."""
    file = display_path(path)
    pq, arrow = _module("pyarrow.parquet", file), _module("pyarrow", file)
    rows = 0  # before this part
    for part in _parquet_files(path, file):
        try:
            with pq.ParquetFile(part, buffer_size=1 << 20) as reader:  # pages read as needed
                batches = reader.iter_batches(batch_size=BATCH_ROWS)
                columns = _columns(reader.schema_arrow, mapping, display_path(part))
                for row, record in _arrow_records(columns, batches, file, rows):
                    yield row, record
                    rows = row
        except (OSError, arrow.ArrowException) as exc:
            message = f"cannot read Parquet file: {_reason(exc)}"
            raise ProfileError(Problem(display_path(part), message)) from None


def parquet_fields(path: Path, mapping: Mapping[str, str]) -> list[str]:
    """The field paths a Parquet source's columns set (its first file's schema)."""
    pq, arrow = _module("pyarrow.parquet", display_path(path)), _module("pyarrow", "")
    part = _parquet_files(path, display_path(path))[0]
    try:
        schema = pq.read_schema(part)
    except (OSError, arrow.ArrowException) as exc:
        message = f"cannot read Parquet file: {_reason(exc)}"
        raise ProfileError(Problem(display_path(part), message)) from None
    return _schema_paths(schema, mapping, display_path(part))


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__


# --- DuckDB ------------------------------------------------------------------------------

LOCKED_DOWN: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "memory_limit": MEMORY_LIMIT,
    "temp_directory": "",  # no spilling: it would write beside the database
}


def locked_connection(database: Path) -> Any:
    """The database opened read-only, reaching nothing beyond it, settings locked."""
    import duckdb

    connection = duckdb.connect(str(database), read_only=True, config=LOCKED_DOWN)
    try:
        connection.execute("SET enable_progress_bar = false")  # it would print on the terminal
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def query_records(source: DatabaseQuery, mapping: Mapping[str, str]) -> Iterator[Read]:
    file = display_path(source.database)
    with _query_batches(source, file) as (schema, batches):
        yield from _arrow_records(_columns(schema, mapping, file), batches, file)


def query_fields(source: DatabaseQuery, mapping: Mapping[str, str]) -> list[str]:
    """The field paths the query's result columns set (from its schema: no row is read)."""
    file = display_path(source.database)
    with _query_batches(source, file, rows=False) as (schema, _):
        return _schema_paths(schema, mapping, file)


def check_query(query: str, file: str) -> None:
    """Reject anything but a single SELECT statement, before a database is opened."""
    duckdb = _module("duckdb", file)
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise ProfileError(Problem(file, f"query: {_duck_reason(exc)}")) from None
    if len(statements) != 1:
        message = f"query: expected one SELECT statement, got {len(statements)} statements"
        raise ProfileError(Problem(file, message))
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = str(getattr(kind, "name", kind)).upper()
        message = f"query: only a SELECT statement may be run, got {name}"
        raise ProfileError(Problem(file, message))


@contextmanager
def _query_batches(
    source: DatabaseQuery, file: str, rows: bool = True
) -> Iterator[tuple[pa.Schema, Iterator[pa.RecordBatch]]]:
    check_query(source.query, file)
    duckdb, arrow = _module("duckdb", file), _module("pyarrow", file)
    if not source.database.is_file():
        what = "a folder, expected a DuckDB database file" if source.database.is_dir() else None
        raise ProfileError(Problem(file, f"database is {what}" if what else "database not found"))
    try:
        connection = locked_connection(source.database)
    except duckdb.Error as exc:
        message = f"cannot open DuckDB database: {_duck_reason(exc)}"
        raise ProfileError(Problem(file, message)) from None
    try:
        with _deadline(connection, file):
            relation = connection.sql(source.query)
            if not rows:
                relation = relation.limit(0)
            reader = relation.to_arrow_reader(BATCH_ROWS)
        yield reader.schema, _batches(reader, connection, file)
    except duckdb.Error as exc:
        raise ProfileError(Problem(file, _query_problem(exc, duckdb))) from None
    except arrow.ArrowException as exc:  # a result Arrow cannot hold
        raise ProfileError(Problem(file, f"query: {_reason(exc)}")) from None
    finally:
        connection.close()


def _batches(reader: Any, connection: Any, file: str) -> Iterator[pa.RecordBatch]:
    while True:
        with _deadline(connection, file):
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
        yield batch


@contextmanager
def _deadline(connection: Any, file: str) -> Iterator[None]:
    """Interrupt the connection's query when the block takes longer than QUERY_SECONDS."""
    expired = threading.Event()

    def interrupt() -> None:
        expired.set()
        connection.interrupt()

    timer = threading.Timer(QUERY_SECONDS, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception:
        if expired.is_set():
            message = (
                f"query: stopped after {QUERY_SECONDS:g} s without producing the next rows; "
                "narrow the query or select fewer rows"
            )
            raise ProfileError(Problem(file, message)) from None
        raise
    finally:
        timer.cancel()


def _query_problem(exc: BaseException, duckdb: Any) -> str:
    if isinstance(exc, duckdb.OutOfMemoryException):
        return f"query: needs more than {MEMORY_LIMIT} of memory; narrow the query"
    if isinstance(exc, duckdb.PermissionException):
        return (
            "query: refused, the query may read only the tables of its database "
            f"(no files, network, other databases or extensions): {_duck_reason(exc)}"
        )
    return f"query: {_duck_reason(exc)}"


def _duck_reason(exc: BaseException) -> str:
    """DuckDB's message on one line, without the query excerpt it appends."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    kind, _, rest = first.partition(": ")
    return rest if rest and kind.endswith("Error") else first


# --- Arrow batches to records ------------------------------------------------------------


Convert = Callable[[Any], Any]
# Each column's field path (None: not read), its name, and how its values become the
# shapes JSON gives (None: as they are).
Columns = list[tuple[tuple[str, ...] | None, str, Convert | None]]


def _arrow_records(
    columns: Columns, batches: Iterator[pa.RecordBatch], file: str, row: int = 0
) -> Iterator[tuple[int, Any]]:
    """Each row of the batches as a record, numbered on from `row`."""
    dotted = {parts[0] for parts, _, _ in columns if parts is not None and len(parts) > 1}
    for batch in batches:
        values = [_column_values(batch.column(i)) for i in range(batch.num_columns)]
        for index in range(batch.num_rows):
            row += 1
            yield row, _record(columns, values, index, file, row, dotted)


def batch_records(
    batch: pa.RecordBatch, rows: list[int], mapping: Mapping[str, str], file: str
) -> Iterator[tuple[int, Any]]:
    """The rows of a batch of a table read elsewhere (a Spark partition), numbered
    `rows`, as records (or RecordProblems), exactly as a Parquet file's rows are."""
    columns = _columns(batch.schema, mapping, file)
    dotted = {parts[0] for parts, _, _ in columns if parts is not None and len(parts) > 1}
    values = [_column_values(batch.column(i)) for i in range(batch.num_columns)]
    for index, row in enumerate(rows):
        yield row, _record(columns, values, index, file, row, dotted)


def schema_fields(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> list[str]:
    """The field paths a table's columns set; a column of a type that has no profile
    value is a ProfileError naming it."""
    return _schema_paths(schema, mapping, file)


def _columns(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> Columns:
    """Each column's field path after `mapping` (as a CSV header's), and its name; a
    column of a type that has no profile value is a ProfileError naming it."""

    for field in schema:
        problem = _type_problem(field.type, 1)
        if problem is not None:
            message = f"column {describe(field.name)}: {problem}: expected {ALLOWED_TYPES}"
            raise ProfileError(Problem(file, message))
    try:
        paths = csv_columns(list(schema.names), mapping, file)
    except ProfileError as exc:  # a CSV header's problems are on line 1; a schema has none
        raise ProfileError([replace(p, line=None) for p in exc.problems]) from None
    return [
        (parts, field.name, _converter(field.type))
        for parts, field in zip(paths, schema, strict=True)
    ]


def _type_problem(kind: Any, depth: int) -> str | None:
    import pyarrow.types as types

    if depth > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} levels deep"
    if types.is_dictionary(kind):
        return _type_problem(kind.value_type, depth)
    if types.is_struct(kind):
        inner = (_type_problem(kind.field(i).type, depth + 1) for i in range(kind.num_fields))
        return next((p for p in inner if p), None)
    if types.is_map(kind):
        if not (types.is_string(kind.key_type) or types.is_large_string(kind.key_type)):
            return f"a map with {kind.key_type} keys cannot be read (keys must be text)"
        return _type_problem(kind.item_type, depth + 1)
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        return _type_problem(kind.value_type, depth + 1)
    readable = (
        types.is_null(kind)
        or types.is_boolean(kind)
        or types.is_integer(kind)
        or types.is_floating(kind)
        or types.is_decimal(kind)
        or types.is_string(kind)
        or types.is_large_string(kind)
        or types.is_date(kind)
        or types.is_timestamp(kind)
        or types.is_time(kind)
    )
    return None if readable else f"{kind} values cannot be read"


class _Unreadable:
    """A value of a batch that Arrow could not turn into a Python value."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _column_values(column: pa.Array) -> list[Any]:
    """A column's Python values; one that cannot be converted (a date past year 9999)
    is an `_Unreadable` in its row, the column's other values are kept."""
    try:
        return list(column.to_pylist())
    except (ValueError, OverflowError, ArithmeticError):
        values: list[Any] = []
        for index in range(len(column)):
            try:
                values.append(column[index].as_py())
            except (ValueError, OverflowError, ArithmeticError) as exc:
                values.append(_Unreadable(_reason(exc)))
        return values


def _record(
    columns: Columns,
    values: list[list[Any]],
    index: int,
    file: str,
    row: int,
    dotted: set[str],
) -> Any:
    """A row as a profile record: dotted column names built into the nested form (a
    CSV row's `_put` and `_lists`), the rest set as they are. `dotted`: the fields that
    dotted columns build."""
    tree: dict[Any, Any] = {}
    for (parts, name, convert), column in zip(columns, values, strict=True):
        value = column[index]
        if parts is None or value is None:
            continue
        if isinstance(value, _Unreadable):
            message = f"column {describe(name)}: unreadable value ({value.reason})"
            return RecordProblem(file, row, f"{message}: expected {ALLOWED_TYPES}")
        if isinstance(value, str) and parts[-1].endswith(CONVERTED):
            value = csv_value(parts[-1], value)
        if convert is not None:
            value = convert(value)
        if len(parts) == 1:
            tree[parts[0]] = value
        else:
            put_path(tree, parts, value)
    for top in dotted:
        if top in tree:
            tree[top] = as_lists(tree[top])
    return tree


def _converter(kind: Any) -> Convert | None:
    """How values of an Arrow type become the shapes JSON gives: a struct or a map is a
    mapping without its null fields, dates and times ISO 8601 text, a decimal a
    number. None when the Python value is already that (text, numbers, true/false)."""
    import pyarrow.types as types

    if types.is_dictionary(kind):
        return _converter(kind.value_type)
    if types.is_struct(kind):
        inner = {kind.field(i).name: _converter(kind.field(i).type) for i in range(kind.num_fields)}
        return lambda value: {
            key: _apply(inner.get(key), item) for key, item in value.items() if item is not None
        }
    if types.is_map(kind):
        item_convert = _converter(kind.item_type)
        return lambda pairs: {
            str(key): _apply(item_convert, item) for key, item in pairs if item is not None
        }
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        each = _converter(kind.value_type)
        return None if each is None else lambda items: [_apply(each, item) for item in items]
    if types.is_date(kind) or types.is_timestamp(kind) or types.is_time(kind):
        return _iso
    if types.is_decimal(kind):
        return _number
    return None


def _apply(convert: Convert | None, value: Any) -> Any:
    return value if convert is None or value is None else convert(value)


def _iso(value: date | time) -> str:
    return value.isoformat()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _schema_paths(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> list[str]:
    """The field paths of a schema's columns after `mapping`, with the inner names of
    struct columns creepcheck reads inside (`consents.email.status`)."""
    paths: list[str] = []
    for parts, name, _ in _columns(schema, mapping, file):
        if parts is not None:
            paths.extend(_type_paths(".".join(parts), schema.field(name).type, parts[0]))
    return list(dict.fromkeys(paths))


def _type_paths(prefix: str, kind: Any, top: str, depth: int = 1) -> Iterator[str]:
    import pyarrow.types as types

    if top in CHECKED_INSIDE and depth <= 4:
        if types.is_struct(kind) and kind.num_fields:
            for i in range(kind.num_fields):
                inner = kind.field(i)
                yield from _type_paths(f"{prefix}.{inner.name}", inner.type, top, depth + 1)
            return
        listed = types.is_list(kind) or types.is_large_list(kind)
        if listed and types.is_struct(kind.value_type):
            yield from _type_paths(f"{prefix}.0", kind.value_type, top, depth + 1)
            return
    yield prefix
