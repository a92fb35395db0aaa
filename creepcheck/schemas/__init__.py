"""The schemas of creepcheck's files, written once as JSON Schema (draft 2020-12) data.

`campaign.yaml`, `config.yaml`, `policy.yaml` and `profile.yaml` beside this module are
the rules for each kind of file. They drive validation (`validate`, through the
jsonschema library, with messages mapped to creepcheck's: file, line, key, what is
allowed, did-you-mean), `creepcheck schema KIND` (the schema for editors) and the
reference page docs/reference.md (`reference.py`).

Keys starting with `x-` are creepcheck's own and are dropped from the schema editors
get: `x-expected` says what a value may be ("expected a text, got 3"), `x-message`
replaces the message of a failed `anyOf`, `x-kind` names what an unknown key or value
is ("unknown purpose").

jsonschema is imported only when a file is validated, so `creepcheck --version` stays
fast.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from creepcheck.errors import Problem

if TYPE_CHECKING:
    from jsonschema import ValidationError

KINDS = ("campaign", "policy", "config", "profile")
SCHEMA_FOLDER = Path(__file__).parent
# How a message names where the problem is: "messages[0]: channel: ..." (campaign and
# config files) or "consent.marketing.email[1].status: unknown ..." (policy files).
PLAIN, DOTTED = "plain", "dotted"
_DEFAULT_EXPECTED = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}
# Errors that say a value has the wrong kind of thing rather than a wrong value.
_TYPE_VALIDATORS = ("type",)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def schema(kind: str) -> Mapping[str, Any]:
    """The schema of one kind of file, with creepcheck's `x-` keys (do not change it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema {kind!r}: expected one of {', '.join(KINDS)}")
    text = (SCHEMA_FOLDER / f"{kind}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=_LOADER)  # noqa: S506 - the safe loader
    return _bundle(data)


def _bundle(data: dict[str, Any]) -> dict[str, Any]:
    """`{$ref: campaign.json#/$defs/profiles}` copied into this schema's own `$defs`, so
    every schema stands alone (editors get one file, not a set)."""
    defs = data.setdefault("$defs", {})

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ".json#/$defs/" in ref and not ref.startswith("#"):
                other, name = ref.split(".json#/$defs/")
                if name not in defs:
                    defs[name] = copy.deepcopy(schema(other)["$defs"][name])
                    visit(defs[name])
                node["$ref"] = f"#/$defs/{name}"
            for value in list(node.values()):
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(data)
    return data


def editor_schema(kind: str) -> dict[str, Any]:
    """The schema as editors and other tools get it: plain JSON Schema, no `x-` keys;
    a policy's `rules:` lists every rule with its options (from the rule registry)."""
    data = _without_extensions(schema(kind))
    if kind == "policy":
        from creepcheck.schemas.rules import add_rule_options

        add_rule_options(data)
    return data


def _without_extensions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_extensions(v) for k, v in node.items() if not str(k).startswith("x-")}
    if isinstance(node, list):
        return [_without_extensions(v) for v in node]
    return node


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator, validators

    # YAML's 1.0 is a float; only an int is an integer (JSON Schema would take 1.0).
    from creepcheck.loaders.yamlio import YamlWord

    # An unquoted yes, no, on or off is a boolean where one is expected (and text where
    # text is: `country: NO`).
    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {
            "integer": lambda _, value: isinstance(value, int) and not isinstance(value, bool),
            "boolean": lambda _, value: isinstance(value, bool | YamlWord),
        }
    )
    cls = validators.extend(Draft202012Validator, type_checker=checker)
    return cls(schema(kind))


