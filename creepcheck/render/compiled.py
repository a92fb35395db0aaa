"""Templates compiled once per campaign, ready to render per profile."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jinja2 import nodes

from creepcheck.models import MessageSpec
from creepcheck.render.engines import JINJA2
from creepcheck.render.templatescan import Selection, selections


@dataclass
class CompiledPart:
    """One template (subject, body or file template) ready to render."""

    file: str  # display path
    source: str
    ast: nodes.Template
    template: Any  # jinja2.Template
    html: bool
    line_offset: int = 0  # added to template lines (inline templates in the campaign file)
    jinja_filename: str = ""  # the file name Jinja reports in tracebacks
    engine: str = JINJA2  # for other engines, `template` is their `Compiled` and `ast` its shadow

    @cached_property
    def selections(self) -> tuple[Selection, ...]:
        """The branches of the template and what each requires of the profile."""
        return selections(self.ast, self.file, self.line_offset)


@dataclass
class CompiledMessage:
    spec: MessageSpec
    subject: CompiledPart | None = None
    body: CompiledPart | None = None

    @property
    def parts(self) -> list[CompiledPart]:
        return [p for p in (self.subject, self.body) if p is not None]

    @cached_property
    def selections(self) -> tuple[Selection, ...]:
        return tuple(s for part in self.parts for s in part.selections)
