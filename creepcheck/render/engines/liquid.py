"""Liquid templates (Braze, Klaviyo, Customer.io, Shopify) with python-liquid.

Liquid has no attribute access to Python objects (paths are looked up as mapping keys
and list indexes only), so a template reads nothing but its context. What it may cost is
bounded twice: python-liquid's own limits (loop iterations, output and local namespace
size, nesting) and the render budget every filter and output is charged to, with the
renderer's deadline timer around the whole render. `{% include %}` and `{% render %}`
are refused: a partial's values would not be mapped back to its own lines and fields.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes
from liquid import Environment, RenderContext
from liquid.ast import Node
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions import (
    BooleanExpression,
    FilteredExpression,
    Path,
    StringLiteral,
)
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    LogicalAndExpression,
)
from liquid.builtin.output import OutputNode
from liquid.builtin.tags.assign_tag import AssignNode
from liquid.builtin.tags.capture_tag import CaptureNode
from liquid.builtin.tags.for_tag import ForNode
from liquid.builtin.tags.if_tag import IfNode
from liquid.builtin.tags.include_tag import IncludeNode
from liquid.builtin.tags.render_tag import RenderNode
from liquid.builtin.tags.tablerow_tag import TablerowNode
from liquid.exceptions import (
    LiquidError,
    LoopIterationLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
)
from liquid.expression import Expression
from liquid.loader import BaseLoader, TemplateSource
from liquid.stringify import to_liquid_string
from liquid.token import Token
from liquid.undefined import Undefined
from markupsafe import Markup

from creepcheck.render.engines import LIQUID, BudgetGetter, Compiled, EngineError, Marker
from creepcheck.render.renderlimits import Limits, RenderLimitError, check_size

PARTIALS_REFUSED = (
    "{% include %} and {% render %} are not supported in Liquid templates: "
    "put the partial's text in the template"
)


class _NoPartials(BaseLoader):
    """The loader of an environment that loads no other template."""

    def get_source(self, env: Environment, template_name: str, *,  # noqa: ARG002
                   context: RenderContext | None = None, **kwargs: object) -> TemplateSource:
        raise EngineError(PARTIALS_REFUSED)


LIQUID_TAG = re.compile(r"\{\{.*?\}\}|\{%-?\s*(\w+).*?%\}", re.DOTALL)
BLOCK_TAGS = frozenset({"if", "unless", "for", "case", "capture", "tablerow", "comment"})


def _has_position(token: Token | None) -> bool:
    return token is not None and token.start_index >= 0


def _error_line(env: Environment, source: str) -> int:
    """Where a template goes wrong when python-liquid's error has no position (it ran
    out of input): the first tag that does not parse alone, a closing tag that closes
    nothing open, else the innermost block left open."""
    open_blocks: list[tuple[str, int]] = []
    for match in LIQUID_TAG.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        name = match.group(1)
        alone = match.group(0)
        if name is not None and name.startswith("end"):
            if not open_blocks or open_blocks[-1][0] != name[3:]:
                return line
            open_blocks.pop()
            continue
        if name in BLOCK_TAGS:
            open_blocks.append((name, line))
            alone += f"{{% end{name} %}}"
        elif name is not None and name in {"else", "elsif", "when", "break", "continue"}:
            continue
        try:
            env.from_string(alone)
        except EngineError:
            pass
        except LiquidError:
            return line
    return open_blocks[-1][1] if open_blocks else 1


def _line(token: Token | None) -> int:
    if token is None or token.start_index < 0:
        return 1
    return token.source.count("\n", 0, token.start_index) + 1


def _content_line(node: ContentNode) -> int:
    """The line where a text's first kept character is: `-%}` may have stripped the
    line break that began it, as Jinja's line numbers assume."""
    token = node.token
    if token is None or token.start_index < 0 or not node.text:
        return _line(token)
    start = token.source.find(node.text, token.start_index)
    return token.source.count("\n", 0, start if start >= 0 else token.start_index) + 1


@dataclass
class _LiquidTemplate:
    """A parsed Liquid template and the nodes `bind` instruments."""

    bound: Any  # liquid.BoundTemplate
    outputs: list[tuple[OutputNode, nodes.Output]] = field(default_factory=list)
    contents: list[tuple[ContentNode, int]] = field(default_factory=list)
    file: str = ""


class _MarkedExpression(Expression):
    """An output's expression whose value comes out between the renderer's markers."""

    __slots__ = ("inner", "index", "engine")

    def __init__(self, inner: Expression, index: int, engine: LiquidEngine) -> None:
        super().__init__(inner.token)
        self.inner, self.index, self.engine = inner, index, engine

    def evaluate(self, context: RenderContext) -> object:
        return self.engine.marked(self.inner.evaluate(context), self.index, context.autoescape)

    async def evaluate_async(self, context: RenderContext) -> object:
        value = await self.inner.evaluate_async(context)
        return self.engine.marked(value, self.index, context.autoescape)

    def children(self) -> list[Expression]:
        return [self.inner]


