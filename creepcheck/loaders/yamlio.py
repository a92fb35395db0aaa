"""Safe YAML loading with line numbers and limits.

Every mapping comes back as a `LineDict` and every sequence as a `LineList`, so
validators can point at the line of a bad key or list item. The loader is PyYAML's
pure-Python `SafeLoader` with three extra guards for hostile files: duplicate keys
are an error, alias expansion is bounded (a "billion laughs" file fails at once) and
nesting depth is bounded. Bytes are decoded here too: UTF-8 with or without a byte
order mark, UTF-16 and UTF-32 with one.

Nothing but `creepcheck.errors` exceptions leaves this module.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from creepcheck.errors import Problem, UserError, excerpt
from creepcheck.privacy.outbound import input_value

# Quoted input is cut to an excerpt at the outbound boundary, after masking; this bound
# only keeps a huge value from being copied through every message built from it.
MAX_DESCRIBED = 1_000
MAX_ALIASES = 10_000  # alias references in one document (or one streamed item)
MAX_NODES = 1_000_000  # nodes of the document once every alias is expanded
MAX_DEPTH = 100  # nested mappings and sequences

_MERGE_TAG = "tag:yaml.org,2002:merge"
_ENCODING_ADVICE = "save the file as UTF-8, or as UTF-16/UTF-32 with a byte order mark"

# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers where it and each of its keys start (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of `key`, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line) or self.line


class LineList(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers where it and each of its items start (1-based)."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item `index`, else the line of the sequence itself."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class YamlWord(str):
    """A plain `yes`, `no`, `on` or `off`. YAML 1.1 (PyYAML) reads them as booleans,
    which loses what a person meant by `country: NO` or `first_name: Yes` ("Hei True!").
    The word stays text, as YAML 1.2 has it, and is true or false as YAML 1.1 would have
    it, so a flag (`do_not_contact: yes`) and a template's `{% if vip %}` read as
    before."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return self.lower() in {"yes", "on"}

    def __liquid__(self) -> bool:
        """What a Liquid condition sees (python-liquid's protocol; output still prints
        the word): `{% if vip %}` with `vip: no` is false there too."""
        return bool(self)


_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


class LimitError(yaml.MarkedYAMLError):
    """A file broke one of our own rules (limits, duplicate keys); message is final."""


def line_of(value: Any, key: Any = None) -> int | None:
    """The line of `key` in a LineDict / item in a LineList, or of the value itself."""
    if isinstance(value, LineDict):
        return value.line_of(key) if key is not None else value.line
    if isinstance(value, LineList):
        return value.line_of(key) if isinstance(key, int) else value.line
    return None


