"""Static analysis of Jinja templates: which profile fields they use, and where.

Used twice: to instrument templates for rendering (each `{{ }}` output is wrapped so the
renderer knows its line and fields) and by rules that judge a template without profiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import nodes

# Names a template sees that are not profile fields.
NOT_PROFILE = frozenset(
    {
        "campaign",
        "loop",
        "range",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "lipsum",
        "namespace",
        "dict",
        "super",
        "self",
        "varargs",
        "kwargs",
        "caller",
    }
)
# Uses of a field, in increasing order of how much they decide.
USE_KINDS = ("output", "filter", "set", "loop", "condition")


@dataclass(frozen=True)
class OutputInfo:
    """One `{{ expression }}` of a template."""

    file: str
    line: int
    expression: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class FieldRef:
    path: str  # dotted, `[]` for list items: `purchases[0].item`, `purchases[].item`
    line: int
    use: str  # one of USE_KINDS


def expression_text(node: nodes.Node) -> str:
    """A readable rendering of common expressions, for messages and fixes."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{expression_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        index = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        if isinstance(index, str):
            return f"{expression_text(node.node)}.{index}"
        return f"{expression_text(node.node)}[{index}]"
    if isinstance(node, nodes.Filter):
        inner = expression_text(node.node) if node.node is not None else "…"
        return f"{inner} | {node.name}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Call):
        return f"{expression_text(node.node)}(…)"
    return "…"


