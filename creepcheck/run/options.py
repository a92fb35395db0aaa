"""What a run is asked to do (`CheckOptions`) and the rules it runs with (`RuleSet`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from creepcheck.errors import Problem, UserError
from creepcheck.models import ProfileSource
from creepcheck.policy import Policy
from creepcheck.rules.base import Rule
from creepcheck.rules.registry import RULES, resolve, suggest

Progress = Callable[[int], None]


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[Path, ...] = (Path("."),)
    policy: str | None = None
    profiles: ProfileSource | None = None  # --profiles (with --query: a DatabaseQuery)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    show_pii: bool = False
    sample: int | None = None  # N profiles drawn at random (sampling.py) with this seed
    seed: int = 0
    jobs: int = 1
    collect_messages: bool = True  # False: count messages but keep no per-message records
    progress: Progress | None = None
    # Told the number of profiles of each campaign before they are checked, when known.
    audience_size: Progress | None = None
    profile_ids: frozenset[str] | None = None  # only these profiles (preview); None: all


@dataclass
class RuleSet:
    """The enabled rules of a run, configured from the policy, grouped by scope."""

    by_scope: dict[str, list[Rule]] = field(default_factory=dict)
    by_name: dict[str, Rule] = field(default_factory=dict)

    def scope(self, name: str) -> list[Rule]:
        return self.by_scope.get(name, [])

    @classmethod
    def build(cls, policy: Policy, select: Sequence[str], ignore: Sequence[str]) -> RuleSet:
        chosen = chosen_rules(select, ignore)
        rules = cls()
        for rule_cls in chosen:
            config = policy.rule(rule_cls.name)
            if config.severity is None and not select:
                continue
            rule = rule_cls(config.severity, **config.options)
            rules.by_name[rule.name] = rule
            for scope in rule.scopes:
                rules.by_scope.setdefault(scope, []).append(rule)
        return rules


def chosen_rules(select: Sequence[str], ignore: Sequence[str]) -> list[type[Rule]]:
    """The rule classes `--select` and `--ignore` leave; unknown ids are a UserError."""
    selected, unknown = resolve(list(select)) if select else (list(RULES), [])
    ignored, unknown_ignored = resolve(list(ignore))
    unknown += unknown_ignored
    if unknown:
        problems = []
        for rule_id in unknown:
            hint = suggest(rule_id)
            tip = f' (did you mean "{hint}"?)' if hint else ""
            problems.append(Problem("", f'unknown rule "{rule_id}"{tip}; see `creepcheck rules`'))
        raise UserError(problems)
    return [r for r in selected if r not in ignored]
