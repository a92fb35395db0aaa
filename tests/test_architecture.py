"""The shape CONTRIBUTING.md promises, checked on the source: rules keep no caches, only
`creepcheck/text/` loads the language libraries, modules stay small and the packages
import each other without circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "creepcheck"
MAX_LINES = 500
# Constructs that keep results between calls. The rule base module is exempt: its
# `MessageSubject.analysis` is the subject's own lazily read field, made per subject.
CACHE_NAMES = frozenset({"lru_cache", "cache", "cached_property", "memoised"})
LANGUAGE_LIBRARIES = ("spacy", "presidio_analyzer", "lemminflect", "pymorphy3")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), str(path))


def _imported(tree: ast.AST, module: str) -> set[str]:
    """Every module an import statement anywhere in `tree` names (absolute names)."""
    names: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                )
            names.add(base.rstrip("."))
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _runtime_imports(tree: ast.Module, module: str) -> set[str]:
    """Imports that can run: at module level or inside functions, not those under
    `if TYPE_CHECKING:` (for annotations only). A function-level import is still a tie
    between two modules (`farm-studio look` draws it), so it counts."""
    for_annotations = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    kept = ast.Module(body=[], type_ignores=[])
    kept.body = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in for_annotations
    ]
    return _imported(kept, module)


def test_rules_keep_no_caches() -> None:
    offenders = []
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        if path.name == "base.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                offenders += [
                    f"{path.name}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name in CACHE_NAMES
                ]
                continue
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            if name in CACHE_NAMES:
                offenders.append(f"{path.name}:{node.lineno}: {name}")  # type: ignore[attr-defined]
    assert offenders == [], "rules declare derived data with caching.Derived; the core caches"


def test_only_the_text_package_loads_language_libraries() -> None:
    offenders = [
        f"{_module_name(path)} imports {name}"
        for path in _modules()
        if not _module_name(path).startswith("creepcheck.text")
        for name in _imported(_tree(path), _module_name(path))
        if name.split(".")[0] in LANGUAGE_LIBRARIES
    ]
    assert offenders == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by concern"


def test_no_import_circles() -> None:
    modules = {_module_name(path): path for path in _modules()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _runtime_imports(_tree(path), name):
            # `from creepcheck.text import lexicon` names a module; `... import Lexicon` not
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets

    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []
