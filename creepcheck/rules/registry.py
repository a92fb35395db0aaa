"""The one place rules are registered. A test checks that every rule module is listed."""

from __future__ import annotations

import difflib

from creepcheck.rules.base import Rule
from creepcheck.rules.channel_blast import ChannelBlast
from creepcheck.rules.deceased_recipient import DeceasedRecipient
from creepcheck.rules.missing_contact_point import MissingContactPoint
from creepcheck.rules.missing_data import MissingData
from creepcheck.rules.missing_opt_out import MissingOptOut
from creepcheck.rules.pii_leak import PiiLeak
from creepcheck.rules.purchase_recall import PurchaseRecall
from creepcheck.rules.quiet_hours import QuietHours
from creepcheck.rules.sensitive_inference import SensitiveInference
from creepcheck.rules.sensitive_targeting import SensitiveTargeting
from creepcheck.rules.specificity_budget import SpecificityBudget
from creepcheck.rules.stale_record import StaleRecord
from creepcheck.rules.suppressed_recipient import SuppressedRecipient
from creepcheck.rules.template_error import TemplateError
from creepcheck.rules.tracking_disclosure import TrackingDisclosure
from creepcheck.rules.unconsented_attribute_use import UnconsentedAttributeUse
from creepcheck.rules.unconsented_channel import UnconsentedChannel
from creepcheck.rules.unlisted_contact_point import UnlistedContactPoint

RULES: tuple[type[Rule], ...] = (
    UnconsentedChannel,
    UnlistedContactPoint,
    ChannelBlast,
    MissingOptOut,
    QuietHours,
    MissingContactPoint,
    SensitiveInference,
    SensitiveTargeting,
    UnconsentedAttributeUse,
    TrackingDisclosure,
    PiiLeak,
    PurchaseRecall,
    SpecificityBudget,
    DeceasedRecipient,
    StaleRecord,
    SuppressedRecipient,
    MissingData,
    TemplateError,
)

_BY_ID: dict[str, type[Rule]] = {}
for _rule in RULES:
    _BY_ID[_rule.code.lower()] = _rule
    _BY_ID[_rule.name] = _rule


def by_id(rule_id: str) -> type[Rule] | None:
    """A rule by code (`CC301`, any case) or slug (`purchase-recall`)."""
    return _BY_ID.get(rule_id.strip().lower())


def suggest(rule_id: str) -> str | None:
    """The closest rule slug or code, for "did you mean" messages."""
    close = difflib.get_close_matches(rule_id.lower(), list(_BY_ID), n=1, cutoff=0.6)
    if not close:
        return None
    rule = _BY_ID[close[0]]
    return rule.name if close[0] == rule.name else rule.code


def resolve(rule_ids: list[str]) -> tuple[list[type[Rule]], list[str]]:
    """Rules named by codes, slugs or code prefixes (`CC3`); and the ids not understood."""
    found: list[type[Rule]] = []
    unknown: list[str] = []
    for rule_id in rule_ids:
        key = rule_id.strip().lower()
        matched = (
            [r for r in RULES if r.name == key or r.code.lower().startswith(key)] if key else []
        )
        if matched:
            found.extend(r for r in matched if r not in found)
        else:
            unknown.append(rule_id)
    return found, unknown
