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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders.arrow_records import (
    arrow_records,
    columns_of,
    first_line,
    schema_paths,
)
from creepcheck.loaders.yamlio import describe, display_path
from creepcheck.models import DatabaseQuery

if TYPE_CHECKING:
    import pyarrow as pa

PARQUET_SUFFIXES = (".parquet", ".pq")
DATABASE_SUFFIXES = (".duckdb", ".ddb", ".db")
BATCH_ROWS = 1024
QUERY_SECONDS = 60.0  # the longest DuckDB may take to produce one batch of rows
MEMORY_LIMIT = "1GB"  # the most DuckDB may hold for a query
INSTALL_HINT = "pip install 'creepcheck[warehouse]'"

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
                # One thread: decoding columns in parallel holds each column's pages at
                # once, about 30 MB more at 200,000 rows, for no gain: rows become dicts
                # one at a time.
                batches = reader.iter_batches(batch_size=BATCH_ROWS, use_threads=False)
                columns = columns_of(reader.schema_arrow, mapping, display_path(part))
                for row, record in arrow_records(columns, batches, file, rows):
                    yield row, record
                    rows = row
        except (OSError, arrow.ArrowException) as exc:
            message = f"cannot read Parquet file: {first_line(exc)}"
            raise ProfileError(Problem(display_path(part), message)) from None


def parquet_fields(path: Path, mapping: Mapping[str, str]) -> list[str]:
    """The field paths a Parquet source's columns set (its first file's schema)."""
    pq, arrow = _module("pyarrow.parquet", display_path(path)), _module("pyarrow", "")
    part = _parquet_files(path, display_path(path))[0]
    try:
        schema = pq.read_schema(part)
    except (OSError, arrow.ArrowException) as exc:
        message = f"cannot read Parquet file: {first_line(exc)}"
        raise ProfileError(Problem(display_path(part), message)) from None
    return schema_paths(schema, mapping, display_path(part))


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
        yield from arrow_records(columns_of(schema, mapping, file), batches, file)


def query_fields(source: DatabaseQuery, mapping: Mapping[str, str]) -> list[str]:
    """The field paths the query's result columns set (from its schema: no row is read)."""
    file = display_path(source.database)
    with _query_batches(source, file, rows=False) as (schema, _):
        return schema_paths(schema, mapping, file)


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
        raise ProfileError(Problem(file, f"query: {first_line(exc)}")) from None
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
