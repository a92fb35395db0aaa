"""Rendering campaign templates in a sandbox, with a map back to the template source.

Templates are parsed once and instrumented: every `{{ expression }}` is wrapped in a
filter that brackets its value with private-use marker characters, and static text
carries point markers giving its template line. After rendering (and, for HTML, reducing
to visible text) the markers are parsed out, leaving plain text plus `Span`s that say
which template file and line produced each character and which profile fields a value
came from. Missing or empty values are recorded instead of failing the render.
"""

from __future__ import annotations

import bisect
import contextvars
import difflib
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import (
    SecurityError,
    TemplateNotFound,
    TemplateRuntimeError,
    UndefinedError,
)
from jinja2.runtime import ChainableUndefined, Context, LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum, missing
from markupsafe import Markup

from creepcheck import tuning
from creepcheck.confine import quote_path, resolved, template_problem
from creepcheck.engines import (
    JINJA2,
    EngineError,
    TemplateEngine,
    choose_engine,
    is_html,
    make_engine,
)
from creepcheck.errors import TemplateError
from creepcheck.htmltext import html_to_text
from creepcheck.models import Campaign, MessageSpec, Profile
from creepcheck.renderlimits import (
    Budget,
    Limits,
    RenderLimitError,
    bounded_filter,
    check_binop,
    check_brace_format,
    check_method_call,
    check_result,
    check_size,
    check_width,
    counted,
    interrupted_at_deadline,
)
from creepcheck.templatescan import OutputInfo, instrument, render_inputs

VALUE_START, VALUE_OPEN, VALUE_END, LINE_START, LINE_END = "\ue000\ue001\ue002\ue003\ue004"
MARKERS = re.compile("[\ue000-\ue004]")
MARKER_TOKEN = re.compile(
    "\ue000(\\d+)(!?)\ue001|\ue002|\ue003(\\d+):(\\d+)\ue004|([ \\t\\r\\f\\v\u00a0]+)|(\\n\\s*)"
)
HTML_SUFFIXES = (".html", ".htm", ".html.j2", ".htm.j2", ".html.jinja", ".html.jinja2")


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "creepcheck_budget", default=None
)


def _count_loop(iterable: Any) -> Iterator[Any]:
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.step()
        yield item


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


_RECORDER: contextvars.ContextVar[list[int]] = contextvars.ContextVar("creepcheck_recorder")


class _RecordingUndefined(ChainableUndefined):
    """Undefined that renders as nothing; chains (`a.b.c`) stay undefined.

    The sandbox answers an unsafe attribute with an undefined carrying a SecurityError;
    that one fails at once instead of rendering as nothing.
    """

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                 exc: type[TemplateRuntimeError] = UndefinedError) -> None:
        if exc is SecurityError:
            raise SecurityError(hint or "unsafe access")
        super().__init__(hint, obj, name, exc)


def _mark_output(value: Any, index: int) -> Any:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step()
    missing = isinstance(value, Undefined) or value is None
    if isinstance(value, Undefined):
        text = ""
    else:
        text = value if isinstance(value, Markup) else str(value)
        missing = missing or not text.strip()
    clean = MARKERS.sub("", text)
    flag = "!" if missing else ""
    marked = f"{VALUE_START}{index}{flag}{VALUE_OPEN}{clean}{VALUE_END}"
    return Markup(marked) if isinstance(value, Markup) else marked


