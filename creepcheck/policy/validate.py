"""Checking one policy file's raw YAML and turning it into normalised plain data.

Each file is validated on its own, so every problem names the file and line that
caused it. The result is plain dicts whose leaves are final values (severity names,
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
from creepcheck.loaders.yamlio import describe as describe_value
from creepcheck.loaders.yamlio import line_of
from creepcheck.models import (
    CHANNELS,
    CONSENT_STATUSES,
    CONTACT_SOURCES,
    LANGUAGES,
    PURPOSES,
    SENSITIVE_CATEGORIES,
    Severity,
)
from creepcheck.policy.model import (
    FIELD_ROLES,
    ConsentAllowance,
    ConsentRule,
    FieldClass,
    Policy,
    RuleConfig,
)

if TYPE_CHECKING:
    from creepcheck.rules.base import Option, Rule

TOP_KEYS = ("extends", "description", "rules", "consent", "fields", "categories")
SEVERITIES = ("error", "warning", "info", "off")
CONSENT_EVENTS = ("purchase", "inquiry")  # what can imply consent (CASL s. 10(10))
FIELD_KEYS = ("category", "inferred", "role")
ALLOWANCE_KEYS = ("status", "lapses_after_days")
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
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.error(
                line_of(data) or 1, "", f"expected a mapping of policy keys, got {show(data)}"
            )
            return {}
        out: dict[str, Any] = {}
        sections = {
            "rules": self.rules,
            "consent": self.consent,
            "fields": self.fields,
            "categories": self.categories,
        }
        for key, value in data.items():
            line = line_of(data, key)
            if key == "extends":
                continue  # resolved (and checked) by the loader
            if key == "description":
                if isinstance(value, str):
                    out["description"] = value.strip()
                else:
                    self.error(line, "description", f"expected a string, got {show(value)}")
            elif key in sections:
                section = self.mapping(value, line, str(key))
                if section is not None:
                    out[key] = sections[key](section)
            else:
                self.unknown(line, "", "key", key, TOP_KEYS)
        return out

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
        if value is False:  # YAML 1.1 reads an unquoted `off` as false
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

    # -- consent -------------------------------------------------------------------

    def consent(self, section: dict[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for purpose, channels in section.items():
            line = line_of(section, purpose)
            if purpose not in PURPOSES:
                self.unknown(line, "consent", "purpose", purpose, PURPOSES)
                continue
            by_channel = self.mapping(channels, line, f"consent.{purpose}")
            if by_channel is None:
                continue
            rules: dict[str, ConsentRule] = {}
            for channel, value in by_channel.items():
                channel_line = line_of(by_channel, channel)
                if channel not in ("*", *CHANNELS):
                    self.unknown(
                        channel_line, f"consent.{purpose}", "channel", channel, ("*", *CHANNELS)
                    )
                    continue
                rule = self.consent_rule(value, channel_line, f"consent.{purpose}.{channel}")
                if rule is not None:
                    rules[channel] = rule
            out[purpose] = rules
        return out

    def consent_rule(self, value: Any, line: int | None, path: str) -> ConsentRule | None:
        if value == "any":
            return ConsentRule(any=True)
        if not isinstance(value, list):
            self.error(
                line, path, f'expected "any" or a list of consent statuses, got {show(value)}'
            )
            return None
        allowances = [
            self.allowance(item, line_of(value, index) or line, f"{path}[{index}]")
            for index, item in enumerate(value)
        ]
        if any(a is None for a in allowances):
            return None
        return ConsentRule(allow=tuple(a for a in allowances if a is not None))

    def allowance(self, item: Any, line: int | None, path: str) -> ConsentAllowance | None:
        if isinstance(item, str):
            if item in CONSENT_STATUSES:
                return ConsentAllowance(item)
            self.unknown(line, path, "consent status", item, CONSENT_STATUSES)
            return None
        if not isinstance(item, dict):
            self.error(
                line, path, f"expected a consent status or {{status: ...}}, got {show(item)}"
            )
            return None
        ok = True
        for key in item:
            if key not in ALLOWANCE_KEYS:
                self.unknown(line_of(item, key), path, "key", key, ALLOWANCE_KEYS)
                ok = False
        status = item.get("status")
        if "status" not in item:
            self.error(line_of(item), path, 'missing "status"')
            ok = False
        elif not isinstance(status, str):
            self.error(
                line_of(item, "status"),
                f"{path}.status",
                f"expected a consent status, got {show(status)}",
            )
            ok = False
        elif status not in CONSENT_STATUSES:
            self.unknown(
                line_of(item, "status"),
                f"{path}.status",
                "consent status",
                status,
                CONSENT_STATUSES,
            )
            ok = False
        lapses = self.lapses(item, f"{path}.lapses_after_days")
        if not ok or lapses is None:
            return None
        return ConsentAllowance(str(status), lapses)

    def lapses(self, item: dict[Any, Any], path: str) -> dict[str, int] | None:
        key_line = line_of(item, "lapses_after_days")
        value = self.mapping(item.get("lapses_after_days"), key_line, path)
        if value is None:
            return None
        out: dict[str, int] = {}
        days_spec = _OptionLike("int", 1)
        for event, days in value.items():
            line = line_of(value, event)
            if event not in CONSENT_EVENTS:
                self.unknown(line, path, "event", event, CONSENT_EVENTS)
            elif check_scalar(days_spec, days) is _INVALID:
                self.error(
                    line, f"{path}.{event}", f"expected {describe(days_spec)}, got {show(days)}"
                )
            else:
                out[event] = days
        return out if len(out) == len(value) else None

    # -- fields and categories -----------------------------------------------------

    def fields(self, section: dict[Any, Any]) -> dict[str, FieldClass]:
        out: dict[str, FieldClass] = {}
        for pattern, value in section.items():
            line, path = line_of(section, pattern), f"fields.{pattern}"
            if not isinstance(pattern, str) or not pattern.strip():
                self.error(line, "fields", f"expected a dotted field name, got {show(pattern)}")
                continue
            entry = self.mapping(value, line, path, "a mapping such as {category: health}")
            if entry is None:
                continue
            ok = True
            for key in entry:
                if key not in FIELD_KEYS:
                    self.unknown(line_of(entry, key), path, "key", key, FIELD_KEYS)
                    ok = False
            category, inferred = entry.get("category"), entry.get("inferred", False)
            role = entry.get("role")
            if "role" in entry and role not in FIELD_ROLES:
                self.error(
                    line_of(entry, "role"),
                    f"{path}.role",
                    f"expected one of: {', '.join(FIELD_ROLES)}, got {show(role)}",
                )
                ok = False
            if "category" not in entry:
                if "role" not in entry:  # a role alone classes the field for the copy
                    self.error(line, path, 'missing "category"')
                    ok = False
            elif not isinstance(category, str):
                self.error(
                    line_of(entry, "category"),
                    f"{path}.category",
                    f"expected a category name, got {show(category)}",
                )
                ok = False
            else:
                self.category_refs.append(
                    CategoryRef(self.file, line_of(entry, "category"), f"{path}.category", category)
                )
            if not isinstance(inferred, bool):
                self.error(
                    line_of(entry, "inferred"),
                    f"{path}.inferred",
                    f"expected true or false, got {show(inferred)}",
                )
                ok = False
            if ok:
                out[pattern] = FieldClass(
                    str(category) if category is not None else "",
                    inferred,
                    str(role) if role is not None else None,
                )
        return out

    def categories(self, section: dict[Any, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for name, value in section.items():
            line, path = line_of(section, name), f"categories.{name}"
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                self.error(
                    line,
                    "categories",
                    f"expected a category name like financial_hardship, got {show(name)}",
                )
                continue
            languages = self.mapping(value, line, path)
            if languages is None:
                continue
            terms: dict[str, tuple[str, ...]] = {}
            for language, words in languages.items():
                word_line = line_of(languages, language)
                if language not in LANGUAGES:
                    self.unknown(word_line, path, "language", language, LANGUAGES)
                    continue
                checked = self.list_option(_TERMS, words, word_line, f"{path}.{language}")
                if checked is not _INVALID:
                    terms[language] = checked
            out[name] = terms
        return out

    def refer_categories(self, names: list[Any], path: str) -> None:
        for index, name in enumerate(names):
            self.category_refs.append(
                CategoryRef(self.file, line_of(names, index), f"{path}[{index}]", name)
            )


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


_TERMS = _OptionLike("list[str]")


def check_scalar(spec: Option | _OptionLike, value: Any) -> Any:
    """The normalised value, or `_INVALID` when it does not fit the option's type."""
    kind = spec.type
    if kind == "bool":
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
    """`"8:00"` -> `"08:00"`; YAML 1.1 reads an unquoted 21:00 as 1260 (base 60)."""
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
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
        files=tuple(files),
        origins=dict(origins),
    )


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