class LiquidEngine:
    name = LIQUID

    def __init__(self, limits: Limits, budget: BudgetGetter, mark: Marker) -> None:
        self.limits, self.budget, self.mark = limits, budget, mark
        env = Environment(loader=_NoPartials(), autoescape=False)
        # python-liquid's own limits are class attributes, read through the instance.
        env.loop_iteration_limit = limits.max_loop_steps  # type: ignore[misc]
        env.output_stream_limit = 4 * limits.max_output_chars  # type: ignore[misc]
        env.local_namespace_limit = 4 * limits.max_output_chars  # type: ignore[misc]
        for name, func in list(env.filters.items()):
            env.filters[name] = self._bounded(name, func)
        self.env = env
        self.html_env = Environment(loader=_NoPartials(), autoescape=True)
        for attribute in ("loop_iteration_limit", "output_stream_limit", "local_namespace_limit"):
            setattr(self.html_env, attribute, getattr(env, attribute))
        self.html_env.filters = env.filters

    def _bounded(self, name: str, func: Any) -> Any:
        """`func` charged to the render budget; a range too long to walk, or a result
        over the size limit, ends the render."""
        limits = self.limits

        @functools.wraps(func)
        def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
            current = self.budget()
            if current is not None:
                current.call(len(args) + len(kwargs))
            if isinstance(value, range) and len(value) > limits.max_range:
                raise RenderLimitError(f"a range of more than {limits.max_range:,} items")
            result = func(value, *args, **kwargs)
            if isinstance(result, str | list | tuple) and len(result) > limits.max_output_chars:
                check_size(limits, len(result), name)
            return result

        return bounded

    def marked(self, value: object, index: int, autoescape: bool) -> object:
        budget = self.budget()
        if budget is not None:
            budget.step()
        text = "" if isinstance(value, Undefined) else to_liquid_string(value, autoescape)
        missing = isinstance(value, Undefined) or value is None or not text.strip()
        marked = self.mark(text, missing, index)
        return Markup(marked) if autoescape else marked

    # -- parsing -----------------------------------------------------------------------
    def parse(self, source: str, file: str, html: bool = False) -> Compiled:
        env = self.html_env if html else self.env
        try:
            bound = env.from_string(source, name=file)
        except EngineError:
            raise
        except LiquidError as exc:
            line = _line(exc.token) if _has_position(exc.token) else _error_line(env, source)
            raise EngineError(f"syntax error: {exc.message}", line) from None
        except RecursionError:
            raise EngineError("template nested too deeply to parse") from None
        template = _LiquidTemplate(bound, file=file)
        static = RenderContext(bound)
        body = [s for node in bound.nodes for s in self._shadow(node, static, template)]
        shadow = nodes.Template(body, lineno=1)
        for used in shadow.find_all(nodes.Filter):
            if used.name not in env.filters:  # found now, not once per profile rendered
                raise EngineError(f"syntax error: unknown filter {used.name!r}", used.lineno)
        return Compiled(shadow, template)

    def _shadow(self, node: Node, static: RenderContext,
                template: _LiquidTemplate) -> list[nodes.Node]:
        """The Jinja statements standing for `node`: what templatescan reads."""
        line = _line(node.token)
        if isinstance(node, ContentNode):
            line = _content_line(node)
            template.contents.append((node, line))
            return [nodes.Output([nodes.TemplateData(node.text, lineno=line)], lineno=line)]
        if isinstance(node, OutputNode):
            output = nodes.Output([_expr(node.expression, line)], lineno=line)
            template.outputs.append((node, output))
            return [output]
        if isinstance(node, IncludeNode | RenderNode):
            return [nodes.Include(nodes.Const(str(node)), True, False, lineno=line)]
        if isinstance(node, IfNode):  # branches kept apart: what each requires is read
            def block(liquid_block: Node | None) -> list[nodes.Node]:
                return self._shadow(liquid_block, static, template) if liquid_block else []

            elifs = [
                nodes.If(_test(alt.expression, line), block(alt.block), [], [], lineno=line)
                for alt in node.alternatives
            ]
            body, default = block(node.consequence), block(node.default)
            return [nodes.If(_test(node.condition, line), body, elifs, default, lineno=line)]
        kids = [
            statement
            for child in node.children(static, include_partials=False)
            for statement in self._shadow(child, static, template)
        ]
        if isinstance(node, ForNode | TablerowNode):
            loop = node.expression
            target = nodes.Name(str(loop.identifier), "store", lineno=line)
            return [nodes.For(target, _expr(loop.iterable, line), kids, [], None, False,
                              lineno=line)]
        if isinstance(node, AssignNode):
            target = nodes.Name(str(node.name), "store", lineno=line)
            return [nodes.Assign(target, _expr(node.expression, line), lineno=line)]
        if isinstance(node, CaptureNode):
            target = nodes.Name(str(node.name), "store", lineno=line)
            return [nodes.AssignBlock(target, None, kids, lineno=line)]
        tests = [_expr(expression, line) for expression in node.expressions()]
        if tests:  # if, elsif, unless, case, when, cycle: the template branches on these
            test = nodes.Tuple(tests, "load", lineno=line)
            return [nodes.If(test, kids, [], [], lineno=line)]
        return kids

    # -- rendering -----------------------------------------------------------------------
    def bind(self, compiled: Compiled, files: list[str]) -> None:
        template: _LiquidTemplate = compiled.template
        file_index = files.index(template.file) if template.file in files else 0
        for node, output in template.outputs:
            wrapped = output.nodes[0]
            argument = wrapped.args[0] if isinstance(wrapped, nodes.Filter) else None
            index = argument.value if isinstance(argument, nodes.Const) else None
            if isinstance(index, int):
                node.expression = _MarkedExpression(node.expression, index, self)
        for content, line in template.contents:
            content.text = _line_marked(content.text, line, file_index)

    def generate(self, compiled: Compiled, context: Mapping[str, Any]) -> Iterator[str]:
        template: _LiquidTemplate = compiled.template
        try:
            yield template.bound.render(dict(context))
        except (EngineError, RenderLimitError):
            raise
        except LoopIterationLimitError:
            steps = self.limits.max_loop_steps
            raise EngineError(f"loops ran more than {steps:,} steps") from None
        except ResourceLimitError as exc:
            what = "the output" if isinstance(exc, OutputStreamLimitError) else "assigned values"
            raise EngineError(
                f"{what} went over the size limit ({exc.message})",
                _line(exc.token) if _has_position(exc.token) else None,
            ) from None
        except LiquidError as exc:
            raise EngineError(f"render failed: {exc.message}", _line(exc.token)) from None


