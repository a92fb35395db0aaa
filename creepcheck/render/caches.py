"""Render caches: skeletons parsed once, messages shared by profiles that render alike."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from typing import Any

from creepcheck.models import Profile
from creepcheck.render.compiled import CompiledMessage, CompiledPart
from creepcheck.render.engines import JINJA2
from creepcheck.render.message import Link, RenderedMessage, Span
from creepcheck.render.sourcemap import _assemble, _Piece, _root
from creepcheck.render.templatescan import render_inputs

# How a part's raw output becomes text and spans (the renderer's parse, with or without
# the skeleton cache).
Parse = Callable[[CompiledPart, str], _Piece]


VALUE = re.compile("\ue000(\\d+)(!?)\ue001([^\ue000-\ue006]*)\ue002")
PLACEHOLDER = re.compile("\ue005(\\d+)\ue006")
AWKWARD_TEXT = re.compile(r"^\s|\s$|\s\s|[\t\n\r\f\v\u00a0\ue000-\ue006]")
AWKWARD_HTML = re.compile(r"^\s|\s$|\s\s|[\t\n\r\f\v\u00a0\ue000-\ue006&<>]")


class _SkeletonCache:
    """Visible text and spans parsed once per *skeleton*: the render with values taken out.

    Most profiles take the same branches of a template, so their renders differ only in
    the values. Values become numbered placeholders, the skeleton is parsed (HTML reduced,
    markers read) once, and each render splices its values back, shifting the spans.
    Values whose whitespace or markup the parse would change take the full path.
    """

    MAX_ENTRIES = 512

    def __init__(self, parse: Parse) -> None:
        self.parse = parse  # the full path
        self.entries: dict[tuple[int, str], _Piece] = {}

    def piece(self, part: CompiledPart, raw: str) -> _Piece | None:
        values: list[str] = []
        awkward = AWKWARD_HTML if part.html else AWKWARD_TEXT

        def placeholder(match: re.Match[str]) -> str:
            value = match.group(3)
            if match.group(2) or awkward.search(value):
                raise _Awkward
            values.append(value)
            return f"\ue000{match.group(1)}\ue001\ue005{len(values) - 1}\ue006\ue002"

        try:
            skeleton = VALUE.sub(placeholder, raw)
        except _Awkward:
            return None
        if raw.count("\ue000") != len(values) or raw.count("\ue002") != len(values):
            return None  # nested values (macros, blocks): not worth the bookkeeping
        key = (id(part), skeleton)
        parsed = self.entries.get(key)
        if parsed is None:
            if len(self.entries) >= self.MAX_ENTRIES:
                self.entries.clear()
            parsed = self.entries[key] = self.parse(part, skeleton)
        return _splice(parsed, values)


class _Awkward(Exception):
    """A value the skeleton path cannot reproduce exactly."""


def _splice(parsed: _Piece, values: list[str]) -> _Piece:
    """The skeleton's text with values in place of placeholders, spans shifted to match."""
    cuts: list[tuple[int, int]] = []  # (end of placeholder in skeleton, cumulative shift)
    out: list[str] = []
    position = shift = 0
    for match in PLACEHOLDER.finditer(parsed.text):
        value = values[int(match.group(1))]
        out += [parsed.text[position : match.start()], value]
        shift += len(value) - (match.end() - match.start())
        cuts.append((match.end(), shift))
        position = match.end()
    out.append(parsed.text[position:])
    ends = [end for end, _ in cuts]

    def moved(offset: int) -> int:
        index = bisect.bisect_right(ends, offset) - 1
        return offset + (cuts[index][1] if index >= 0 else 0)

    spans = [
        Span(moved(s.start), moved(s.end), s.file, s.line, s.fields, s.expression)
        for s in parsed.spans
    ]
    links = tuple(
        Link(PLACEHOLDER.sub(lambda m: values[int(m.group(1))], link.href),
             PLACEHOLDER.sub(lambda m: values[int(m.group(1))], link.text))
        for link in parsed.links
    )
    return _Piece("".join(out), spans, links, [])