def _mark_text(text: str, missing: bool, index: int) -> str:
    """`_mark_output` for engines other than Jinja2, which hand over the value's text."""
    flag = "!" if missing else ""
    return f"{VALUE_START}{index}{flag}{VALUE_OPEN}{MARKERS.sub('', text)}{VALUE_END}"


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `~` concatenation sized like `+` (it is no binop)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, parsing every template with output instrumentation,
    and charging every operation to the render's budget (see renderlimits)."""

    # Intercepted operators are also never folded at compile time (nodes.BinExpr.as_const).
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, root: Path, limits: Limits, display: Callable[[Path], str]) -> None:
        self.display = display
        super().__init__(
            loader=ConfinedLoader(root),
            undefined=_RecordingUndefined,
            autoescape=lambda name: bool(name) and name.lower().endswith(HTML_SUFFIXES),
            extensions=[],
            optimized=False,  # the optimizer would evaluate constant expressions at compile time
        )
        self.limits = limits
        self.outputs: list[OutputInfo] = []
        self.files: list[str] = []
        for name, func in list(self.filters.items()):
            self.filters[name] = bounded_filter(limits, name, func, _BUDGET.get)
        for name, func in list(self.tests.items()):
            self.tests[name] = counted(func, _BUDGET.get)
        self.filters["_cc_out"] = _mark_output
        self.filters["_cc_loop"] = _count_loop
        self.globals["range"] = self._safe_range
        self.globals["lipsum"] = self._small_lipsum
        for unsafe in ("cycler", "joiner", "namespace"):
            self.globals.pop(unsafe, None)

    def _safe_range(self, *args: int) -> range:
        result = range(*args)
        if len(result) > self.limits.max_range:
            raise RenderLimitError(f"range() of more than {self.limits.max_range:,} items")
        return result

    def _small_lipsum(self, n: int = 5, html: bool = True, min: int = 20,
                      max: int = 100) -> str:
        check_width(self.limits, n * max if isinstance(n, int) and isinstance(max, int) else 0,
                    "lipsum words")
        return str(generate_lorem_ipsum(n, html, min, max))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.call(len(args) + len(kwargs))
        check_method_call(__self.limits, __obj, args, kwargs)
        if budget is not None and isinstance(__obj, Macro | LoopContext):
            with budget.macro():
                return super().call(__context, __obj, *args, **kwargs)
        return check_result(__self.limits, super().call(__context, __obj, *args, **kwargs),
                            "call")

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Not charged: a look-up is cheap and only repeats inside counted loops and calls.
        if isinstance(obj, str) and attribute in {"format", "format_map"}:
            check_brace_format(self.limits, obj)  # the sandbox hands back a wrapper
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_binop(self.limits, operator, left, right)
        return super().call_binop(context, operator, left, right)

    def bounded_concat(self, joined: str) -> str:
        check_size(self.limits, len(joined), "concatenation")
        return joined

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        shown = self.display(Path(filename)) if filename and Path(filename).is_absolute() else None
        return instrument(tree, self.outputs, self.files, shown or filename or name or "<inline>")


class _Refused(TemplateNotFound):
    """A template the confinement rule does not let ConfinedLoader read."""


class ConfinedLoader(FileSystemLoader):
    """Loads `include`/`import`/`extends` targets under the confinement rule (confine.py):
    inside the repository, through no symlink out of it, in no hidden folder."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root), followlinks=False)
        self.root = resolved(root)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        problem = template_problem(template, self.root / template, self.root)
        if problem is not None:  # checked before reading: FileSystemLoader reads at once
            raise _Refused(template, problem)
        return super().get_source(environment, template)


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


@dataclass
class CompiledMessage:
    spec: MessageSpec
    subject: CompiledPart | None = None
    body: CompiledPart | None = None

    @property
    def parts(self) -> list[CompiledPart]:
        return [p for p in (self.subject, self.body) if p is not None]


MAX_LISTED = 1000  # files of a folder compared with a missing template's name


def _similar_file(path: Path, campaign_root: Path) -> str | None:
    """A file beside the missing template with a close name (`sms.txt` -> `sms.txt.j2`),
    relative to the campaign's folder."""
    folder = path.parent
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())[:MAX_LISTED]
    except OSError:
        return None
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not close or not (folder / close[0]).is_relative_to(campaign_root):
        return None
    return (folder / close[0]).relative_to(campaign_root).as_posix()


