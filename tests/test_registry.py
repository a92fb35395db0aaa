"""Every rule is registered once, documented with the required sections, and tested."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
import yaml

import creepcheck.rules as rules_pkg
from creepcheck.rules.base import Rule, rule_doc
from creepcheck.rules.registry import RULES, by_id, resolve

SECTIONS = ("What it flags:", "Why it is creepy:", "Bad:", "Better:", "Options:")
SPEC_CODES = {
    "CC101",
    "CC102",
    "CC103",
    "CC104",
    "CC105",
    "CC106",
    "CC201",
    "CC202",
    "CC203",
    "CC204",
    "CC205",
    "CC301",
    "CC302",
    "CC401",
    "CC402",
    "CC403",
    "CC404",
    "CC901",
}


def _rule_classes_in_package() -> set[type[Rule]]:
    found = set()
    for module in pkgutil.iter_modules(rules_pkg.__path__):
        mod = importlib.import_module(f"creepcheck.rules.{module.name}")
        for value in vars(mod).values():
            is_rule = isinstance(value, type) and issubclass(value, Rule) and value is not Rule
            if is_rule and value.__module__ == mod.__name__:
                found.add(value)
    return found


def test_every_rule_module_is_registered() -> None:
    assert _rule_classes_in_package() == set(RULES)


def test_registry_covers_the_spec_codes_once() -> None:
    codes = [r.code for r in RULES]
    assert sorted(codes) == sorted(SPEC_CODES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documentation_has_every_section(rule: type[Rule]) -> None:
    doc = rule_doc(rule)
    for section in SECTIONS:
        assert section in doc, f"{rule.code} docstring lacks {section}"
    assert rule.summary and rule.name == rule.name.lower()
    for key, option in rule.options.items():
        assert key in doc, f"{rule.code} does not document option {key}"
        assert option.help


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_firing_and_quiet_cases(rule: type[Rule]) -> None:
    if "engine" in rule.scopes:
        pytest.skip("raised by the engine; covered in test_engine.py")
    cases = []
    for path in (Path(__file__).parent / "rules").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if by_id(doc["rule"]) is rule:
            cases.extend(doc["cases"])
    if rule.code == "CC103":
        pytest.skip("needs several channels; covered in test_engine.py")
    firing = [c for c in cases if c["expect"] not in (0, [])]
    quiet = [c for c in cases if c["expect"] in (0, [])]
    assert firing and quiet, f"{rule.code} needs cases that fire and look-alikes that do not"


def test_lookup_by_code_slug_and_prefix() -> None:
    assert by_id("cc301") is by_id("purchase-recall")
    found, unknown = resolve(["CC4", "quiet-hours", "nope"])
    assert {r.code for r in found} == {"CC401", "CC402", "CC403", "CC404", "CC105"}
    assert unknown == ["nope"]
