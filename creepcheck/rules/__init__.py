"""The rules, one module each, and the one registry that lists them."""

from creepcheck.rules.base import Option, Rule
from creepcheck.rules.registry import RULES, by_id, resolve

__all__ = ["RULES", "Option", "Rule", "by_id", "resolve"]