class Renderer:
    """Compiles a campaign's templates once and renders them per profile."""

    def __init__(self, root: Path, *, display_root: Path | None = None,
                 limits: Limits | None = None, optimise: bool | None = None) -> None:
        self.root = root.resolve()
        self.display_root = (display_root or Path.cwd()).resolve()
        self.env = SandboxEnvironment(self.root, limits or Limits(), self.display)
        self.optimise = tuning.OPTIMISE if optimise is None else optimise
        self._skeletons = _SkeletonCache(self)
        self._renders = _RenderCache(self)
        self._globals: dict[int, dict[str, Any]] = {}  # by id(template): templates live as long
        self._engines: dict[str, TemplateEngine] = {}

    # -- compiling -------------------------------------------------------------------
    def compile_message(self, campaign: Campaign, spec: MessageSpec) -> CompiledMessage:
        campaign_file = self.display(campaign.path)
        compiled = CompiledMessage(spec)
        offset = (spec.line or 1) - 1
        engine = choose_engine(spec.engine, spec.template, campaign.engine)
        inline_engine = spec.engine or campaign.engine or JINJA2
        if spec.subject is not None:
            compiled.subject = self._compile_inline(
                spec.subject, campaign_file, offset, inline_engine
            )
        if spec.template is not None:
            compiled.body = self._compile_file(
                campaign, spec.template, spec.template_line or spec.line, engine
            )
        elif spec.body is not None:
            compiled.body = self._compile_inline(spec.body, campaign_file, offset, inline_engine)
        return compiled

    def _engine(self, name: str) -> TemplateEngine:
        engine = self._engines.get(name)
        if engine is None:
            engine = self._engines[name] = make_engine(
                name, self.env.limits, _BUDGET.get, _mark_text
            )
        return engine

    def _compile_other(self, name: str, source: str, file: str, offset: int,
                       html: bool) -> CompiledPart:
        """A template of another engine: parsed by it, its shadow tree instrumented as a
        Jinja template's tree is, and bound to the output indices that gave it."""
        engine = self._engine(name)
        try:
            compiled = engine.parse(source, file, html)
        except EngineError as exc:
            raise TemplateError(exc.message, file, offset + (exc.line or 1)) from None
        shadow = instrument(compiled.shadow, self.env.outputs, self.env.files, file)
        engine.bind(compiled, self.env.files)
        return CompiledPart(
            file, source, shadow, compiled, html, line_offset=offset, jinja_filename=file,
            engine=name,
        )

    def _compile_inline(self, source: str, file: str, offset: int,
                        engine: str = JINJA2) -> CompiledPart:
        if engine != JINJA2:
            return self._compile_other(engine, source, file, offset, html=False)
        try:
            ast = self.env.parse(source, filename=file)
            template = self.env.from_string(ast)
        except TemplateSyntaxError as exc:
            raise TemplateError(
                f"syntax error: {exc.message}", file, offset + (exc.lineno or 1)
            ) from None
        except (RecursionError, SyntaxError) as exc:
            raise TemplateError(_too_deep(exc), file, offset + 1) from None
        return CompiledPart(
            file, source, ast, template, html=False, line_offset=offset, jinja_filename=file
        )

    def _compile_file(self, campaign: Campaign, relative: str,
                      spec_line: int | None = None, engine: str = JINJA2) -> CompiledPart:
        path = resolved(campaign.root / relative)
        shown = self.display(path)
        problem = template_problem(relative, path, self.root)
        if problem is not None:
            raise TemplateError(problem, self.display(campaign.path), spec_line)
        name = path.relative_to(self.root).as_posix()
        try:
            source = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            hint = _similar_file(path, campaign.root.resolve())
            tip = f' (did you mean "{hint}"?)' if hint else ""
            raise TemplateError(
                f"template file {relative!r} not found{tip}", self.display(campaign.path), spec_line
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"cannot read template: {exc}", shown) from None
        if engine != JINJA2:
            return self._compile_other(engine, source, shown, 0, is_html(name))
        try:
            ast = self.env.parse(source, name=name, filename=shown)
            template = self.env.get_template(name)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"syntax error: {exc.message}", shown, exc.lineno) from None
        except (RecursionError, SyntaxError) as exc:
            raise TemplateError(_too_deep(exc), shown) from None
        except TemplateNotFound as exc:
            raise TemplateError(_not_found(exc), shown) from None
        return CompiledPart(
            shown,
            source,
            ast,
            template,
            html=name.lower().endswith(HTML_SUFFIXES),
            jinja_filename=template.filename or shown,
        )

    def display(self, path: Path) -> str:
        resolved = path.resolve()
        if resolved.is_relative_to(self.display_root):
            return resolved.relative_to(self.display_root).as_posix()
        return str(path)

    # -- rendering -------------------------------------------------------------------
    def render(
        self, compiled: CompiledMessage, profile: Profile, campaign: Campaign
    ) -> RenderedMessage:
        key = self._renders.input_key(compiled, profile) if self.optimise else None
        if key is not None and (shared := self._renders.by_input.get(key)) is not None:
            return shared
        context = template_context(profile, campaign)
        raws = [self._render_part(part, context) for part in compiled.parts]
        if not self.optimise:
            parts = zip(compiled.parts, raws, strict=True)
            return _assemble([self._parse(part, raw) for part, raw in parts], compiled, profile)
        rendered = self._renders.message(compiled, raws, profile)
        if key is not None:
            self._renders.remember(key, rendered)
        return rendered

    def _piece(self, part: CompiledPart, raw: str) -> _Piece:
        return self._skeletons.piece(part, raw) or self._parse(part, raw)

    def _parse(self, part: CompiledPart, raw: str) -> _Piece:
        marked, links = html_to_text(raw) if part.html else (raw, [])
        return _MarkerParser(part, self.env).parse(marked, links)

    def _render_part(self, part: CompiledPart, context: Mapping[str, Any]) -> str:
        limit = self.env.limits.max_output_chars
        chunks: list[str] = []
        size = 0
        budget = Budget(self.env.limits)
        token = _BUDGET.set(budget)
        try:
            with interrupted_at_deadline(budget):
                for chunk in self._generate(part, context):
                    size += len(chunk)
                    if size > limit:
                        raise TemplateError(
                            f"output exceeds the limit of {limit:,} characters", part.file
                        )
                    chunks.append(chunk)
        except TemplateError:
            raise
        except EngineError as exc:
            line = exc.line + part.line_offset if exc.line is not None else None
            raise TemplateError(exc.message, part.file, line) from None
        except RenderLimitError as exc:
            raise TemplateError(str(exc), part.file, _error_line(exc, part)) from None
        except SecurityError as exc:
            raise TemplateError(
                f"blocked by the sandbox: {exc}", part.file, _error_line(exc, part)
            ) from None
        except TemplateNotFound as exc:
            raise TemplateError(_not_found(exc), part.file, _error_line(exc, part)) from None
        except RecursionError as exc:
            raise TemplateError("recursion too deep", part.file, _error_line(exc, part)) from None
        except UndefinedError as exc:
            raise TemplateError(
                f"render failed: {exc.message}", part.file, _error_line(exc, part)
            ) from None
        except Exception as exc:  # any error a template raises becomes a finding, never a crash
            raise TemplateError(
                f"render failed: {type(exc).__name__}: {exc}", part.file, _error_line(exc, part)
            ) from None
        finally:
            _BUDGET.reset(token)
        return "".join(chunks)


    def _generate(self, part: CompiledPart, context: Mapping[str, Any]) -> Iterator[str]:
        """`Template.generate`, with the template's globals merged once, not per render."""
        if part.engine != JINJA2:
            yield from self._engine(part.engine).generate(part.template, context)
            return
        template = part.template
        globals_ = self._globals.get(id(template))
        if globals_ is None:
            globals_ = self._globals[id(template)] = dict(template.globals)
        # What Template.new_context builds, without iterating the globals' ChainMap twice.
        ctx = self.env.context_class(
            self.env, {**globals_, **context}, template.name, template.blocks, globals=globals_
        )
        try:
            yield from template.root_render_func(ctx)
        except Exception:
            yield self.env.handle_exception()