class _Aliases:
    """Local names (`{% set %}`, `{% for %}`, macro args) and the profile paths they stand for."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, ...]] = {}
        # `{% set care = purchases | selectattr(...) | list %}`: what `{% if care %}` tests
        self.filtered: dict[str, nodes.Filter] = {}

    def paths(self, node: nodes.Node) -> tuple[str, ...]:
        """Profile paths an expression reads, most specific first."""
        found: dict[str, None] = {}
        for chain in _chains(node):
            for path in self._resolve(chain):
                found[path] = None
        return tuple(found)

    def _resolve(self, chain: nodes.Node) -> tuple[str, ...]:
        base, suffix = _split_chain(chain)
        if base in self.names:
            return tuple(p + suffix for p in self.names[base])
        if base == "profile":
            return (suffix.lstrip("."),) if suffix.strip(".") else ()
        if base in NOT_PROFILE:
            return ()
        return (base + suffix,)


def _chains(node: nodes.Node) -> Iterator[nodes.Node]:
    """The outermost Name/Getattr/Getitem chains inside an expression."""
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
        if isinstance(node, nodes.Name):
            if node.ctx == "load":
                yield node
            return
        if _chain_root(node) is not None:
            yield node
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                yield from _chains(node.arg)
            return
    for child in node.iter_child_nodes():
        yield from _chains(child)


def _chain_root(node: nodes.Node) -> nodes.Name | None:
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return node if isinstance(node, nodes.Name) else None


def _split_chain(node: nodes.Node) -> tuple[str, str]:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            parts.append(f".{node.attr}")
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(f".{node.arg.value}")
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
            parts.append(f"[{node.arg.value}]")
        else:
            parts.append("[]")
        node = node.node
    name = node.name if isinstance(node, nodes.Name) else ""
    return name, "".join(reversed(parts))


def field_references(tree: nodes.Template) -> list[FieldRef]:
    """Every profile field the template reads, with its line and kind of use."""
    aliases = _Aliases()
    refs: list[FieldRef] = []
    _scan(tree, aliases, refs)
    return refs


def _scan(node: nodes.Node, aliases: _Aliases, refs: list[FieldRef]) -> None:
    def add(expr: nodes.Node | None, use: str) -> None:
        if expr is not None:
            refs.extend(FieldRef(p, expr.lineno, use) for p in aliases.paths(expr))
            for filt in expr.find_all(nodes.Filter):
                for arg in [*filt.args, *[k.value for k in filt.kwargs]]:
                    refs.extend(FieldRef(p, arg.lineno, "filter") for p in aliases.paths(arg))

    if isinstance(node, nodes.Output):
        for output in node.nodes:
            if not isinstance(output, nodes.TemplateData):
                add(output, "output")
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        _scan_macro(node, aliases, refs)
        return
    _define_names(node, aliases)
    if isinstance(node, nodes.If):
        add(node.test, "condition")
    elif isinstance(node, nodes.For):
        add(node.iter, "loop")
        add(node.test, "condition")
        for target in (
            node.target.find_all(nodes.Name)
            if not isinstance(node.target, nodes.Name)
            else [node.target]
        ):
            aliases.names[target.name] = tuple(f"{p}[]" for p in aliases.paths(node.iter))
    elif isinstance(node, nodes.Assign):
        add(node.node, "set")
        if isinstance(node.target, nodes.Name):
            aliases.names[node.target.name] = aliases.paths(node.node)
    elif isinstance(node, nodes.CondExpr):
        add(node.test, "condition")
    for child in node.iter_child_nodes():
        if isinstance(node, nodes.If) and child is node.test:
            continue
        if isinstance(node, nodes.For) and child in (node.iter, node.test, node.target):
            continue
        if isinstance(node, nodes.Assign) and child is node.node:
            continue
        _scan(child, aliases, refs)


def _scan_macro(
    node: nodes.Macro | nodes.CallBlock, aliases: _Aliases, refs: list[FieldRef]
) -> None:
    """A macro (or call block) body sees its parameters as local names, nothing else does."""
    if isinstance(node, nodes.Macro):
        aliases.names[node.name] = ()
    inner = _Aliases()
    inner.names = {**aliases.names, **{arg.name: () for arg in node.args}}
    for child in node.iter_child_nodes():
        _scan(child, inner if any(child is part for part in node.body) else aliases, refs)


def _define_names(node: nodes.Node, aliases: _Aliases) -> None:
    """Names a template defines for itself besides `set` of one name and loop targets:
    imported macros, `{% set %}` blocks and tuples, `{% with %}` variables."""
    if isinstance(node, nodes.Import):
        aliases.names[node.target] = ()
    elif isinstance(node, nodes.FromImport):
        for imported in node.names:
            aliases.names[imported if isinstance(imported, str) else imported[1]] = ()
    elif isinstance(node, nodes.AssignBlock):
        for name in _target_names(node.target):
            aliases.names[name] = ()
    elif isinstance(node, nodes.Assign) and not isinstance(node.target, nodes.Name):
        for name in _target_names(node.target):
            aliases.names[name] = aliases.paths(node.node)
    elif isinstance(node, nodes.With):
        for target, value in zip(node.targets, node.values, strict=False):
            for name in _target_names(target):
                aliases.names[name] = aliases.paths(value)


def _target_names(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


# Tests and filters that make a template robust to a name being absent.
_ABSENCE_TESTS = frozenset({"defined", "undefined"})
_ABSENCE_FILTERS = frozenset({"default", "d"})


def context_reads(tree: nodes.Template) -> list[FieldRef]:
    """The profile fields the template reads from its context, as `field_references`,
    less those it only reads behind `is defined` or `| default`. Empty for a template
    that extends another: its blocks may read names the base template defines."""
    if any(True for _ in tree.find_all(nodes.Extends)):
        return []
    guarded = {
        path
        for node in tree.find_all((nodes.Test, nodes.Filter))
        if node.name in (_ABSENCE_TESTS if isinstance(node, nodes.Test) else _ABSENCE_FILTERS)
        and node.node is not None
        for path in _Aliases().paths(node.node)
    }
    return [ref for ref in field_references(tree) if not _under_any(ref.path, guarded)]


def _under_any(path: str, prefixes: set[str]) -> bool:
    return any(
        path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")) for prefix in prefixes
    )


def instrument(
    tree: nodes.Template, outputs: list[OutputInfo], files: list[str], file: str
) -> nodes.Template:
    """Wrap each `{{ }}` in the `_cc_out` filter and put line markers in static text."""
    aliases = _Aliases()
    if file not in files:
        files.append(file)
    file_index = files.index(file)
    _instrument(tree, aliases, outputs, file, file_index)
    return tree


def _instrument(
    node: nodes.Node, aliases: _Aliases, outputs: list[OutputInfo], file: str, file_index: int
) -> None:
    _bind(node, aliases)
    if isinstance(node, nodes.Output):
        node.nodes = [_wrap(child, aliases, outputs, file, file_index) for child in node.nodes]
        return
    if isinstance(node, nodes.For):  # every loop step is counted against the render budget
        node.iter = nodes.Filter(node.iter, "_cc_loop", [], [], None, None, lineno=node.lineno)
    for child in node.iter_child_nodes():
        _instrument(child, aliases, outputs, file, file_index)


def _bind(node: nodes.Node, aliases: _Aliases) -> None:
    """`{% set x = ... %}` and loop targets stand for the profile paths they read."""
    if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
        aliases.names[node.target.name] = aliases.paths(node.node)
        if isinstance(node.node, nodes.Filter):
            aliases.filtered[node.target.name] = node.node
        else:
            aliases.filtered.pop(node.target.name, None)
    elif isinstance(node, nodes.For):
        for name in _target_names(node.target):
            aliases.names[name] = tuple(f"{p}[]" for p in aliases.paths(node.iter))
            aliases.filtered.pop(name, None)


def _wrap(
    child: nodes.Expr, aliases: _Aliases, outputs: list[OutputInfo], file: str, file_index: int
) -> nodes.Expr:
    if isinstance(child, nodes.TemplateData):
        return nodes.TemplateData(
            _line_marked(child.data, child.lineno, file_index), lineno=child.lineno
        )
    outputs.append(OutputInfo(file, child.lineno, expression_text(child), aliases.paths(child)))
    return nodes.Filter(
        child, "_cc_out", [nodes.Const(len(outputs) - 1)], [], None, None, lineno=child.lineno
    )


def _line_marked(data: str, line: int, file_index: int) -> str:
    lines = data.split("\n")
    return "\n".join(f"\ue003{file_index}:{line + i}\ue004{text}" for i, text in enumerate(lines))


LINE_MARK = re.compile("\ue003\\d+:\\d+\ue004")


@dataclass(frozen=True)
class Selection:
    """Template lines rendered only for profiles whose field holds a value: the body of
    `{% if "x" in f %}`, `{% if f == "x" %}` or `{% if f %}` (or of such an `elif`), less
    any line that also holds text from outside that body."""

    path: str  # the field tested: "inferred.segments"
    value: str  # what the field holds for the body to render: "hindu_household"; for a
    #             truth test (`{% if inferred.bereaved %}`) the field's own name
    file: str
    lines: frozenset[int]  # as rendered spans number them (inline templates offset)


def selections(tree: nodes.Template, file: str, line_offset: int = 0) -> tuple[Selection, ...]:
    """What each `if` branch of a template requires of the profile, and the lines it owns.
    A branch whose test says nothing certain (`or`, `not`, `!=`, `>`) requires nothing."""
    aliases = _Aliases()
    content = _content_lines(tree)
    elifs: set[int] = set()
    found: list[Selection] = []
    for node in _in_order(tree, aliases):
        if not isinstance(node, nodes.If) or id(node) in elifs:
            continue
        elifs.update(id(branch) for branch in node.elif_)
        for branch in (node, *node.elif_):
            inside = {id(n) for child in branch.body for n in (child, *child.find_all(nodes.Node))}
            own = {line for line, owner in content if owner in inside}
            own -= {line for line, owner in content if owner not in inside}
            if not own:
                continue
            for path, value in _required(branch.test, aliases):
                lines = frozenset(line + line_offset for line in own)
                found.append(Selection(path, value, file, lines))
    return tuple(found)


def _in_order(node: nodes.Node, aliases: _Aliases) -> Iterator[nodes.Node]:
    """The nodes of a tree in document order, with the local names defined before each."""
    _define_names(node, aliases)
    _bind(node, aliases)
    yield node
    for child in node.iter_child_nodes():
        yield from _in_order(child, aliases)


def _content_lines(tree: nodes.Template) -> list[tuple[int, int]]:
    """(line, id of the node) of every line that holds text or an output expression."""
    out: list[tuple[int, int]] = []
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                out.append((child.lineno, id(child)))
                continue
            for index, piece in enumerate(child.data.split("\n")):
                if LINE_MARK.sub("", piece).strip():
                    out.append((child.lineno + index, id(child)))
    return out


def _required(test: nodes.Node, aliases: _Aliases) -> Iterator[tuple[str, str]]:
    """(field, value) pairs a test being true makes certain."""
    if isinstance(test, nodes.And):
        yield from _required(test.left, aliases)
        yield from _required(test.right, aliases)
    elif isinstance(test, nodes.Compare) and len(test.ops) == 1:
        operand = test.ops[0]
        if operand.op == "eq":
            pairs = [(test.expr, operand.expr), (operand.expr, test.expr)]
        elif operand.op == "in":
            pairs = [(operand.expr, test.expr)]
        else:
            return
        for field, constant in pairs:
            if isinstance(constant, nodes.Const) and isinstance(constant.value, str):
                for path in aliases.paths(field)[:1]:
                    yield path, constant.value
    elif isinstance(test, nodes.Name) and test.name in aliases.filtered:
        yield from _picked(aliases.filtered[test.name], aliases)
    elif isinstance(test, nodes.Name | nodes.Getattr | nodes.Getitem):
        for path in aliases.paths(test)[:1]:
            yield path, path.rpartition(".")[2]
    elif isinstance(test, nodes.Filter):  # `purchases | selectattr("kind", "equalto", "x")`
        yield from _picked(test, aliases)


EQUAL_TESTS = frozenset({"equalto", "eq", "==", "sameas"})


def _picked(chain: nodes.Filter, aliases: _Aliases) -> Iterator[tuple[str, str]]:
    """What a non-empty `select`ed or `selectattr`ed list makes certain: an item equal
    to the value (`select("equalto", "x")`) or with the attribute equal to it."""
    node: nodes.Node | None = chain
    while isinstance(node, nodes.Filter):
        values = [a.value if isinstance(a, nodes.Const) else None for a in node.args]
        if node.node is not None and all(isinstance(v, str) for v in values):
            base = aliases.paths(node.node)[:1]
            if node.name == "selectattr" and len(values) == 3 and values[1] in EQUAL_TESTS:
                yield from ((f"{p}[].{values[0]}", str(values[2])) for p in base)
            elif node.name == "select" and len(values) == 2 and values[0] in EQUAL_TESTS:
                yield from ((f"{p}[]", str(values[1])) for p in base)
        node = node.node


@dataclass(frozen=True)
class RenderInputs:
    """What a template's output can depend on: the context names it reads as values, and
    those it only tests for truth (`{% if purchases %}`)."""

    values: frozenset[str]
    tested: frozenset[str]


# Nodes that bring in other templates (whose reads are not in this tree), and the
# sources of randomness: a template with any of them depends on more than its context.
_OPAQUE_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_RANDOM_FILTERS = frozenset({"random", "shuffle"})
_RANDOM_NAMES = frozenset({"lipsum"})


def render_inputs(tree: nodes.Template) -> RenderInputs | None:
    """The names the template may read from its context, or None when its output may
    depend on more (other templates, randomness). Every name it loads counts, loop and
    `set` variables too: a superset only makes the render cache's key longer."""
    if any(True for _ in tree.find_all(_OPAQUE_NODES)):
        return None
    if any(f.name in _RANDOM_FILTERS for f in tree.find_all(nodes.Filter)):
        return None
    uses: dict[str, list[nodes.Name]] = {}
    for name_node in tree.find_all(nodes.Name):
        uses.setdefault(name_node.name, []).append(name_node)
    names = {name for name, found in uses.items() if any(n.ctx == "load" for n in found)}
    if names & _RANDOM_NAMES:
        return None
    tests = {id(test) for test in _truth_tests(tree)}
    tested = {name for name in names if all(id(n) in tests for n in uses[name])}
    return RenderInputs(frozenset(names - tested), frozenset(tested))


def _truth_tests(tree: nodes.Template) -> Iterator[nodes.Name]:
    """Names that are the whole test of an `if` or `elif` (`x`, or `not x`)."""
    for branch in tree.find_all(nodes.If):
        test = branch.test.node if isinstance(branch.test, nodes.Not) else branch.test
        if isinstance(test, nodes.Name):
            yield test
