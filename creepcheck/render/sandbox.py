"""The Jinja sandbox templates render in: instrumented output, budgets, confined loading."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, nodes
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

from creepcheck.confine import resolved, template_problem
from creepcheck.render.renderlimits import (
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
)
from creepcheck.render.templatescan import OutputInfo, instrument

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
        for unsafe in ("cycler", "joiner"):
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
