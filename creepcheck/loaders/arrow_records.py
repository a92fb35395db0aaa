"""Arrow record batches (from Parquet or DuckDB) as profile records: each column's
field path, its values converted to the shapes JSON gives, and a RecordProblem for a row
that cannot be read."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem, ProfileError
from creepcheck.loaders.profile_schema import CHECKED_INSIDE
from creepcheck.loaders.records import RecordProblem, as_lists, csv_columns, csv_value, put_path
from creepcheck.loaders.yamlio import MAX_DEPTH, describe

if TYPE_CHECKING:
    import pyarrow as pa

ALLOWED_TYPES = "text, numbers, true/false, dates and timestamps, lists, structs or maps"
CONVERTED = ("purposes", "segments", "consented_uses", "do_not_contact", "erasure_requested")


Convert = Callable[[Any], Any]
# Each column's field path (None: not read), its name, and how its values become the
# shapes JSON gives (None: as they are).
Columns = list[tuple[tuple[str, ...] | None, str, Convert | None]]


def arrow_records(
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
    columns = columns_of(batch.schema, mapping, file)
    dotted = {parts[0] for parts, _, _ in columns if parts is not None and len(parts) > 1}
    values = [_column_values(batch.column(i)) for i in range(batch.num_columns)]
    for index, row in enumerate(rows):
        yield row, _record(columns, values, index, file, row, dotted)


def schema_fields(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> list[str]:
    """The field paths a table's columns set; a column of a type that has no profile
    value is a ProfileError naming it."""
    return schema_paths(schema, mapping, file)


def columns_of(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> Columns:
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
                values.append(_Unreadable(first_line(exc)))
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


def schema_paths(schema: pa.Schema, mapping: Mapping[str, str], file: str) -> list[str]:
    """The field paths of a schema's columns after `mapping`, with the inner names of
    struct columns creepcheck reads inside (`consents.email.status`)."""
    paths: list[str] = []
    for parts, name, _ in columns_of(schema, mapping, file):
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


def first_line(exc: BaseException) -> str:
    """What went wrong, on one line."""
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
