"""The `rules:` part of the policy schema, from the rule registry.

Each rule's options live beside the rule (`Rule.options`), so the schema editors get
lists them from there: a rule by slug or code, its `severity` and each option with its
type, default and help. Validation of the same settings stays in
creepcheck/policy/validate.py, which reads the same registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creepcheck.rules.base import Option, Rule

SEVERITY = {
    "description": "How loudly the rule reports: off (or false) turns it off.",
    "enum": ["error", "warning", "info", "off", False],
}


def option_schema(option: Option) -> dict[str, Any]:
    """The JSON Schema of one rule option."""
    minimum = {} if option.minimum is None else {"minimum": option.minimum}
    forms: dict[str, dict[str, Any]] = {
        "int": {"type": "integer", **minimum},
        "float": {"type": "number", **minimum},
        "bool": {"type": "boolean"},
        "str": {"type": "string"},
        "time": {"type": "string", "pattern": r"^\d{1,2}:\d{2}$"},
        "list[str]": {"type": "array", "items": {"type": "string"}},
        "choice": {"enum": list(option.choices)},
        "list[choice]": {"type": "array", "items": {"enum": list(option.choices)}},
    }
    default = list(option.default) if isinstance(option.default, tuple) else option.default
    return {"description": option.help, **forms[option.type], "default": default}


def rule_schema(rule: type[Rule]) -> dict[str, Any]:
    """The settings of one rule: severity and its options, nothing else."""
    properties = {"severity": {**SEVERITY, "default": str(rule.default_severity)}}
    properties.update({key: option_schema(option) for key, option in rule.options.items()})
    return {
        "description": f"{rule.code} {rule.name}: {rule.summary}",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def add_rule_options(policy_schema: dict[str, Any]) -> None:
    """Every rule, by slug and by code, under the schema's `rules:`."""
    from creepcheck.rules.registry import RULES

    defs = policy_schema.setdefault("$defs", {})
    rules = policy_schema["properties"]["rules"]
    properties: dict[str, Any] = {}
    for rule in RULES:
        defs[f"rule-{rule.name}"] = rule_schema(rule)
        for name in (rule.name, rule.code):
            properties[name] = {"$ref": f"#/$defs/rule-{rule.name}"}
    rules["properties"] = properties
    rules["additionalProperties"] = False
