"""docs/reference.md, generated from the schemas (`creepcheck schema --markdown`).

Every key of every kind of file is listed with its path (`messages[].channel`,
`contact_points.<channel>[].value`), what it may be, its default, its description and
an example, all taken from the schema. tests/test_schemas.py fails when the
committed page differs from what this module writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from creepcheck.schemas import KINDS, editor_schema

TITLES = {
    "campaign": "Campaign files (`campaign.yaml`, `*.campaign.yaml`)",
    "profile": "Profile records (YAML, JSON, JSON Lines, CSV, Parquet, DuckDB)",
    "policy": "Policy files (`policies/*.yaml`, `--policy`)",
    "config": "The project config (`creepcheck.yaml`, `[tool.creepcheck]`)",
}
ORDER = ("campaign", "profile", "policy", "config")
HEADER = """\
# Reference: every key of creepcheck's files

<!-- Generated from creepcheck/schemas/*.yaml by `creepcheck schema --markdown`:
     edit the schemas, then regenerate this page (tests/test_schemas.py checks it). -->

Each kind of file has a JSON Schema (draft 2020-12); `creepcheck schema KIND` prints
it. Editors with a YAML language server (VS Code's YAML extension, Neovim, JetBrains)
then complete keys and flag mistakes as you type. Save the schema in the repository
and name it on the file's first line:

```sh
mkdir -p .schemas
creepcheck schema campaign > .schemas/campaign.json
creepcheck schema policy > .schemas/policy.json
```

```yaml
# yaml-language-server: $schema=../.schemas/campaign.json
id: spring-sale-2026
```

(The path is relative to the YAML file.) `creepcheck check` applies the same schemas,
and a little more that a schema cannot say: where files lie, which rules exist, send
times and dates. Rule pages: `creepcheck rules`, `creepcheck explain RULE`; policies in
depth: [policies.md](policies.md); inputs and their problems: [inputs.md](inputs.md).

Paths below: `a.b` is key `b` inside `a`; `a[]` is each item of the list `a`;
`<name>` is a key of your choosing.
"""


def reference_markdown() -> str:
    """The whole reference page."""
    parts = [HEADER]
    for kind in ORDER:
        parts.append(section_markdown(kind))
    return "\n".join(parts)


def section_markdown(kind: str) -> str:
    """One kind of file: its description and every key."""
    if kind not in KINDS:
        raise ValueError(kind)
    schema = editor_schema(kind)
    lines = [f"## {TITLES[kind]}", "", _flat(schema.get("description", "")), ""]
    lines += [f"`creepcheck schema {kind}` prints the schema.", ""]
    for path, node, required in _keys(schema, schema, "", frozenset()):
        lines.append(_entry(path, node, required))
    for example in schema.get("examples", [])[:1]:
        lines += ["", "Example:", "", "```yaml", _yaml(example).rstrip(), "```"]
    return "\n".join(lines) + "\n"


def _keys(
    root: Mapping[str, Any], node: Mapping[str, Any], prefix: str, seen: frozenset[str]
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """(path, schema, required) of every key under `node`, depth first."""
    node = _resolved(root, node)
    required = set(node.get("required", []))
    by_ref: dict[str, list[str]] = {}
    for name, child in node.get("properties", {}).items():
        ref = child.get("$ref")
        if ref is not None and ref.startswith("#/$defs/rule-"):
            by_ref.setdefault(ref, []).append(name)
            continue
        yield from _key(root, f"{prefix}{name}", child, name in required, seen)
    for ref, names in by_ref.items():  # a rule by slug and by code: one entry
        yield from _key(root, f"{prefix}{' / '.join(names)}", {"$ref": ref}, False, seen)
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping) and extra:
        placeholder = _placeholder(node)
        yield from _key(root, f"{prefix}{placeholder}", extra, False, seen)


def _key(
    root: Mapping[str, Any], path: str, child: Mapping[str, Any], required: bool,
    seen: frozenset[str],
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    ref = child.get("$ref")
    if ref in seen:
        return
    inner_seen = seen | {ref} if ref else seen
    resolved = _merged(root, child)
    yield path, resolved, required
    for form in _forms(root, resolved):
        if form.get("type") == "array" or "items" in form:
            items = _resolved(root, form.get("items", {}))
            if _has_keys(items):
                yield from _keys(root, items, f"{path}[].", inner_seen)
        elif _has_keys(form):
            yield from _keys(root, form, f"{path}.", inner_seen)


def _forms(root: Mapping[str, Any], node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    alternatives = [_resolved(root, a) for a in node.get("anyOf") or node.get("oneOf") or []]
    return [node, *alternatives] if _has_keys(node) or not alternatives else alternatives


def _has_keys(node: Mapping[str, Any]) -> bool:
    extra = node.get("additionalProperties")
    return bool(node.get("properties")) or isinstance(extra, Mapping) and bool(extra)


def _placeholder(node: Mapping[str, Any]) -> str:
    names = node.get("propertyNames", {})
    if "title" in names:
        return f"<{names['title']}>"
    if "enum" in names:
        return "<" + "|".join(str(v) for v in names["enum"]) + ">"
    return "<name>"


def _resolved(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while isinstance(node, Mapping) and "$ref" in node:
        node = _merged(root, node)
    return node


def _merged(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A `$ref` with the keys written beside it (description, default) on top."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return node
    target = root["$defs"][ref.removeprefix("#/$defs/")]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _entry(path: str, node: Mapping[str, Any], required: bool) -> str:
    facts = [_kind(node)]
    if required:
        facts.append("required")
    text = f"- **`{path}`** ({'; '.join(facts)})"
    if node.get("description"):
        description = _flat(node["description"])
        text += f": {description}" + ("" if description.endswith((".", "?", ")")) else ".")
    if "default" in node:
        text += f" Default: {_value(node['default'])}."
    examples = node.get("examples") or []
    if examples:
        text += f" Example: {', '.join(_value(e) for e in examples[:3])}."
    return text


def _kind(node: Mapping[str, Any]) -> str:
    if "enum" in node:
        return "one of " + ", ".join(f"`{_inline(v)}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    alternatives = node.get("anyOf") or node.get("oneOf")
    if alternatives:
        return " or ".join(dict.fromkeys(_kind(a) for a in alternatives))
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1].replace("_", " ")
    kinds = node.get("type")
    names = [kinds] if isinstance(kinds, str) else list(kinds or [])
    shown = []
    for name in names:
        if name == "null":
            continue
        if name == "array":
            items = node.get("items", {})
            inner = _kind(items) if items else "values"
            shown.append(f"list of {inner}" if "$ref" not in items else "list")
        else:
            shown.append({"object": "mapping", "string": "text", "integer": "integer",
                          "number": "number", "boolean": "true or false"}.get(name, name))
    extra = []
    if "minimum" in node:
        extra.append(f"≥ {node['minimum']}")
    if node.get("minItems"):
        extra.append("not empty")
    return " or ".join(shown or ["any"]) + (f" {' '.join(extra)}" if extra else "")


def _value(value: Any) -> str:
    if isinstance(value, str) and " " in value and not value.startswith(("{", "[")):
        return value if value in ("none", "now") or value.startswith("the ") else f"`{value}`"
    return f"`{_inline(value)}`"


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False).replace('"', "")


def _yaml(value: Any) -> str:
    import yaml

    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=88)


def _flat(text: str) -> str:
    return " ".join(str(text).split())
