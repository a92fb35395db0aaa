"""The effective policy for people (`creepcheck policy show`) and for JSON.

`render_policy` writes the merged policy as YAML that could itself be loaded as a
policy, each value followed by `# from <file>` naming where it was set (`# rule
default` for a rule parameter no policy file sets).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from creepcheck.policy.model import ConsentRule, FieldClass, Policy, RuleConfig

RULE_DEFAULT = "rule default"


def policy_summary(policy: Policy) -> dict[str, Any]:
    """The effective policy as plain data (lists, dicts, strings, numbers) for JSON."""
    from creepcheck.rules.registry import by_id  # late: rule modules import this package

    rules = {}
    for slug, config in policy.rules.items():
        rule = by_id(slug)
        rules[slug] = {
            "code": rule.code if rule is not None else None,
            "severity": _severity(config),
            "options": {key: _plain(value) for key, value in config.options.items()},
        }
    return {
        "files": list(policy.files),
        "rules": rules,
        "consent": {
            purpose: {channel: _consent(rule) for channel, rule in by_channel.items()}
            for purpose, by_channel in policy.consent.items()
        },
        "fields": {pattern: _field(cls) for pattern, cls in policy.fields.items()},
        "categories": {
            name: {language: list(terms) for language, terms in by_language.items()}
            for name, by_language in policy.categories.items()
        },
        "not_sensitive": {
            language: list(terms) for language, terms in policy.not_sensitive.items()
        },
        "origins": dict(policy.origins),
    }


def render_policy(policy: Policy) -> str:
    """The effective merged policy as commented YAML."""
    summary = policy_summary(policy)
    lines = [
        f"# Effective policy, merged from: {', '.join(policy.files) or 'nothing'}",
        f'# Each value names the file that set it; "{RULE_DEFAULT}" is the rule\'s own default.',
    ]
    lines.append("rules:")
    for slug, rule in summary["rules"].items():
        lines.append(f"  {_flow(slug)}:  # {rule['code']}")
        values = {"severity": rule["severity"], **rule["options"]}
        for key, value in values.items():
            lines.append(_leaf(4, key, value, policy.origins.get(f"rules.{slug}.{key}")))
    for section in ("consent", "fields", "categories", "not_sensitive"):
        lines.extend(_section(section, summary[section], policy.origins))
    return "\n".join(lines) + "\n"


def _section(name: str, data: Mapping[str, Any], origins: Mapping[str, str]) -> list[str]:
    if not data:
        return [f"{name}: {{}}"]
    lines = [f"{name}:"]
    for key, value in data.items():
        if name == "fields":  # a field's classification is one value
            lines.append(_leaf(2, key, value, origins.get(f"{name}.{key}")))
            continue
        lines.append(f"  {_flow(key)}:" + ("" if value else " {}"))
        for inner, leaf in value.items():
            lines.append(_leaf(4, inner, leaf, origins.get(f"{name}.{key}.{inner}")))
    return lines


def _leaf(indent: int, key: str, value: Any, origin: str | None) -> str:
    comment = f"from {origin}" if origin else RULE_DEFAULT
    return f"{' ' * indent}{_flow(key)}: {_flow(value)}  # {comment}"


def _flow(value: Any) -> str:
    """One value as single-line YAML (quoted where YAML would misread it)."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1 << 30
    )
    return text.strip().removesuffix("...").strip()


def _severity(config: RuleConfig) -> str:
    return str(config.severity) if config.severity is not None else "off"


def _consent(rule: ConsentRule) -> Any:
    if rule.any:
        return "any"
    return [
        {"status": a.status, "lapses_after_days": dict(a.lapses_after_days)}
        if a.lapses_after_days
        else a.status
        for a in rule.allow
    ]


def _field(cls: FieldClass) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    if cls.category:
        shown.update(category=cls.category, inferred=cls.inferred)
    if cls.role is not None:
        shown["role"] = cls.role
    return shown


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
