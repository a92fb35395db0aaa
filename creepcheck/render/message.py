"""What a render produces: the visible text, and spans mapping it back to the template."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creepcheck.render.templatescan import Selection


@dataclass(frozen=True)
class Span:
    """A stretch of rendered text and where it came from."""

    start: int
    end: int
    file: str | None
    line: int | None
    fields: tuple[str, ...] = ()  # profile fields a value was rendered from
    expression: str | None = None  # the `{{ }}` expression, for values

    @property
    def dynamic(self) -> bool:
        return self.expression is not None


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Missing:
    """An output expression that rendered nothing, an empty string or None."""

    expression: str
    field: str | None
    file: str | None
    line: int | None
    shown_as: str
    context: str  # the rendered line around it


@dataclass(frozen=True)
class RenderedMessage:
    text: str  # subject, a blank line, then the body's visible text
    spans: tuple[Span, ...] = ()  # sorted, covering the text
    links: tuple[Link, ...] = ()
    missing: tuple[Missing, ...] = ()
    subject_end: int = 0  # text[:subject_end] is the subject
    body_file: str | None = None
    # the template's branches and what each requires of the profile (render.templatescan)
    selections: tuple[Selection, ...] = ()

    def span_at(self, offset: int) -> Span | None:
        starts = [s.start for s in self.spans]
        index = bisect.bisect_right(starts, offset) - 1
        return self.spans[index] if index >= 0 else None

    def locate(self, offset: int) -> tuple[str | None, int | None]:
        span = self.span_at(offset)
        return (span.file, span.line) if span else (self.body_file, None)

    def spans_in(self, start: int, end: int) -> list[Span]:
        return [s for s in self.spans if s.start < end and s.end > start]

    def values_in(self, start: int, end: int) -> list[Span]:
        return [s for s in self.spans_in(start, end) if s.dynamic]

    def fields_in(self, start: int, end: int) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for span in self.values_in(start, end):
            seen.update(dict.fromkeys(span.fields))
        return tuple(seen)

    @cached_property
    def values(self) -> list[Span]:
        return [s for s in self.spans if s.dynamic]

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Data derived from the message (`caching.Derived`), made once however many
        profiles share it (rendered messages are shared: see `_RenderCache`)."""
        return {}

