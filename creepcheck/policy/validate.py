"""Checking one policy file's raw YAML and turning it into normalised plain data.

Each file is validated on its own, so every problem names the file and line that
caused it: first against creepcheck/schemas/policy.yaml, then rule names and options
against the rule registry. The result is plain dicts whose leaves are final values (severity names,
option values, `ConsentRule`, `FieldClass`, term tuples): `merge.py` overlays them and
`build_policy` turns the merged data into the typed `Policy`. Category names used in
`fields:` are checked after the merge, when every file's `categories:` is known.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from creepcheck.errors import Problem
from creepcheck.loaders.yamlio import YamlWord, line_of
from creepcheck.loaders.yamlio import describe as describe_value
from creepcheck.models import (
    CHANNELS,
    CONTACT_SOURCES,
    SENSITIVE_CATEGORIES,
    Severity,
)
from creepcheck.policy.model import (
    ConsentAllowance,
    ConsentRule,
    FieldClass,
    Policy,
    RuleConfig,
)
from creepcheck.schemas import DOTTED, Outcome
from creepcheck.schemas import validate as validate_schema

if TYPE_CHECKING:
    from creepcheck.rules.base import Option, Rule

SEVERITIES = ("error", "warning", "info", "off")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# Names of the things a choice list holds, for "unknown channel" style messages.
_CHOICE_KINDS: dict[tuple[str, ...], str] = {CHANNELS: "channel", CONTACT_SOURCES: "source"}


def _registry() -> Any:
    # Imported late: rule modules import `creepcheck.policy.model`, so importing the
    # registry while this package initialises would be circular.
    from creepcheck.rules import registry

    return registry


@dataclass
class CategoryRef:
    """A category named somewhere in a file, checked once all categories are known."""

    file: str
    line: int | None
    path: str
    name: str


@dataclass
class LayerValidator:
    """Validates one policy file; collects problems instead of stopping at the first."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    category_refs: list[CategoryRef] = field(default_factory=list)
    checked: Outcome = field(default_factory=Outcome)

    def error(self, line: int | None, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, f"{path}: {message}" if path else message, line))

    def unknown(
        self, line: int | None, path: str, kind: str, name: Any, allowed: Sequence[str]
    ) -> None:
        self.error(line, path, unknown_message(kind, name, allowed))

    def mapping(
        self, value: Any, line: int | None, path: str, expected: str = "a mapping"
    ) -> dict[Any, Any] | None:
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.error(line, path, f"expected {expected}, got {show(value)}")
        return None

    # -- the file ------------------------------------------------------------------

    def validate(self, data: Any) -> dict[str, Any]:
        """The file checked against the policy schema (creepcheck/schemas/policy.yaml),
        then what only code knows: rule names and options (the rule registry); the
        parts that passed become plain data."""
        if data is None:
            return {}
        self.checked = validate_schema(
            "policy", data, self.file, style=DOTTED, skip=_left_to_code
        )
        self.problems.extend(self.checked.problems)
        out: dict[str, Any] = {}
        if isinstance(data, dict):
            if isinstance(data.get("description"), str):
                out["description"] = data["description"].strip()
            sections = {
                "rules": self.rules,
                "consent": self.consent,
                "fields": self.fields,
                "categories": self.categories,
                "not_sensitive": self.not_sensitive,
            }
            for key, read in sections.items():
                section = data.get(key)
                if isinstance(section, dict):
                    out[key] = read(section)
        self.problems.sort(key=lambda p: p.line or 0)
        return out

    def passed(self, *path: Any) -> bool:
        return not self.checked.failed_at(*path)

    # -- rules ---------------------------------------------------------------------

    def rules(self, section: dict[Any, Any]) -> dict[str, Any]:
        registry = _registry()
        out: dict[str, Any] = {}
        written: dict[str, str] = {}
        for key, value in section.items():
            line = line_of(section, key)
            rule = registry.by_id(key) if isinstance(key, str) else None
            if rule is None:
                suggestion = registry.suggest(str(key))
                hint = (
                    f'did you mean "{suggestion}"?'
                    if suggestion
                    else 'expected a rule slug or code; "creepcheck rules" lists them'
                )
                self.error(line, "rules", f'unknown rule "{key}" ({hint})')
                continue
            if rule.name in written:
                self.error(
                    line,
                    "rules",
                    f'rule {rule.name} is set twice (as "{written[rule.name]}" and "{key}")',
                )
                continue
            written[rule.name] = str(key)
            options = self.mapping(
                value, line, f"rules.{rule.name}", "a mapping of options such as {severity: error}"
            )
            if options is not None:
                out[rule.name] = self.rule_options(rule, options)
        return out

    def rule_options(self, rule: type[Rule], options: dict[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        base = f"rules.{rule.name}"
        for key, value in options.items():
            line = line_of(options, key)
            if key == "severity":
                severity = self.severity(value, line, f"{base}.severity")
                if severity is not None:
                    out["severity"] = severity
            elif key in rule.options:
                path = f"{base}.{key}"
                checked = self.option(rule.options[key], value, options, key, path)
                if checked is not _INVALID:
                    out[key] = checked
                    if rule.name == "sensitive-inference" and key == "categories":
                        self.refer_categories(value, path)
            else:
                allowed = ["severity", *rule.options]
                self.error(line, base, unknown_message("option", key, allowed))
        return out

    def severity(self, value: Any, line: int | None, path: str) -> str | None:
        if value is False:
            return "off"
        if isinstance(value, str) and value.strip().lower() in SEVERITIES:
            return value.strip().lower()
        if isinstance(value, str):
            self.unknown(line, path, "severity", value, SEVERITIES)
        else:
            self.error(line, path, f"expected {either(SEVERITIES)}, got {show(value)}")
        return None

    def option(self, spec: Option, value: Any, parent: Any, key: Any, path: str) -> Any:
        line = line_of(parent, key)
        if spec.type in ("list[str]", "list[choice]"):
            return self.list_option(spec, value, line, path)
        checked = check_scalar(spec, value)
        if checked is not _INVALID:
            return checked
        if spec.type == "choice" and isinstance(value, str):
            self.unknown(line, path, _CHOICE_KINDS.get(spec.choices, "value"), value, spec.choices)
        else:
            self.error(line, path, f"expected {describe(spec)}, got {show(value)}")
        return _INVALID

    def list_option(
        self, spec: Option | _OptionLike, value: Any, line: int | None, path: str
    ) -> Any:
        if not isinstance(value, list):
            self.error(line, path, f"expected {describe(spec)}, got {show(value)}")
            return _INVALID
        kind = _CHOICE_KINDS.get(spec.choices, "value")
        ok = True
        for index, item in enumerate(value):
            item_path, item_line = f"{path}[{index}]", line_of(value, index) or line
            if not isinstance(item, str):
                self.error(item_line, item_path, f"expected a string, got {show(item)}")
                ok = False
            elif spec.type == "list[choice]" and item not in spec.choices:
                self.unknown(item_line, item_path, kind, item, spec.choices)
                ok = False
        return tuple(value) if ok else _INVALID

    # -- consent, fields and categories (already checked by the schema) ----------

    def consent(self, section: dict[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for purpose, channels in section.items():
            if not isinstance(channels, dict) or not self.passed("consent", purpose):
                continue
            out[purpose] = {
                channel: _consent_rule(value) for channel, value in channels.items()
            }
        return out

    def fields(self, section: dict[Any, Any]) -> dict[str, FieldClass]:
        out: dict[str, FieldClass] = {}
        for pattern, entry in section.items():
            category = entry.get("category") if isinstance(entry, dict) else None
            if isinstance(category, str) and self.passed("fields", pattern, "category"):
                path = f"fields.{pattern}.category"
                line = line_of(entry, "category")
                self.category_refs.append(CategoryRef(self.file, line, path, category))
            if not isinstance(entry, dict) or not self.passed("fields", pattern):
                continue
            role = entry.get("role")
            out[pattern] = FieldClass(
                category or "", bool(entry.get("inferred", False)), str(role) if role else None
            )
        return out

    def categories(self, section: dict[Any, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
        # A category stays known when only some of its languages are wrong, so that
        # the fields naming it are not reported as well.
        return {
            name: {
                language: tuple(words)
                for language, words in languages.items()
                if isinstance(words, list) and self.passed("categories", name, language)
            }
            for name, languages in section.items()
            if isinstance(languages, dict) and not self.checked.failed_exactly("categories", name)
        }

    def not_sensitive(self, section: dict[Any, Any]) -> dict[str, tuple[str, ...]]:
        return {
            language: tuple(words)
            for language, words in section.items()
            if isinstance(words, list) and self.passed("not_sensitive", language)
        }

    def refer_categories(self, names: list[Any], path: str) -> None:
        for index, name in enumerate(names):
            self.category_refs.append(
                CategoryRef(self.file, line_of(names, index), f"{path}[{index}]", name)
            )


def _left_to_code(path: tuple[Any, ...]) -> bool:
    """Errors the schema pass leaves to code: `extends:` (the loader follows it) and
    each rule's settings (the rule registry knows its options)."""
    return bool(path) and (path[0] == "extends" or path[0] == "rules" and len(path) > 1)


def _consent_rule(value: Any) -> ConsentRule:
    if value == "any":
        return ConsentRule(any=True)
    return ConsentRule(allow=tuple(_allowance(item) for item in value))


def _allowance(item: Any) -> ConsentAllowance:
    if isinstance(item, str):
        return ConsentAllowance(item)
    return ConsentAllowance(str(item["status"]), dict(item.get("lapses_after_days") or {}))


# -- value checks --------------------------------------------------------------------


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()


@dataclass(frozen=True)
class _OptionLike:
    """The parts of an `Option` that value checks use."""

    type: str
    minimum: float | None = None
    choices: tuple[str, ...] = ()




def check_scalar(spec: Option | _OptionLike, value: Any) -> Any:
    """The normalised value, or `_INVALID` when it does not fit the option's type."""
    kind = spec.type
    if kind == "bool":
        if isinstance(value, YamlWord):
            return bool(value)  # an unquoted yes, no, on or off
        return value if isinstance(value, bool) else _INVALID
    if kind in ("int", "float"):
        numeric = (int,) if kind == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            return _INVALID
        return value if spec.minimum is None or value >= spec.minimum else _INVALID
    if kind == "str":
        return value if isinstance(value, str) else _INVALID
    if kind == "time":
        return normalise_time(value)
    if kind == "choice":
        return value if isinstance(value, str) and value in spec.choices else _INVALID
    return _INVALID


def normalise_time(value: Any) -> Any:
    """`"8:00"` -> `"08:00"` (an unquoted 21:00 is text too: see `yamlio.LineLoader`)."""
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return f"{int(match[1]):02d}:{match[2]}"
    return _INVALID


def describe(spec: Option | _OptionLike) -> str:
    """What an option expects, as in `expected an integer ≥ 0`."""
    minimum = ""
    if spec.minimum is not None:
        number = int(spec.minimum) if float(spec.minimum).is_integer() else spec.minimum
        minimum = f" ≥ {number}"
    if spec.type == "choice":
        return either(spec.choices)
    if spec.type == "list[choice]":
        return f"a list of {_CHOICE_KINDS.get(spec.choices, 'value')}s ({', '.join(spec.choices)})"
    return {
        "int": f"an integer{minimum}",
        "float": f"a number{minimum}",
        "bool": "true or false",
        "str": "a string",
        "time": 'a time "HH:MM"',
        "list[str]": "a list of strings",
    }[spec.type]


def either(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def show(value: Any) -> str:
    """A value as a message quotes it: strings quoted and cut short, containers by kind."""
    return describe_value(value)


def unknown_message(kind: str, name: Any, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
    hint = f'did you mean "{close[0]}"?' if close else f"expected one of: {', '.join(allowed)}"
    return f"unknown {kind} {show(name)} ({hint})"


# -- after the merge -----------------------------------------------------------------


def check_categories(refs: list[CategoryRef], defined: Iterable[str]) -> list[Problem]:
    known = [*SENSITIVE_CATEGORIES, *(c for c in defined if c not in SENSITIVE_CATEGORIES)]
    return [
        Problem(ref.file, f"{ref.path}: {unknown_message('category', ref.name, known)}", ref.line)
        for ref in refs
        if ref.name not in known
    ]


def build_policy(merged: dict[str, Any], origins: dict[str, str], files: Sequence[str]) -> Policy:
    """The typed policy from merged, validated data; every registered rule is present."""
    rules: dict[str, RuleConfig] = {}
    for rule in _registry().RULES:
        config = dict(merged.get("rules", {}).get(rule.name, {}))
        severity_name = config.pop("severity", None)
        if severity_name is None:
            severity: Severity | None = rule.default_severity
        else:
            severity = None if severity_name == "off" else Severity.parse(severity_name)
        options = {key: _frozen(opt.default) for key, opt in rule.options.items()} | config
        rules[rule.name] = RuleConfig(severity=severity, options=options)
    return Policy(
        rules=rules,
        consent={p: dict(by_channel) for p, by_channel in merged.get("consent", {}).items()},
        fields=dict(merged.get("fields", {})),
        categories={name: dict(terms) for name, terms in merged.get("categories", {}).items()},
        not_sensitive=dict(merged.get("not_sensitive", {})),
        files=tuple(files),
        origins=dict(origins),
    )


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