def _too_deep(exc: RecursionError | SyntaxError) -> str:
    """A template nested past what the parser or Python's compiler can follow."""
    detail = exc.msg if isinstance(exc, SyntaxError) else "recursion limit reached"
    return f"template nested too deeply to compile ({detail})"


def template_context(profile: Profile, campaign: Campaign) -> dict[str, Any]:
    context = {str(k): v for k, v in profile.data.items() if str(k).isidentifier()}
    context["profile"] = profile.data
    context["campaign"] = dict(campaign.raw)
    return context


def _not_found(exc: TemplateNotFound) -> str:
    """Why an included template cannot be read: ConfinedLoader's reason, else not found."""
    if isinstance(exc, _Refused) and exc.message:
        return exc.message
    return f"template {quote_path(str(exc.name))} not found"


def _error_line(exc: BaseException, part: CompiledPart) -> int | None:
    names = {part.file, part.jinja_filename}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in names]
    if frames and frames[-1].lineno:
        return frames[-1].lineno + part.line_offset
    return getattr(exc, "lineno", None)


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
    return RenderedMessage(text, tuple(spans), tuple(links), missing, subject_end, body_file)


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

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
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
            parsed = self.entries[key] = self.renderer._parse(part, skeleton)
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

    spans = [replace(s, start=moved(s.start), end=moved(s.end)) for s in parsed.spans]
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

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.pieces: dict[tuple[int, str], tuple[_Piece, frozenset[str]]] = {}
        self.messages: dict[tuple[object, ...], RenderedMessage] = {}
        self.by_input: dict[tuple[object, ...], RenderedMessage] = {}
        self.inputs: dict[int, tuple[frozenset[str], tuple[str, ...]] | None] = {}

    def input_key(self, compiled: CompiledMessage, profile: Profile) -> tuple[object, ...] | None:
        if id(compiled) not in self.inputs:
            self.inputs[id(compiled)] = _message_inputs(compiled)
        inputs = self.inputs[id(compiled)]
        if inputs is None:
            return None
        values, tested = inputs
        data = profile.data
        truth = tuple(bool(data.get(name)) for name in tested)
        return (id(compiled), truth, _values_under(profile, values))

    def remember(self, key: tuple[object, ...], rendered: RenderedMessage) -> None:
        if len(self.by_input) >= self.MAX_ENTRIES:
            self.by_input.clear()
        self.by_input[key] = rendered

    def message(
        self, compiled: CompiledMessage, raws: list[str], profile: Profile
    ) -> RenderedMessage:
        parsed = [self._piece(part, raw) for part, raw in zip(compiled.parts, raws, strict=False)]
        roots = frozenset().union(*(roots for _, roots in parsed))
        key = (id(compiled), *raws, _values_under(profile, roots))
        rendered = self.messages.get(key)
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
            piece = self.renderer._piece(part, raw)
            roots = frozenset(
                _root(f) for s in piece.spans if s.dynamic for f in s.fields
            )
            entry = self.pieces[key] = (piece, roots)
        return entry


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
