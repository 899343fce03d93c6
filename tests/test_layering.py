"""How the front ends and the learning domain import each other, read from the source: package
imports at the top of each module (none hidden inside a function), no import circle among the
web modules, and no front end imported by the domain."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mentor"
CHECKED = sorted([*SRC.glob("web/*.py"), *SRC.glob("learning/*.py"), SRC / "cli" / "learn.py"])


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node, node.module)] + [(node, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node, a.name) for a in node.names]
    return found


def _inside_functions(tree: ast.AST) -> set[ast.AST]:
    return {
        inner
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    }


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(SRC)))
def test_package_imports_are_at_the_top(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _inside_functions(tree)
    late = sorted({name for node, name in _imports(tree) if node in hidden and name.startswith("mentor")})
    assert late == [], f"{path.name} imports {late} inside a function"


def _web_graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in SRC.glob("web/*.py")}
    return {
        name: {m for _, m in _imports(ast.parse(path.read_text(encoding="utf-8"))) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_no_import_circle_among_the_web_modules():
    graph = _web_graph()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import circle: " + " -> ".join((*path, name))
        if name not in done:
            for nxt in graph[name]:
                visit(nxt, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())
    assert graph["mentor.web.api"] >= {"mentor.web.auth", "mentor.web.asgi"}  # what the old circle was about


def test_the_learning_domain_imports_no_front_end():
    for path in SRC.glob("learning/*.py"):
        names = {m for _, m in _imports(ast.parse(path.read_text(encoding="utf-8")))}
        assert not {n for n in names if n.startswith(("mentor.cli", "mentor.web", "mentor.assistant"))}, path.name
