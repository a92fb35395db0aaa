"""The renderer: compiles a campaign's templates once and renders them per profile."""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

from creepcheck import tuning
from creepcheck.confine import quote_path, resolved, template_problem
from creepcheck.errors import TemplateFailure
from creepcheck.models import Campaign, MessageSpec, Profile
from creepcheck.render.caches import _RenderCache, _SkeletonCache
from creepcheck.render.compiled import CompiledMessage, CompiledPart
from creepcheck.render.engines import (
    JINJA2,
    EngineError,
    TemplateEngine,
    choose_engine,
    is_html,
    make_engine,
)
from creepcheck.render.htmltext import html_to_text
from creepcheck.render.message import RenderedMessage
from creepcheck.render.renderlimits import Budget, Limits, RenderLimitError, interrupted_at_deadline
from creepcheck.render.sandbox import (
    _BUDGET,
    HTML_SUFFIXES,
    SandboxEnvironment,
    _mark_text,
    _Refused,
)
from creepcheck.render.sourcemap import _assemble, _MarkerParser, _Piece
from creepcheck.render.templatescan import instrument

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
        self._skeletons = _SkeletonCache(self._parse)
        self._renders = _RenderCache(self._piece)
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
            raise TemplateFailure(exc.message, file, offset + (exc.line or 1)) from None
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
            raise TemplateFailure(
                f"syntax error: {exc.message}", file, offset + (exc.lineno or 1)
            ) from None
        except (RecursionError, SyntaxError) as exc:
            raise TemplateFailure(_too_deep(exc), file, offset + 1) from None
        return CompiledPart(
            file, source, ast, template, html=False, line_offset=offset, jinja_filename=file
        )

    def _compile_file(self, campaign: Campaign, relative: str,
                      spec_line: int | None = None, engine: str = JINJA2) -> CompiledPart:
        path = resolved(campaign.root / relative)
        shown = self.display(path)
        problem = template_problem(relative, path, self.root)
        if problem is not None:
            raise TemplateFailure(problem, self.display(campaign.path), spec_line)
        name = path.relative_to(self.root).as_posix()
        try:
            source = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            hint = _similar_file(path, campaign.root.resolve())
            tip = f' (did you mean "{hint}"?)' if hint else ""
            raise TemplateFailure(
                f"template file {relative!r} not found{tip}", self.display(campaign.path), spec_line
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateFailure(f"cannot read template: {exc}", shown) from None
        if engine != JINJA2:
            return self._compile_other(engine, source, shown, 0, is_html(name))
        try:
            ast = self.env.parse(source, name=name, filename=shown)
            template = self.env.get_template(name)
        except TemplateSyntaxError as exc:
            raise TemplateFailure(f"syntax error: {exc.message}", shown, exc.lineno) from None
        except (RecursionError, SyntaxError) as exc:
            raise TemplateFailure(_too_deep(exc), shown) from None
        except TemplateNotFound as exc:
            raise TemplateFailure(_not_found(exc), shown) from None
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
        if key is not None and (shared := self._renders.shared(compiled, key)) is not None:
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
                        raise TemplateFailure(
                            f"output exceeds the limit of {limit:,} characters", part.file
                        )
                    chunks.append(chunk)
        except TemplateFailure:
            raise
        except EngineError as exc:
            line = exc.line + part.line_offset if exc.line is not None else None
            raise TemplateFailure(exc.message, part.file, line) from None
        except RenderLimitError as exc:
            raise TemplateFailure(str(exc), part.file, _error_line(exc, part)) from None
        except SecurityError as exc:
            raise TemplateFailure(
                f"blocked by the sandbox: {exc}", part.file, _error_line(exc, part)
            ) from None
        except TemplateNotFound as exc:
            raise TemplateFailure(_not_found(exc), part.file, _error_line(exc, part)) from None
        except RecursionError as exc:
            raise TemplateFailure("recursion too deep", part.file, _error_line(exc, part)) from None
        except UndefinedError as exc:
            raise TemplateFailure(
                f"render failed: {exc.message}", part.file, _error_line(exc, part)
            ) from None
        except Exception as exc:  # any error a template raises becomes a finding, never a crash
            raise TemplateFailure(
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