class Outcome:
    """Problems found by the schema pass, and the paths they are at (code checks that
    follow leave those alone: one message per problem)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.failed: set[tuple[Any, ...]] = set()

    def failed_at(self, *path: Any) -> bool:
        """Whether a problem was found at `path` or inside it."""
        return any(tuple(p[: len(path)]) == path for p in self.failed)

    def failed_exactly(self, *path: Any) -> bool:
        """Whether a problem was found at `path` itself (not only inside it)."""
        return path in self.failed


def validate(
    kind: str,
    data: Any,
    file: str,
    *,
    style: str = PLAIN,
    skip: Callable[[tuple[Any, ...]], bool] | None = None,
    key_names: Mapping[Any, Any] | None = None,
) -> Outcome:
    """Check loaded YAML (`LineDict`/`LineList` keep lines) against a schema: one
    problem per thing wrong, in line order, the most specific message for each.

    `skip` tells the paths whose errors are left to code that follows; `key_names`
    gives the spelling a top-level key was written in (`fail-on` for `fail_on`).
    """
    outcome = Outcome()
    mapper = _Mapper(data, file, style, key_names or {})
    for error in _validator(kind).iter_errors(_as_json(data)):
        if skip is not None and skip(tuple(error.absolute_path)):
            continue
        for found_path, problem in mapper.problems(error):
            if problem not in outcome.problems:
                outcome.problems.append(problem)
            outcome.failed.add(found_path)
    outcome.problems.sort(key=lambda p: p.line or 0)
    return outcome


def _as_json(value: Any) -> Any:
    """The data as a JSON document: YAML dates and times become ISO 8601 text, and a key
    with nothing after it (`messages:`) counts as absent, as creepcheck reads it."""
    if isinstance(value, Mapping):
        return {k: _as_json(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Mapper:
    """Turns jsonschema errors into creepcheck's messages."""

    def __init__(
        self,
        data: Any,
        file: str,
        style: str,
        key_names: Mapping[Any, Any],
    ) -> None:
        self.data = data
        self.file = file
        self.style = style
        self.key_names = key_names

    # -- where -------------------------------------------------------------------

    def original(self, path: Sequence[Any]) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def line(self, path: Sequence[Any], key: Any = None) -> int | None:
        """The line of `key` in the mapping at `path`, or of the value at `path`."""
        if key is not None:
            node = self.original(path)
            found = _line_in(node, key)
            if found:
                return found
        if not path:
            return _line_in(self.data) or 1
        parent = self.original(path[:-1])
        return _line_in(parent, path[-1]) or self.line(path[:-1])

    def node_line(self, path: Sequence[Any]) -> int | None:
        """Where the mapping or list at `path` starts."""
        return _line_in(self.original(path)) or self.line(path)

    def where(self, path: Sequence[Any]) -> str:
        names = list(path)
        text = ""
        for index, part in enumerate(names):
            if isinstance(part, int) and not isinstance(part, bool):
                text += f"[{part}]"
            elif index == 0:
                text += str(part)
            elif self.style == PLAIN and isinstance(names[index - 1], int):
                text += f": {part}"
            else:
                text += f".{part}"
        return text

    def problem(self, path: Sequence[Any], message: str, line: int | None) -> Problem:
        where = self.where(path)
        return Problem(self.file, f"{where}: {message}" if where else message, line)

    # -- what --------------------------------------------------------------------

    def problems(self, error: ValidationError) -> list[tuple[tuple[Any, ...], Problem]]:
        path = tuple(error.absolute_path)
        node = error.schema if isinstance(error.schema, Mapping) else {}
        kind = error.validator
        if kind in ("anyOf", "oneOf"):
            return self.alternatives(error, path, node)
        if kind == "additionalProperties" and node.get("additionalProperties") is False:
            allowed = list(node.get("properties", {}))
            return [
                (
                    (*path, key),
                    self.problem(
                        path,
                        self.unknown(
                            node.get("x-kind", "key"),
                            self.key_names.get(key, key) if not path else key,
                            allowed,
                        ),
                        self.line(path, key),
                    ),
                )
                for key in error.instance
                if key not in allowed
            ]
        if kind == "required":
            missing = [key for key in error.validator_value if key not in error.instance]
            text = 'missing required key "{}"' if self.style == PLAIN else 'missing "{}"'
            line = self.node_line(path)
            return [((*path, key), self.problem(path, text.format(key), line)) for key in missing]
        if error.relative_schema_path and "propertyNames" in error.relative_schema_path:
            key = error.instance
            return [((*path, key), self.problem(path, self.value_message(node, key),
                                                self.line(path, key)))]
        value = self.original(path)
        return [(path, self.problem(path, self.value_message(node, value), self.line(path)))]

    def alternatives(
        self, error: ValidationError, path: tuple[Any, ...], node: Mapping[str, Any]
    ) -> list[tuple[tuple[Any, ...], Problem]]:
        """A failed anyOf: the errors of the form the value was meant to have, else what
        the forms are."""
        value = self.original(path)
        if "x-message" in node and isinstance(value, Mapping):
            return [(path, self.problem(path, node["x-message"], self.node_line(path)))]
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context or ():
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [errs for errs in branches.values() if not any(_mismatch(e, path) for e in errs)]
        if fitting:
            deepest = max(fitting, key=lambda errs: max(len(e.absolute_path) for e in errs))
            if not all(e.validator == "const" for e in deepest):
                found: list[tuple[tuple[Any, ...], Problem]] = []
                for sub in deepest:
                    found.extend(self.problems(sub))
                return found
        return [(path, self.problem(path, self.value_message(node, value), self.line(path)))]

    def value_message(self, node: Mapping[str, Any], value: Any) -> str:
        if "enum" in node and "x-expected" not in node or (
            "enum" in node and isinstance(value, str) and self.style == DOTTED
        ):
            allowed = [str(v) for v in node["enum"]]
            if self.style == DOTTED and isinstance(value, str):
                return self.unknown(node.get("x-kind", "value"), value, allowed)
            if self.style == DOTTED:
                return f"expected {either(allowed)}, got {describe(value)}"
            message = f"expected one of {', '.join(allowed)}, got {describe(value)}"
            return message + _close(value, allowed)
        expected = node.get("x-expected") or _default_expected(node)
        return f"expected {' '.join(str(expected).split())}, got {describe(value)}"

    def unknown(self, kind: str, name: Any, allowed: list[str]) -> str:
        import difflib

        spelled = str(name).replace("-", "_") if self.style == PLAIN else str(name)
        close = difflib.get_close_matches(spelled, allowed, n=1, cutoff=0.6)
        if self.style == PLAIN:
            if close:
                return f'unknown {kind} {describe(str(name))}: did you mean "{close[0]}"?'
            return f"unknown {kind} {describe(str(name))}: expected one of {', '.join(allowed)}"
        hint = f'did you mean "{close[0]}"?' if close else f"expected one of: {', '.join(allowed)}"
        return f"unknown {kind} {describe(name)} ({hint})"


