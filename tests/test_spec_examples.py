"""Every example SPEC section 2 gives for a copy rule behaves as the SPEC says.

The SPEC is the contract users read first: an example it prints that creepcheck does
not flag (or flags where the SPEC calls it fine) is the first thing a new user tries.
The examples are copied here so that the suite stands alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from creepcheck.rules.base import RunContext
from creepcheck.rules.registry import by_id
from tests.ruleharness import run_rule

# A reader with a browsing history, so tracking copy can be compared with the profile.
BROWSED: dict[str, Any] = {
    "behavior": [
        {"event": "page_view", "page": "/pricing", "at": "2026-03-01T09:00:00Z"},
        {"event": "page_view", "page": "/pricing", "at": "2026-03-01T12:00:00Z"},
        {"event": "page_view", "page": "/pricing", "at": "2026-03-01T18:00:00Z"},
    ],
    "purchases": [{"item": "Trail running shoes", "date": "2026-02-20", "price": 89.0}],
}

# (rule, channel, copy, whether it fires): SPEC section 2, table of rules.
EXAMPLES = [
    ("CC201", "email", "Congratulations on your pregnancy, {{ first_name }}!", True),
    ("CC201", "sms", "Struggling with debt? Reply STOP to opt out", True),
    ("CC201", "sms", "Struggling with debt?", True),
    ("CC201", "email", "As a diabetic, you know how hard the holidays can be.", True),
    ("CC204", "email", "We saw you looked at our pricing page 3 times yesterday.", True),
    ("CC102", "email", "Hi {{ first_name }}, we found you on LinkedIn.", True),
    ("CC301", "email", "Based on your purchase history, you may like our new trail socks.", False),
]


@cache
def _run() -> RunContext:
    from creepcheck.policy import load_policy
    from creepcheck.text import TextAnalyzer

    policy = load_policy("builtin:default", Path.cwd())
    return RunContext(policy=policy, text=TextAnalyzer(policy))


@pytest.mark.parametrize(("code", "channel", "copy", "fires"), EXAMPLES, ids=lambda v: str(v)[:40])
def test_spec_example(code: str, channel: str, copy: str, fires: bool, tmp_path: Path) -> None:
    rule_cls = by_id(code)
    assert rule_cls is not None
    run = _run()
    rule = rule_cls(**run.policy.rule(rule_cls.name).options)
    findings = run_rule(
        rule, tmp_path, template=copy, profile=BROWSED, channel=channel, run=run,
        send_at="2026-03-02T15:00:00Z",
    )  # fmt: skip
    assert bool(findings) is fires, [f.message for f in findings]


def test_tracking_said_in_plain_copy_fires_without_a_browsing_history(tmp_path: Path) -> None:
    """The SPEC's CC204 example needs no `behavior` field: the copy says it all."""
    rule_cls = by_id("CC204")
    assert rule_cls is not None
    run = _run()
    rule = rule_cls(**run.policy.rule(rule_cls.name).options)
    copy = "We saw you looked at our pricing page 3 times yesterday."
    assert run_rule(rule, tmp_path, template=copy, run=run)