class LineLoader(yaml.SafeLoader):
    """SafeLoader building LineDict/LineList, with alias, size and depth limits."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._weights: dict[str, int] = {}  # expanded size of each anchored node
        self.reset_limits()

    def reset_limits(self) -> None:
        """Start counting aliases and nodes afresh (per document or streamed item)."""
        self._aliases = 0
        self._expanded = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)  # type: ignore[return-value]
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(
                problem=f"nested more than {MAX_DEPTH} levels deep: flatten the data",
                problem_mark=event.start_mark,
            )
        before = self._expanded
        self._grow(1, event)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if event.anchor is not None:
            self._weights[event.anchor] = self._expanded - before
        return node  # type: ignore[return-value]

    def compose_document(self) -> Node | None:
        self._weights = {}
        self.reset_limits()
        return super().compose_document()  # type: ignore[no-any-return]

    def _count_alias(self, event: AliasEvent) -> None:
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise LimitError(
                problem=f"more than {MAX_ALIASES} alias references (*name): "
                "write the data out instead of reusing anchors",
                problem_mark=event.start_mark,  # type: ignore[arg-type]
            )
        if event.anchor in self.anchors and event.anchor not in self._weights:
            raise LimitError(
                problem=f"alias *{event.anchor} refers to the anchor that contains it: "
                "recursive data is not allowed",
                problem_mark=event.start_mark,  # type: ignore[arg-type]
            )
        self._grow(self._weights.get(event.anchor or "", 1), event)

    def _grow(self, nodes: int, event: Any) -> None:
        self._expanded += nodes
        if self._expanded > MAX_NODES:
            raise LimitError(
                problem=f"expands to more than {MAX_NODES:,} values once aliases (*name) "
                "are resolved: write the data out instead of nesting anchors",
                problem_mark=event.start_mark,
            )

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # e.g. 2026-02-30, a 5,000-digit int
            reason = f"cannot read {_short(node.value)}: {_cut_quotes(str(exc))}"
            raise yaml.constructor.ConstructorError(
                None, None, reason, node.start_mark
            ) from exc

    def construct_word_or_bool(self, node: ScalarNode) -> bool | YamlWord:
        if str(node.value).lower() in {"true", "false"}:
            return str(node.value).lower() == "true"
        return YamlWord(node.value)

    def construct_number_or_text(self, node: ScalarNode) -> Any:
        """YAML 1.1 reads `21:00` as 1260 and `16:8` as 968 (base 60), and `02134` as the
        octal 1116; a person writing a time, a postcode or an account number with its
        leading zero means the text."""
        if ":" in str(node.value) or _LEADING_ZERO.fullmatch(str(node.value)):
            return str(node.value)
        if node.tag.endswith(":int"):
            return self.construct_yaml_int(node)
        return self.construct_yaml_float(node)

    def construct_line_map(self, node: MappingNode) -> Iterator[LineDict]:
        data = LineDict()
        data.line = node.start_mark.line + 1
        yield data
        self._check_duplicate_keys(node)
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=False)
            if not _hashable(key):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "found a list or mapping used as a key",
                    key_node.start_mark,
                )
            data[key] = self.construct_object(value_node, deep=False)
            data.key_lines[key] = key_node.start_mark.line + 1

    def construct_line_list(self, node: Any) -> Iterator[LineList]:
        data = LineList()
        data.line = node.start_mark.line + 1
        yield data
        for item in node.value:
            data.append(self.construct_object(item, deep=False))
            data.item_lines.append(item.start_mark.line + 1)

    def _check_duplicate_keys(self, node: MappingNode) -> None:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node)
            if not _hashable(key):
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                raise LimitError(
                    problem=f"duplicate key {_quote(key)} (first on line {seen[key]}): "
                    "each key may appear once in a mapping",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = line

    def construct_unknown(self, node: Node) -> Any:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise LimitError(
            problem=f"tag {tag} is not allowed: use plain text, numbers, dates, lists and mappings",
            problem_mark=node.start_mark,
        )


LineLoader.add_constructor(None, LineLoader.construct_unknown)
LineLoader.add_constructor("tag:yaml.org,2002:bool", LineLoader.construct_word_or_bool)
LineLoader.add_constructor("tag:yaml.org,2002:int", LineLoader.construct_number_or_text)
LineLoader.add_constructor("tag:yaml.org,2002:float", LineLoader.construct_number_or_text)
LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_map)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_line_list)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _short(value: Any) -> str:
    return f"'{input_value(str(value)[:MAX_DESCRIBED])}'"


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f'"{input_value(text[:MAX_DESCRIBED])}"'


_QUOTED = re.compile(r"'[^'\n]{41,}'|\"[^\"\n]{41,}\"")  # longer than an excerpt


def _cut_quotes(message: str) -> str:
    """A PyYAML message with every long quoted piece of the file cut to an excerpt."""
    return _QUOTED.sub(
        lambda m: m.group(0)[0] + input_value(m.group(0)[1:MAX_DESCRIBED]) + m.group(0)[-1],
        message,
    )


def describe(value: Any) -> str:
    """A value as error messages show it after "got": `"loud"`, `3`, `a list`. Text is
    marked as the input's: the outbound boundary masks it, then cuts it to a short
    excerpt (cutting first could leave part of an email address bare)."""
    if isinstance(value, str):
        return f'"{input_value(value[:MAX_DESCRIBED])}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return excerpt(str(value))


def display_path(path: Path | str) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = ""
    return _display_path(str(path), cwd)


@lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    shown = Path(path)
    if shown.is_absolute() and cwd:
        try:
            return str(shown.relative_to(cwd))
        except ValueError:
            return str(shown)
    return str(shown)


def problem_from_yaml_error(exc: yaml.YAMLError, file: str, text: str | None = None) -> Problem:
    """A Problem naming the line of a PyYAML error."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1 if text is not None else None
        return Problem(file, f"invalid YAML: character #x{exc.character:04x} is not allowed", line)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(file, f"invalid YAML: {_cut_quotes(str(exc))}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, LimitError):
        return Problem(file, str(exc.problem), line)
    return Problem(file, f"invalid YAML: {_cut_quotes(_describe(exc, line))}", line)


def _describe(exc: yaml.MarkedYAMLError, line: int | None) -> str:
    problem, context = exc.problem or "", exc.context or ""
    if not (problem and context):
        return problem or context
    if problem.startswith("but "):  # "expected a single document, but found another"
        return f"{context}, {problem}"
    where = exc.context_mark.line + 1 if exc.context_mark is not None else None
    on_line = f" on line {where}" if where is not None and where != line else ""
    return f"{problem} ({context}{on_line})"


def detect_encoding(head: bytes) -> tuple[str, str]:
    """(Python codec, label) from a file's first bytes: a BOM, else UTF-8."""
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return codec, label
    return "utf-8", "UTF-8"


def decode_bytes(data: bytes, file: str) -> str:
    """Text of a file's bytes, or UserError saying what is wrong and what is allowed."""
    codec, label = detect_encoding(data[:4])
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise UserError(Problem(file, encoding_message(label, exc), line)) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise UserError(Problem(file, NUL_MESSAGE, text.count("\n", 0, nul) + 1))
    return text


def encoding_message(label: str, exc: UnicodeDecodeError) -> str:
    return f"not valid {label} text ({exc.reason}): {_ENCODING_ADVICE}"


NUL_MESSAGE = (
    "contains a NUL character: a text file cannot contain NUL bytes "
    "(is it a binary file, or UTF-16 without a byte order mark?)"
)


def load_yaml_text(text: str, file: str) -> Any:
    """The single YAML document in `text` (None when empty), with limits applied."""
    nul = text.find("\x00")
    if nul >= 0:
        raise UserError(Problem(file, NUL_MESSAGE, text.count("\n", 0, nul) + 1))
    loader = None
    try:
        loader = LineLoader(text)
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise UserError(problem_from_yaml_error(exc, file, text)) from None
    except RecursionError:
        raise UserError(Problem(file, f"nested too deeply (limit {MAX_DEPTH} levels)")) from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml_file(path: Path, *, what: str = "YAML file", allow_empty: bool = False) -> Any:
    """Read, decode and load one YAML file; an empty file is an error unless allowed."""
    file = display_path(path)
    data = read_bytes(path, what=what)
    value = load_yaml_text(decode_bytes(data, file), file)
    if value is None and not allow_empty:
        raise UserError(Problem(file, f"empty {what}: expected a YAML document"))
    return value


def read_bytes(path: Path, *, what: str = "file") -> bytes:
    """A file's bytes, or UserError when it cannot be read."""
    file = display_path(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(Problem(file, f"{what} not found")) from None
    except IsADirectoryError:
        raise UserError(Problem(file, f"{what} is a folder, expected a file")) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise UserError(Problem(file, f"cannot read {what}: {reason}")) from None


__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_NODES",
    "LineDict",
    "LineList",
    "LineLoader",
    "decode_bytes",
    "describe",
    "detect_encoding",
    "display_path",
    "line_of",
    "load_yaml_file",
    "load_yaml_text",
    "problem_from_yaml_error",
    "read_bytes",
]
