"""Policies: loading, `extends:` and merging, validation into the typed `Policy`.

Nothing past this package touches a policy's raw YAML: rules and the engine see the
frozen objects of `creepcheck.policy.model`.
"""

from __future__ import annotations

from creepcheck.policy.loader import builtin_policies, load_policy
from creepcheck.policy.model import (
    ConsentAllowance,
    ConsentRule,
    FieldClass,
    Policy,
    RuleConfig,
)
from creepcheck.policy.show import policy_summary, render_policy

__all__ = [
    "ConsentAllowance",
    "ConsentRule",
    "FieldClass",
    "Policy",
    "RuleConfig",
    "builtin_policies",
    "load_policy",
    "policy_summary",
    "render_policy",
]
