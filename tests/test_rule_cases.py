"""One parametrised runner for the per-rule YAML cases in tests/rules/.

Each file names a rule and lists cases: a template (or inline subject), a profile merged
onto a clean one, the channel, campaign fields and rule options, and what to expect:
`expect: N` findings, or a list of partial findings (`message`/`evidence` match as
substrings, `fields` as a subset).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from creepcheck.privacy.outbound import unmarked
from creepcheck.rules.base import RunContext
from creepcheck.rules.registry import by_id
from tests.ruleharness import run_rule

CASES_DIR = Path(__file__).parent / "rules"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(doc["cases"]):
            case_id = f"{path.stem}:{number}:{case.get('name', '')}"
            params.append(pytest.param(doc, case, id=case_id))
    return params


@cache
def _run_context(language_policy: str) -> RunContext:
    from creepcheck.policy import load_policy
    from creepcheck.text import TextAnalyzer

    policy = load_policy(language_policy, Path.cwd())
    return RunContext(policy=policy, text=TextAnalyzer(policy))


def _policy_context(tmp_path: Path, fragment: dict[str, Any] | None) -> RunContext:
    if not fragment:
        return _run_context("builtin:default")
    from creepcheck.policy import load_policy
    from creepcheck.text import TextAnalyzer

    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(yaml.safe_dump({"extends": ["builtin:default"], **fragment}))
    policy = load_policy(str(policy_file), tmp_path)
    return RunContext(policy=policy, text=TextAnalyzer(policy))


@pytest.mark.parametrize(("doc", "case"), _load_cases())
def test_rule_case(doc: dict[str, Any], case: dict[str, Any], tmp_path: Path) -> None:
    rule_cls = by_id(doc["rule"])
    assert rule_cls is not None, f"unknown rule {doc['rule']}"
    run = _policy_context(tmp_path, case.get("policy"))
    options = {
        **run.policy.rule(rule_cls.name).options,
        **doc.get("options", {}),
        **case.get("options", {}),
    }
    rule = rule_cls(**options)
    findings = run_rule(
        rule,
        tmp_path,
        template=case.get("template"),
        subject=case.get("subject"),
        profile=case.get("profile"),
        channel=case.get("channel", "email"),
        html=case.get("html", False),
        run=run,
        **case.get("campaign", {}),
    )
    expected = case["expect"]
    shown = [f"{f.message} | {f.evidence}" for f in findings]
    if isinstance(expected, int):
        assert len(findings) == expected, shown
        return
    assert len(findings) == len(expected), shown
    for finding, want in zip(findings, expected, strict=True):
        for key, value in want.items():
            actual = getattr(finding, key)
            if key in {"message", "evidence", "fix"}:  # as printed without masking
                actual = unmarked(actual)
                assert value.lower() in actual.lower(), (key, actual)
            elif key == "fields":
                assert set(value) <= set(actual), (key, actual)
            else:
                assert str(actual) == str(value), (key, actual)
