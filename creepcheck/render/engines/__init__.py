"""Template languages other than Jinja2, behind one small interface.

Jinja2 is the renderer's own language (creepcheck/render). Every other engine parses its
template with its own library and hands the renderer two things: a *shadow tree*, a
Jinja AST of the template's logic (its outputs, conditions, loops and assignments, with
their template lines) that the renderer instruments and the static rules (CC202, CC404)
read exactly as they read a Jinja template; and a compiled template whose `{{ }}`
outputs write the same value markers a Jinja render does, so the source map from
rendered text back to template line and profile field is the same for every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from jinja2 import nodes

from creepcheck.render.renderlimits import Budget, Limits

# A rendered output's text, whether it counts as missing, and its output index, to
# the marked text the renderer parses (render.sandbox._mark_output, shared by every engine).
Marker = Callable[[str, bool, int], str]
BudgetGetter = Callable[[], Budget | None]

JINJA2, LIQUID, HANDLEBARS = "jinja2", "liquid", "handlebars"
ENGINES = (JINJA2, LIQUID, HANDLEBARS)
# Template file suffixes that name their engine; anything else is Jinja2 unless `engine:`.
SUFFIX_ENGINES = ((".liquid", LIQUID), (".hbs", HANDLEBARS), (".handlebars", HANDLEBARS))
HTML_INNER = (".html", ".htm")


class EngineError(Exception):
    """A template the engine cannot parse or render: the message, and the template line
    (of the template's own source) where it is known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Compiled:
    """A parsed template: the shadow tree (`shadow`) for instrumenting and static
    analysis, and what the engine renders (`template`), once the shadow is instrumented."""

    shadow: nodes.Template
    template: Any


class TemplateEngine(Protocol):
    """What the renderer needs of a template language besides Jinja2."""

    name: str

    def parse(self, source: str, file: str, html: bool = False) -> Compiled:
        """Parse `source`; raise EngineError with its line on a syntax error."""

    def bind(self, compiled: Compiled, files: list[str]) -> None:
        """Make `compiled.template` write the value markers of the instrumented shadow
        tree's outputs (each output's index is the `_cc_out` argument there), and its
        static text the line markers of `files` (the renderer's list of template files)."""

    def generate(self, compiled: Compiled, context: Mapping[str, Any]) -> Iterator[str]:
        """Render with the profile's context; raise EngineError on a render failure."""


def engine_by_suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((engine for suffix, engine in SUFFIX_ENGINES if lowered.endswith(suffix)), None)


def choose_engine(message_engine: str | None, template: str | None,
                  campaign_engine: str | None) -> str:
    """The message's `engine:`, else its template file's suffix, else the campaign's
    `engine:`, else Jinja2."""
    by_suffix = engine_by_suffix(template) if template else None
    return message_engine or by_suffix or campaign_engine or JINJA2


def is_html(name: str) -> bool:
    """`offer.html.liquid`, `offer.html.hbs`: HTML under an engine's suffix."""
    lowered = name.lower()
    for suffix, _ in SUFFIX_ENGINES:
        if lowered.endswith(suffix):
            return lowered[: -len(suffix)].endswith(HTML_INNER)
    return False


def make_engine(name: str, limits: Limits, budget: BudgetGetter, mark: Marker) -> TemplateEngine:
    if name == LIQUID:
        from creepcheck.render.engines.liquid import LiquidEngine

        return LiquidEngine(limits, budget, mark)
    if name == HANDLEBARS:
        from creepcheck.render.engines.handlebars import HandlebarsEngine

        return HandlebarsEngine(limits, budget, mark)
    raise ValueError(f"no engine {name!r}")
