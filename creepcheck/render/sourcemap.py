"""Reading marked render output into plain text and spans (the source map)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from creepcheck.models import Profile
from creepcheck.render.compiled import CompiledMessage, CompiledPart
from creepcheck.render.message import Link, Missing, RenderedMessage, Span
from creepcheck.render.sandbox import MARKER_TOKEN, VALUE_END, SandboxEnvironment
from creepcheck.render.templatescan import OutputInfo


@dataclass
class _Piece:
    text: str
    spans: list[Span] = field(default_factory=list)
    links: tuple[Link, ...] = ()
    missing_at: list[tuple[int, int, OutputInfo]] = field(default_factory=list)


class _MarkerParser:
    """Turns marked render output into plain text with collapsed spaces, and spans."""

    def __init__(self, part: CompiledPart, env: SandboxEnvironment) -> None:
        self.part, self.env = part, env
        self.out: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.missing_at: list[tuple[int, int, OutputInfo]] = []
        self.static: tuple[str, int | None] = (part.file, 1)
        self.stack: list[tuple[int, OutputInfo, bool]] = []  # (start, output, missing)
        self.segment_start = 0

    def parse(self, marked: str, links: list[tuple[str, str]]) -> _Piece:
        position = 0
        for match in MARKER_TOKEN.finditer(marked):
            self._emit(marked[position : match.start()])
            position = match.end()
            self._token(match)
        self._emit(marked[position:])
        text = "".join(self.out).rstrip()
        self._close(len(text))
        end = len(text)  # trailing whitespace was stripped: no span may reach past it
        spans = [s if s.end <= end else replace(s, end=end) for s in self.spans if s.start < end]
        return _Piece(text, spans, tuple(Link(h, t) for h, t in links), self.missing_at)

    def _emit(self, literal: str) -> None:
        if literal:
            self.out.append(literal)
            self.length += len(literal)

    def _token(self, match: re.Match[str]) -> None:
        if match.group(1) is not None:  # a value starts
            self._close(self.length)
            self.stack.append(
                (self.length, self.env.outputs[int(match.group(1))], bool(match.group(2)))
            )
        elif match.group(0) == VALUE_END:
            if self.stack:
                self._close(self.length)
                start, info, missing = self.stack.pop()
                if missing:
                    line = info.line + (self.part.line_offset if info.file == self.part.file else 0)
                    self.missing_at.append((start, self.length, replace(info, line=line)))
        elif match.group(3) is not None:  # static text from this file and line on
            if not self.stack:
                self._close(self.length)
                self.static = (self.env.files[int(match.group(3))], int(match.group(4)))
        elif match.group(5) is not None:  # spaces
            if self.out and not self.out[-1].endswith((" ", "\n")):
                self._emit(" ")
        else:  # newlines
            if self.out and self.out[-1].endswith(" ") and self.segment_start < self.length:
                self.out[-1] = self.out[-1][:-1]
                self.length -= 1
            # Two line breaks, even with markers between them, make a paragraph break.
            breaks = "\n\n" if match.group(0).count("\n") > 1 else "\n"
            if self.length and not self.out[-1].endswith("\n"):
                self._emit(breaks)
            elif self.length and not self.out[-1].endswith("\n\n"):
                self._emit("\n")

    def _close(self, end: int) -> None:
        start = self.segment_start
        self.segment_start = end
        if end <= start:
            return
        if self.stack:
            info = self.stack[-1][1]
            line = info.line + (self.part.line_offset if info.file == self.part.file else 0)
            self.spans.append(Span(start, end, info.file, line, info.fields, info.expression))
        else:
            file, static_line = self.static
            if static_line is not None and file == self.part.file:
                static_line += self.part.line_offset
            self.spans.append(Span(start, end, file, static_line))


def _assemble(pieces: list[_Piece], compiled: CompiledMessage, profile: Profile) -> RenderedMessage:
    text = ""
    spans: list[Span] = []
    links: list[Link] = []
    missing_raw: list[tuple[int, int, OutputInfo]] = []
    subject_end = 0
    for number, piece in enumerate(pieces):
        offset = len(text)
        if number:
            text += "\n\n"
            offset = len(text)
        text += piece.text
        spans.extend(_refine(_shift(s, offset), text, profile) for s in piece.spans)
        links.extend(piece.links)
        missing_raw.extend((a + offset, b + offset, info) for a, b, info in piece.missing_at)
        if number == 0 and compiled.subject is not None:
            subject_end = len(text)
    if compiled.body is not None and compiled.body.html is False:
        links.extend(Link(url, url) for url in _urls(text))
    missing = tuple(_missing(text, a, b, info) for a, b, info in missing_raw)
    body_file = compiled.body.file if compiled.body else None
    return RenderedMessage(
        text, tuple(spans), tuple(links), missing, subject_end, body_file, compiled.selections
    )


def _shift(span: Span, offset: int) -> Span:
    return Span(
        span.start + offset, span.end + offset, span.file, span.line, span.fields, span.expression
    )


URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|org|net|example|io|co|ru)/\S*"
)


def _urls(text: str) -> list[str]:
    return [m.group().rstrip(".,;)") for m in URL.finditer(text)]


def _missing(text: str, start: int, end: int, info: OutputInfo) -> Missing:
    start = min(start, len(text))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    context = text[line_start : line_end if line_end != -1 else len(text)]
    return Missing(
        info.expression,
        info.fields[0] if info.fields else None,
        info.file,
        info.line,
        text[start:end],
        context.strip()[:200],
    )


def _refine(span: Span, text: str, profile: Profile) -> Span:
    """Narrow a value's fields to the profile leaves that hold exactly the rendered value."""
    if not span.dynamic or not span.fields:
        return span
    value = text[span.start : span.end].strip().lower()
    if not value:
        return span
    roots = {_root(f) for f in span.fields}
    exact = tuple(path for path in _leaf_index(profile).get(value, ()) if _root(path) in roots)
    preferred = tuple(p for p in exact if p in span.fields)
    exact = preferred or exact
    if not exact:
        return span
    return Span(span.start, span.end, span.file, span.line, exact, span.expression)


@lru_cache(maxsize=4096)
def _root(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def _leaf_index(profile: Profile) -> dict[str, tuple[str, ...]]:
    """The profile's leaf paths by their shown value (lowercase), built once per profile."""
    index = profile.memo.get("render.leaf_index")
    if index is None:
        grouped: dict[str, list[str]] = {}
        shown_by_id: dict[int, str] = {}  # a value shared by many leaves (a YAML alias) once
        for path, leaf in profile.leaves:
            if not isinstance(leaf, bool):
                shown = shown_by_id.get(id(leaf))
                if shown is None:
                    shown = shown_by_id[id(leaf)] = _shown(leaf)
                grouped.setdefault(shown, []).append(path)
        index = profile.memo["render.leaf_index"] = {k: tuple(v) for k, v in grouped.items()}
    return index


def _shown(leaf: Any) -> str:
    return (leaf.isoformat() if hasattr(leaf, "isoformat") else str(leaf)).strip().lower()
