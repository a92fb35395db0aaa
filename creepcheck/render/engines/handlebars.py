"""Handlebars templates (Iterable, SendGrid, Mailchimp Transactional) with
dotpromptz-handlebars, a pure-Python Handlebars kept by Google's Genkit team.

It reads paths through mappings and lists only (never `getattr`), so a template sees
nothing but its context; its `log` helper (which prints) is removed, and partials are
refused. Every output and every text chunk goes through a helper of ours that charges
the render budget and writes the renderer's markers, so loops are bounded by the
budget's steps, the renderer's timer bounds time, and nesting is bounded by the
library's depth limit set to the budget's. The parsed nodes carry no positions: their
lines are recovered by walking the source's tags in the nodes' order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dotpromptz_handlebars import (
    Block,
    Handlebars,
    HelperOptions,
    Mustache,
    Partial,
    PartialBlock,
    SafeString,
    Text,
)
from dotpromptz_handlebars._render import compile_template  # parsed nodes, to instrument
from jinja2 import nodes

from creepcheck.render.engines import HANDLEBARS, BudgetGetter, Compiled, EngineError, Marker
from creepcheck.render.renderlimits import Limits, RenderLimitError

PARTIALS_REFUSED = "partials ({{> name}}) are not supported in Handlebars templates: " \
    "put the partial's text in the template"
TAG = re.compile(r"\{\{!--.*?--\}\}|\{\{\{?(.*?)\}?\}\}", re.DOTALL)
_ESCAPE = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "`": "&#x60;",
    "=": "&#x3D;",
})
_BUILTIN_BLOCKS = frozenset({"if", "unless", "each", "with"})
_OUT, _TEXT = "cc_out", "cc_text"  # our helpers' names (a name may not start with `_`)


@dataclass
class _Tag:
    body: str  # without braces and `~`
    line: int


@dataclass
class _HandlebarsTemplate:
    program: list[Any]
    file: str
    source: str = ""
    outputs: list[tuple[Mustache, nodes.Output]] = field(default_factory=list)
    texts: list[tuple[Text, int]] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)  # line-marked text, by `cc_text` index


def _tags(source: str) -> list[_Tag]:
    found = []
    for match in TAG.finditer(source):
        if match.group(1) is None:
            continue  # a {{!-- --}} comment
        body = match.group(1).strip().strip("~").strip()
        if body.startswith("!"):
            continue
        found.append(_Tag(body, source.count("\n", 0, match.start()) + 1))
    return found


def _error_line(source: str) -> int:
    """Where a template the library refused goes wrong: an unclosed `{{`, a closing tag
    that closes nothing open, a block left open, or a tag that does not parse alone."""
    unclosed = re.search(r"\{\{(?![^{}]*\}\})", source)
    open_blocks: list[_Tag] = []
    for tag in _tags(source):
        if unclosed is not None and source.count("\n", 0, unclosed.start()) + 1 < tag.line:
            break
        if tag.body.startswith(("#", "^")) and len(tag.body) > 1:
            open_blocks.append(tag)
        elif tag.body.startswith("/"):
            name = tag.body[1:].strip()
            if not open_blocks or open_blocks[-1].body[1:].split()[0:1] != [name]:
                return tag.line
            open_blocks.pop()
        elif tag.body not in ("else", "^") and not tag.body.startswith(("else ", ">")):
            try:
                compile_template("{{" + tag.body + "}}")
            except (ValueError, RecursionError):
                return tag.line
    if unclosed is not None:
        return source.count("\n", 0, unclosed.start()) + 1
    return open_blocks[-1].line if open_blocks else 1


HELPERS = frozenset({"lookup"})  # the library's, less `log`


def _missing_helper(program: list[Any]) -> str | None:
    """The first helper a tag calls (a tag with arguments, a block with arguments) that
    is neither a built-in block nor a helper of the library."""
    for node in program:
        if isinstance(node, Mustache | Block):
            call = node.call
            calls = bool(call["args"] or call["hash"])
            name = str(call["name"])
            if calls and name not in HELPERS and name not in _BUILTIN_BLOCKS:
                return name
        if isinstance(node, Block):
            found = _missing_helper(node.body) or _missing_helper(node.inverse)
            if found:
                return found
    return None


def _helper_line(source: str, name: str) -> int | None:
    """The line of the first tag that calls the helper `name`."""
    for tag in _tags(source):
        words = tag.body.lstrip("#&{").split()
        if words[:1] == [name]:
            return tag.line
    return None


class HandlebarsEngine:
    name = HANDLEBARS

    def __init__(self, limits: Limits, budget: BudgetGetter, mark: Marker) -> None:
        self.limits, self.budget, self.mark = limits, budget, mark

    def _handlebars(self, template: _HandlebarsTemplate, html: bool) -> Handlebars:
        handlebars = Handlebars(escape_html=html, max_depth=self.limits.max_depth)
        handlebars.unregister_helper("log")  # it prints: PII on the report's stream

        def out(args: list[Any], options: HelperOptions) -> SafeString:
            value, index, raw = (args + [None, 0, 0])[:3]
            self._charge()
            text = "" if value is None else _shown(value)
            missing = value is None or not text.strip()
            if html and not raw and not isinstance(value, SafeString):
                text = text.translate(_ESCAPE)
            return SafeString(self.mark(text, missing, int(index)))

        def text(args: list[Any], options: HelperOptions) -> SafeString:
            self._charge()
            return SafeString(template.chunks[int(args[0])])

        handlebars.register_helper(_OUT, out)
        handlebars.register_helper(_TEXT, text)
        return handlebars

    def _charge(self) -> None:
        budget = self.budget()
        if budget is not None:
            budget.step()

    # -- parsing -----------------------------------------------------------------------
    def parse(self, source: str, file: str, html: bool = False) -> Compiled:
        try:
            program = compile_template(source, max_depth=self.limits.max_depth)
        except RecursionError:
            raise EngineError("template nested too deeply to parse", _error_line(source)) from None
        except ValueError as exc:
            raise EngineError(f"syntax error: {exc}", _error_line(source)) from None
        missing = _missing_helper(program)
        if missing is not None:  # found now, not once per profile rendered
            raise EngineError(f'syntax error: unknown helper "{missing}"',
                              _helper_line(source, missing))
        template = _HandlebarsTemplate(program, file, source)
        walker = _Shadow(source, template)
        body = walker.walk(program)
        compiled = Compiled(nodes.Template(body, lineno=1), template)
        compiled.template = (template, self._handlebars(template, html))
        return compiled

    # -- rendering -----------------------------------------------------------------------
    def bind(self, compiled: Compiled, files: list[str]) -> None:
        template, _ = compiled.template
        file_index = files.index(template.file) if template.file in files else 0
        for mustache, output in template.outputs:
            wrapped = output.nodes[0]
            argument = wrapped.args[0] if isinstance(wrapped, nodes.Filter) else None
            index = argument.value if isinstance(argument, nodes.Const) else None
            if isinstance(index, int):
                mustache.call = _call(_OUT, [_inner(mustache.call), str(index),
                                             "1" if mustache.raw else "0"])
                mustache.raw = True
        for text_node, line in template.texts:
            lines = text_node.value.split("\n")
            marked = "\n".join(
                f"\ue003{file_index}:{line + i}\ue004{part}" for i, part in enumerate(lines)
            )
            template.chunks.append(marked)
        # Text nodes become calls of our text helper: charged, so loops are bounded.
        _swap_texts(template.program, template)

    def generate(self, compiled: Compiled, context: Mapping[str, Any]) -> Iterator[str]:
        template, handlebars = compiled.template
        try:
            yield handlebars._render_program(template.program, dict(context), None, data=None)
        except RenderLimitError:
            raise
        except RecursionError:
            raise RenderLimitError(
                f"blocks nested deeper than {self.limits.max_depth:,}"
            ) from None
        except ValueError as exc:
            helper = re.fullmatch(r'Missing helper: "(.*)"', str(exc))
            line = _helper_line(template.source, helper.group(1)) if helper else None
            raise EngineError(f"render failed: {exc}", line) from None


def _shown(value: Any) -> str:
    """A value as Handlebars.js prints it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        return ",".join(_shown(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _call(name: str, args: list[str]) -> dict[str, Any]:
    return {"name": name, "args": args, "hash": {}, "params": [], "literal": False}


def _inner(call: dict[str, Any]) -> str:
    """The original tag as one argument: a path, or a helper call as a subexpression."""
    if not call["args"] and not call["hash"]:
        return str(call["name"])
    words = [call["name"], *call["args"], *(f"{k}={v}" for k, v in call["hash"].items())]
    return "(" + " ".join(str(w) for w in words) + ")"


def _swap_texts(program: list[Any], template: _HandlebarsTemplate) -> None:
    """Text nodes replaced by calls of the text helper, in the order `texts` lists them."""
    order = {id(node): index for index, (node, _) in enumerate(template.texts)}
    for position, node in enumerate(program):
        if isinstance(node, Text) and id(node) in order:
            program[position] = Mustache(_call(_TEXT, [str(order[id(node)])]), raw=True)
        elif isinstance(node, Block):
            _swap_texts(node.body, template)
            _swap_texts(node.inverse, template)


class _Shadow:
    """Builds the shadow Jinja tree and each node's line, walking tags in source order."""

    def __init__(self, source: str, template: _HandlebarsTemplate) -> None:
        self.source = source
        self.template = template
        self.tags = _tags(source)
        self.next_tag = 0
        self.cursor = 0  # in source, for finding text
        # Each block's context: its alias in the shadow tree, and its block params.
        self.scopes: list[tuple[str | None, tuple[str, ...]]] = [(None, ())]
        self.depth = 0

    def _take_tag(self) -> int:
        if self.next_tag < len(self.tags):
            tag = self.tags[self.next_tag]
            self.next_tag += 1
            self._advance_to(tag.line)
            return tag.line
        return self._line_at(self.cursor)

    def _peek(self) -> _Tag | None:
        return self.tags[self.next_tag] if self.next_tag < len(self.tags) else None

    def _advance_to(self, line: int) -> None:
        position = 0
        for _ in range(line - 1):
            position = self.source.find("\n", position) + 1
        self.cursor = max(self.cursor, position)

    def _line_at(self, position: int) -> int:
        return self.source.count("\n", 0, position) + 1

    def walk(self, program: list[Any], chained: bool = False) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for node in program:
            out.extend(self._node(node, chained and node is program[0]))
        return out

    def _node(self, node: Any, chained: bool = False) -> list[nodes.Node]:
        if isinstance(node, Text):
            start = self.source.find(node.value, self.cursor) if node.value else -1
            line = self._line_at(start if start >= 0 else self.cursor)
            if start >= 0:
                self.cursor = start + len(node.value)
            self.template.texts.append((node, line))
            return [nodes.Output([nodes.TemplateData(node.value, lineno=line)], lineno=line)]
        if isinstance(node, Partial | PartialBlock):
            raise EngineError(PARTIALS_REFUSED, self._take_tag())
        if isinstance(node, Mustache):
            line = self._take_tag()
            output = nodes.Output([self._expression(node.call, line)], lineno=line)
            self.template.outputs.append((node, output))
            return [output]
        if isinstance(node, Block):
            return self._block(node, chained)
        return []

    def _block(self, node: Block, chained: bool) -> list[nodes.Node]:
        line = self._take_tag() if not chained else self.tags[self.next_tag - 1].line
        call = node.call
        name = call["name"]
        subject = self._expression(
            _call(str(call["args"][0]), []) if call["args"] else call, line
        )
        if name in ("each", "with"):
            self.depth += 1
            params = tuple(str(p) for p in call.get("params") or ())
            alias = params[0] if params else f"cc_this{self.depth}"
            target = nodes.Name(alias, "store", lineno=line)
            self.scopes.append((alias, params))
            body = self.walk(node.body)
            self.scopes.pop()
            self.depth -= 1
        else:
            body = self.walk(node.body)
        inverse: list[nodes.Node] = []
        if node.inverse:
            upcoming = self._peek()
            inner_chain = upcoming is not None and upcoming.body.startswith("else ")
            if upcoming is not None and (upcoming.body in ("else", "^") or inner_chain):
                if inner_chain:
                    self._take_tag()
                else:
                    self._take_tag()
            inverse = self.walk(node.inverse, chained=inner_chain)
        if not chained:
            upcoming = self._peek()
            if upcoming is not None and upcoming.body.startswith("/"):
                self._take_tag()
        if name in ("each", "with"):
            loop = nodes.For(target, subject, body, inverse, None, False, lineno=line)
            return [loop]
        if name in ("if", "unless"):
            return [nodes.If(subject, body, [], inverse, lineno=line)]
        return [nodes.If(subject, body, [], inverse, lineno=line)]  # another block helper

    def _expression(self, call: dict[str, Any], line: int) -> nodes.Expr:
        tokens = [call["name"]] if not call["args"] and not call["hash"] else [
            *call["args"], *call["hash"].values()
        ]
        chains = [c for token in tokens for c in self._chains(str(token), line)]
        if len(chains) == 1:
            return chains[0]  # a path, or a helper's one path argument: `{{lookup a 0}}`
        return nodes.Tuple(chains, "load", lineno=line)

    def _chains(self, token: str, line: int) -> list[nodes.Expr]:
        """The profile path a Handlebars argument reads, as a Jinja chain (none for a
        literal, `@data` or `this` itself)."""
        if token.startswith("(") and token.endswith(")"):
            inner = compile_template("{{" + token[1:-1] + "}}")
            if inner and isinstance(inner[0], Mustache):
                call = inner[0].call
                return [c for t in call["args"] for c in self._chains(str(t), line)]
            return []
        if token[:1] in "\"'@" or token in ("true", "false", "null", "undefined") or \
                re.fullmatch(r"-?\d+(\.\d+)?", token):
            return []
        depth = len(self.scopes) - 1
        while token.startswith("../"):
            token, depth = token[3:], max(depth - 1, 0)
        parts = [p for p in re.split(r"[./]", token.replace("[", ".").replace("]", "")) if p]
        if parts[:1] == ["this"]:
            parts = parts[1:]
        if any(parts[:1] == [param] for _, params in self.scopes for param in params):
            return [_chain_of(parts, line)]  # `item.name` in `{{#each items as |item|}}`
        scope = self.scopes[depth][0]
        if scope is not None:
            parts = [scope, *parts]
        return [_chain_of(parts, line)] if parts else []


def _chain_of(parts: list[str], line: int) -> nodes.Expr:
    chain: nodes.Expr = nodes.Name(parts[0], "load", lineno=line)
    for part in parts[1:]:
        if part.isdigit():
            chain = nodes.Getitem(chain, nodes.Const(int(part)), "load", lineno=line)
        else:
            chain = nodes.Getattr(chain, part, "load", lineno=line)
    return chain
