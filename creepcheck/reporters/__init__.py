"""Output formats, one reporter class each, chosen from one table."""

from __future__ import annotations

from creepcheck.reporters.base import Reporter, ReportOptions
from creepcheck.reporters.github import GithubReporter
from creepcheck.reporters.html import HtmlReporter
from creepcheck.reporters.json import JsonReporter
from creepcheck.reporters.junit import JunitReporter
from creepcheck.reporters.markdown import MarkdownReporter
from creepcheck.reporters.sarif import SarifReporter
from creepcheck.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
    "github": GithubReporter,
    "markdown": MarkdownReporter,
    "html": HtmlReporter,
}

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]