def _close(value: Any, allowed: list[str]) -> str:
    """` (did you mean "x"?)` for a misspelt text value, else nothing."""
    import difflib

    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def describe(value: Any) -> str:
    # Imported here: the loaders import this module.
    from creepcheck.loaders.yamlio import describe as describe_value

    return describe_value(value)


def _line_in(node: Any, key: Any = None) -> int | None:
    from creepcheck.loaders.yamlio import LineDict, LineList

    if isinstance(node, LineDict):
        return node.line_of(key) if key is not None else node.line
    if isinstance(node, LineList):
        return node.line_of(key) if isinstance(key, int) else node.line
    return None


def _mismatch(error: ValidationError, path: tuple[Any, ...]) -> bool:
    """Whether an error of one anyOf branch says the value is not of that branch's kind."""
    if tuple(error.absolute_path) != path:
        return False
    if error.validator in _TYPE_VALIDATORS:
        return True
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return not any(type(a) is type(error.instance) for a in allowed)
    if error.validator in ("anyOf", "oneOf"):
        return all(_mismatch(sub, path) for sub in error.context or ())
    return False


def _default_expected(node: Mapping[str, Any]) -> str:
    kinds = node.get("type")
    names = [kinds] if isinstance(kinds, str) else list(kinds or [])
    shown = [_DEFAULT_EXPECTED.get(k, k) for k in names if k != "null"]
    return either(shown) if shown else "a valid value"


def either(names: Sequence[str]) -> str:
    """`a, b or c`."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


__all__ = ["DOTTED", "KINDS", "PLAIN", "Outcome", "editor_schema", "either", "schema", "validate"]
