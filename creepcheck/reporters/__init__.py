"""Output formats, one reporter class each, chosen from one table."""

from __future__ import annotations

from creepcheck.reporters.base import Reporter, ReportOptions
from creepcheck.reporters.json import JsonReporter
from creepcheck.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]
