"""The effective policy as typed, frozen objects: all that rules and the engine see."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from creepcheck.models import Severity, dotted_path


@dataclass(frozen=True)
class RuleConfig:
    severity: Severity | None  # None: the rule is off
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return self.severity is not None


@dataclass(frozen=True)
class ConsentAllowance:
    """A consent status that allows a purpose on a channel, possibly only for a while.

    `lapses_after_days` maps what implied the consent (`purchase`, `inquiry`) to how many
    days after the latest such event it stops counting (CASL implied consent).
    """

    status: str
    lapses_after_days: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsentRule:
    """Which consent statuses allow one purpose on one channel."""

    any: bool = False  # no consent needed at all
    allow: tuple[ConsentAllowance, ...] = ()

    def allowance(self, status: str) -> ConsentAllowance | None:
        return next((a for a in self.allow if a.status == status), None)


MARKETING_DEFAULT = ConsentRule(allow=(ConsentAllowance("granted"),))
NO_CONSENT_NEEDED = ConsentRule(any=True)


FIELD_ROLES = ("content", "fact")


@dataclass(frozen=True)
class FieldClass:
    """How the policy classes a profile field: a sensitive `category` (empty when the
    entry only gives a role), and its `role` in the copy: `content` the sender chose for
    the person (picks, offers), or a `fact` about them; None leaves it to the rules."""

    category: str = ""
    inferred: bool = False
    role: str | None = None


@dataclass(frozen=True)
class Policy:
    rules: Mapping[str, RuleConfig]  # by rule slug; every registered rule is present
    consent: Mapping[str, Mapping[str, ConsentRule]] = field(default_factory=dict)
    fields: Mapping[str, FieldClass] = field(default_factory=dict)  # dotted glob -> class
    categories: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # built-in sensitive phrases that are ordinary in this sender's copy, by language
    not_sensitive: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # the policy files merged, base first
    origins: Mapping[str, str] = field(default_factory=dict)  # dotted key -> file that set it

    def rule(self, slug: str) -> RuleConfig:
        return self.rules.get(slug, RuleConfig(severity=None))

    def consent_for(self, purpose: str, channel: str) -> ConsentRule:
        """The policy's consent rule; unlisted marketing needs `granted`, other purposes none."""
        by_channel = self.consent.get(purpose, {})
        if channel in by_channel:
            return by_channel[channel]
        if "*" in by_channel:
            return by_channel["*"]
        return MARKETING_DEFAULT if purpose == "marketing" else NO_CONSENT_NEEDED

    def field_class(self, path: str) -> FieldClass | None:
        """Classification of a profile field path such as `inferred.pregnancy_score`.

        List indexes are ignored (`purchases[0].item` matches `purchases.item`).
        """
        dotted = dotted_path(path)
        for pattern, cls in self.fields.items():
            if cls.category and _covers(pattern, dotted):
                return cls
        return None

    def field_role(self, path: str) -> str | None:
        """The `role:` the policy gives a field (`content` or `fact`), or None."""
        dotted = dotted_path(path)
        for pattern, cls in self.fields.items():
            if cls.role is not None and _covers(pattern, dotted):
                return cls.role
        return None


def _covers(pattern: str, dotted: str) -> bool:
    return fnmatch.fnmatchcase(dotted, pattern) or dotted.startswith(pattern + ".")