class _RenderCache:
    """Rendered messages shared by every profile whose render came out the same.

    A message is a function of its parts' raw render output and, through `_refine`, of
    the profile's values under the top-level fields its values were rendered from. Both
    are the key, so profiles that take the same branches with the same names share one
    `RenderedMessage` (immutable), and with it every cache keyed on it downstream.

    Before rendering, a second key may answer at once: the values a message's templates
    read, and the truth of those they only test (templatescan.render_inputs). Profiles
    equal there render the same raw output, whose spans' fields are all among the values
    read, so the message is the one already made for such a profile.
    """

    MAX_ENTRIES = 2048

    def __init__(self, parse: Parse) -> None:
        self.parse = parse  # through the skeleton cache
        self.pieces: dict[tuple[int, str], tuple[_Piece, frozenset[str]]] = {}
        self.messages: dict[tuple[object, ...], RenderedMessage] = {}
        self.by_input: dict[tuple[object, ...], RenderedMessage] = {}
        self.inputs: dict[int, tuple[frozenset[str], tuple[str, ...]] | None] = {}
        # Per compiled message: whether sharing its renders pays (see `_Yield`).
        self.input_yield: dict[int, _Yield] = {}
        self.message_yield: dict[int, _Yield] = {}

    def input_key(self, compiled: CompiledMessage, profile: Profile) -> tuple[object, ...] | None:
        if not self.input_yield.setdefault(id(compiled), _Yield()).pays:
            return None
        if id(compiled) not in self.inputs:
            self.inputs[id(compiled)] = _message_inputs(compiled)
        inputs = self.inputs[id(compiled)]
        if inputs is None:
            return None
        values, tested = inputs
        data = profile.data
        truth = tuple(bool(data.get(name)) for name in tested)
        return (id(compiled), truth, _values_under(profile, values))

    def shared(self, compiled: CompiledMessage, key: tuple[object, ...]) -> RenderedMessage | None:
        """The message already made for a profile with the same render inputs, if any."""
        found = self.by_input.get(key)
        self.input_yield[id(compiled)].count(found is not None)
        return found

    def remember(self, key: tuple[object, ...], rendered: RenderedMessage) -> None:
        if len(self.by_input) >= self.MAX_ENTRIES:
            self.by_input.clear()
        self.by_input[key] = rendered

    def message(
        self, compiled: CompiledMessage, raws: list[str], profile: Profile
    ) -> RenderedMessage:
        sharing = self.message_yield.setdefault(id(compiled), _Yield())
        if not sharing.pays:
            parts = zip(compiled.parts, raws, strict=False)
            return _assemble([self.parse(part, raw) for part, raw in parts], compiled, profile)
        parsed = [self._piece(part, raw) for part, raw in zip(compiled.parts, raws, strict=False)]
        roots = frozenset().union(*(roots for _, roots in parsed))
        key = (id(compiled), *raws, _values_under(profile, roots))
        rendered = self.messages.get(key)
        sharing.count(rendered is not None)
        if rendered is None:
            if len(self.messages) >= self.MAX_ENTRIES:
                self.messages.clear()
            pieces = [piece for piece, _ in parsed]
            rendered = self.messages[key] = _assemble(pieces, compiled, profile)
        return rendered

    def _piece(self, part: CompiledPart, raw: str) -> tuple[_Piece, frozenset[str]]:
        key = (id(part), raw)
        entry = self.pieces.get(key)
        if entry is None:
            if len(self.pieces) >= self.MAX_ENTRIES:
                self.pieces.clear()
            piece = self.parse(part, raw)
            roots = frozenset(
                _root(f) for s in piece.spans if s.dynamic for f in s.fields
            )
            entry = self.pieces[key] = (piece, roots)
        return entry


class _Yield:
    """Whether a cache of shared renders pays for one message. On a real audience (names,
    tokens and picks in every message) no two renders are alike, and building the keys
    costs more than the rare hit saves; after TRIAL lookups with fewer than MIN_HITS
    hits, the cache is no longer asked for that message (and each profile gets its own
    RenderedMessage, as on the plain path)."""

    TRIAL = 200
    MIN_HITS = 20

    def __init__(self) -> None:
        self.lookups = 0
        self.hits = 0
        self.pays = True

    def count(self, hit: bool) -> None:
        self.lookups += 1
        self.hits += hit
        if self.lookups == self.TRIAL:
            self.pays = self.hits >= self.MIN_HITS


def _message_inputs(compiled: CompiledMessage) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The profile fields a message's templates read as values, and those they only test
    for truth; None when its output may depend on more (see `render_inputs`), or on the
    whole profile at once."""
    values: set[str] = set()
    tested: set[str] = set()
    for part in compiled.parts:
        if part.engine != JINJA2:
            return None  # another engine's shadow tree is for rules, not for this key
        inputs = render_inputs(part.ast)
        if inputs is None:
            return None
        values |= inputs.values
        tested |= inputs.tested
    if "profile" in values or "profile" in tested:
        return None
    tested -= values  # read as a value anywhere: keyed by value
    # `campaign` is the same for every render of one campaign's message.
    return frozenset(values - {"campaign"}), tuple(sorted(tested - {"campaign"}))


def _values_under(profile: Profile, roots: frozenset[str]) -> tuple[object, ...]:
    """What `_refine` can see of the profile: the values under `roots`, typed.

    A key of references, not text: a large value shared by many fields (a YAML alias)
    costs one hash, cached by the string, instead of a copy per use."""
    if not roots:
        return ()
    return tuple((k, _typed(v)) for k, v in profile.data.items() if _root(str(k)) in roots)


def _typed(value: Any) -> object:
    """`value` as a hashable key equal only for values of the same types (1, 1.0 and True
    differ, as their renders do)."""
    if isinstance(value, Mapping):
        return ("map", tuple((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    try:
        hash(value)
    except TypeError:
        return (type(value).__name__, repr(value))
    return (type(value).__name__, value)