def _line_marked(data: str, line: int, file_index: int) -> str:
    lines = data.split("\n")
    return "\n".join(f"\ue003{file_index}:{line + i}\ue004{text}" for i, text in enumerate(lines))


def _expr(expression: Expression, line: int) -> nodes.Expr:
    """A Liquid expression as the Jinja expression templatescan reads: paths as name
    chains, filters as filters, anything else as the tuple of the paths inside it."""
    if isinstance(expression, FilteredExpression):
        result = _expr(expression.left, line)
        for liquid_filter in expression.filters or ():
            args = [_expr(arg.value, line) for arg in liquid_filter.args]
            result = nodes.Filter(result, liquid_filter.name, args, [], None, None, lineno=line)
        return result
    if isinstance(expression, Path):
        return _chain(expression, line)
    paths = list(_paths(expression))
    if not paths:
        return nodes.Const(str(expression), lineno=line)
    if len(paths) == 1:
        return _chain(paths[0], line)
    return nodes.Tuple([_chain(p, line) for p in paths], "load", lineno=line)


def _test(expression: Expression, line: int) -> nodes.Expr:
    """An `if` or `elsif` condition as the Jinja test templatescan reads: a path, `and`,
    `==` and `contains` (as `in`) kept as such, anything else as the paths it reads."""
    if isinstance(expression, BooleanExpression):
        return _test(expression.expression, line)
    if isinstance(expression, LogicalAndExpression):
        return nodes.And(_test(expression.left, line), _test(expression.right, line), lineno=line)
    if isinstance(expression, EqExpression | ContainsExpression):
        left, right = _operand(expression.left, line), _operand(expression.right, line)
        if isinstance(expression, ContainsExpression):
            return nodes.Compare(right, [nodes.Operand("in", left)], lineno=line)
        return nodes.Compare(left, [nodes.Operand("eq", right)], lineno=line)
    if isinstance(expression, Path):  # a truth test
        return _chain(expression, line)
    return nodes.Tuple([_chain(p, line) for p in _paths(expression)], "load", lineno=line)


def _operand(expression: Expression, line: int) -> nodes.Expr:
    if isinstance(expression, StringLiteral):
        return nodes.Const(expression.value, lineno=line)
    return _expr(expression, line)


def _paths(expression: Expression) -> Iterable[Path]:
    if isinstance(expression, Path):
        yield expression
        return
    for child in expression.children():
        yield from _paths(child)


LOOP_NAMES = frozenset({"forloop", "tablerowloop"})  # a loop's own variables, no profile field


def _chain(path: Path, line: int) -> nodes.Expr:
    segments = list(path.path)
    head = segments[0]
    if head in LOOP_NAMES:
        return nodes.Const(str(path), lineno=line)
    node: nodes.Expr = (
        _chain(head, line) if isinstance(head, Path) else nodes.Name(str(head), "load", lineno=line)
    )
    for segment in segments[1:]:
        if isinstance(segment, Path):
            node = nodes.Getitem(node, _chain(segment, line), "load", lineno=line)
        elif isinstance(segment, int):
            node = nodes.Getitem(node, nodes.Const(segment, lineno=line), "load", lineno=line)
        else:
            node = nodes.Getattr(node, str(segment), "load", lineno=line)
    return node
