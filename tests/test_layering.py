"""How the package's modules import each other, read from the source: package imports at the top
of each module (none hidden inside a function), no import circle anywhere in the package, and
no front end imported by the domain."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mentor"
CHECKED = sorted(SRC.rglob("*.py"))
# the package imports inside a function, and why: each brings a heavy library, or a heavy
# part of the package, only some commands need. `mentor serve` alone needs the web stack
# (gradio takes about 3 s to import); the statement suite's writing model subclasses
# llama-index's LLM (1.3 s), which offline answers never import.
LATE = {
    "cli/main.py": [
        "mentor.web.server",
        "mentor.web.server.serve",
        "mentor.web.workers",
        "mentor.web.workers.serve_api",
    ],
    "evaluation/statements.py": ["mentor.evaluation.adversary", "mentor.evaluation.adversary.WritingModel"],
    # the assistant (its tools, readers and agent backends: about 0.3 s) only for what answers, so
    # `mentor next`, `plan` and `progress` start as fast as before the package was cut by concept
    "deps.py": [
        "mentor.assistant.agent",
        "mentor.assistant.agent.choose_llm",
        "mentor.assistant.conversation",
        "mentor.assistant.conversation.Conversations",
    ],
    "cli/evaluate.py": ["mentor.evaluation.run", "mentor.evaluation.run.run_suite"],
}


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
    assert late == LATE.get(str(path.relative_to(SRC)), []), f"{path.name} imports {late} inside a function"


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    return {
        inner
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }


def _package_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports when it runs (not for type checkers only)."""
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        graph[name] = {m for node, m in _imports(tree) if m in modules and m != name and node not in skipped}
    return graph


def test_no_import_circle_in_the_package():
    graph = _package_graph()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import circle: " + " -> ".join((*path, name))
        if name not in done:
            for nxt in graph[name]:
                visit(nxt, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())
    assert graph["mentor.web.api"] >= {"mentor.web.auth", "mentor.web.asgi"}  # what an old circle was about


def test_the_learning_domain_imports_no_front_end():
    for path in SRC.glob("learning/*.py"):
        names = {m for _, m in _imports(ast.parse(path.read_text(encoding="utf-8")))}
        assert not {n for n in names if n.startswith(("mentor.cli", "mentor.web", "mentor.assistant"))}, path.name


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("*.py")))
def test_every_benchmark_script_imports(script):
    """The benchmarks are run by hand, not by the suite: a module they import that moved would
    otherwise go unnoticed (benchmarks/retrieval.py did, in the renovation)."""
    import runpy

    runpy.run_path(str(BENCHMARKS / script), run_name="imported-by-the-tests")
