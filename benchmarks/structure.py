#!/usr/bin/env python3
"""Structure figures for a Python package tree (issue 11): modules per package, import cycles,
imports inside functions, function lengths.

Usage:
    python benchmarks/structure.py SRC_DIR [--pkg mentor] [--json OUT.json] [--label NAME]
    python benchmarks/structure.py --git . --rev dff682a [--json ...]   (reads src/ of a commit via git archive)
    python benchmarks/structure.py --compare BEFORE.json AFTER.json

SRC_DIR is the folder that holds the package (e.g. ./src). Needs networkx for cycles.

Definitions (kept identical for every tree measured):
- package: the dotted name of the folder a .py file sits in; module count includes __init__.py
  and __main__.py; lines = physical lines (wc -l style).
- function-level imports: `import`/`from ... import` statements of the package (absolute
  `pkg`/`pkg.*` or relative) nested anywhere inside a def; one per statement.
- import graph: node per module; an edge A -> B for each module B that A imports, top level or
  inside a function. `from pkg.x import y` points to pkg.x.y if that is a module, else to pkg.x.
  Imports under `if TYPE_CHECKING:` are excluded (they never run) and counted separately.
  Variant "strict" also adds the implicit edges to every parent package's __init__ that an import
  executes (importing pkg.a.b runs pkg/a/__init__.py); reported only if it changes the cycles.
- functions: every def/async def (methods and nested defs included), length = end_lineno -
  lineno + 1 of the def statement (decorators excluded).
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def module_name(src: Path, path: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_of(src: Path, path: Path) -> str:
    return ".".join(path.parent.relative_to(src).parts)


def is_type_checking_if(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def walk_imports(tree: ast.AST):
    """Yield (import node, in_function, in_type_checking)."""

    def visit(node, in_func, in_tc):
        for child in ast.iter_child_nodes(node):
            f = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            tc = in_tc or is_type_checking_if(child)
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, in_func, in_tc
            yield from visit(child, f, tc)

    yield from visit(tree, False, False)


def resolve(node, mod: str, is_pkg: bool, pkg: str, modules: set[str]) -> list[str]:
    """Modules of the package that an import statement names (empty if none)."""
    out = []
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name == pkg or a.name.startswith(pkg + "."):
                out.append(a.name)
        return [t for t in out if t in modules] or out
    if node.level:
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not (target == pkg or target.startswith(pkg + ".")):
        return []
    for a in node.names:
        sub = f"{target}.{a.name}"
        out.append(sub if sub in modules else target)
    return sorted(set(out))


def analyse(src: Path, pkg: str) -> dict:
    import networkx as nx

    root = src / pkg
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    modules = {module_name(src, p): p for p in files}
    names = set(modules)
    per_pkg = defaultdict(lambda: {"modules": 0, "lines": 0})
    long_lines_100 = long_lines_120 = 0
    over_400 = []
    func_imports = []
    tc_imports = 0
    funcs = []
    edges = defaultdict(set)  # (a, b) -> {"top", "function"}
    tc_edges = set()  # edges that exist only for type checkers
    for mod, path in modules.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        rel = str(path.relative_to(src.parent) if src.parent != src else path)
        p = package_of(src, path)
        per_pkg[p]["modules"] += 1
        per_pkg[p]["lines"] += len(lines)
        long_lines_100 += sum(len(line) > 100 for line in lines)
        long_lines_120 += sum(len(line) > 120 for line in lines)
        if len(lines) > 400:
            over_400.append((rel, len(lines)))
        tree = ast.parse(text, filename=str(path))
        is_pkg = path.name == "__init__.py"
        for node, in_func, in_tc in walk_imports(tree):
            targets = resolve(node, mod, is_pkg, pkg, names)
            if not targets:
                continue
            if in_tc:
                tc_imports += 1
                for t in targets:
                    if t != mod:
                        tc_edges.add((mod, t))
                continue
            if in_func:
                func_imports.append(f"{rel}:{node.lineno}")
            for t in targets:
                if t != mod:
                    edges[(mod, t)].add("function" if in_func else "top")

        def visit(node, prefix):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    q = f"{prefix}{child.name}"
                    funcs.append(
                        {"name": q, "file": f"{rel}:{child.lineno}", "lines": child.end_lineno - child.lineno + 1}
                    )
                    visit(child, q + ".")
                elif isinstance(child, ast.ClassDef):
                    visit(child, f"{prefix}{child.name}.")
                else:
                    visit(child, prefix)

        visit(tree, "")

    def cycles(graph_edges):
        g = nx.DiGraph()
        g.add_nodes_from(names)
        g.add_edges_from(graph_edges)
        out = []
        for comp in nx.strongly_connected_components(g):
            if len(comp) < 2:
                continue
            inner = sorted(
                f"{a} -> {b} [{'+'.join(sorted(graph_edges.get((a, b), {'implicit'})))}]"
                for a, b in g.subgraph(comp).edges()
            )
            out.append({"modules": sorted(comp), "edges": inner})
        return sorted(out, key=lambda c: c["modules"])

    top_only = {k: v for k, v in edges.items() if "top" in v}
    with_tc = {k: set(v) for k, v in edges.items()}
    for e in tc_edges:
        with_tc.setdefault(e, set()).add("TYPE_CHECKING")

    strict = {k: set(v) for k, v in edges.items()}
    for (a, b), kinds in list(edges.items()):
        parts = b.split(".")
        for i in range(1, len(parts)):
            parent = ".".join(parts[:i])
            if parent in names and parent != a and not a.startswith(parent + "."):
                strict.setdefault((a, parent), {"implicit"})
    lengths = sorted(f["lines"] for f in funcs)
    p90 = lengths[min(len(lengths) - 1, int(round(0.9 * (len(lengths) - 1))))]
    return {
        "packages": {k: per_pkg[k] for k in sorted(per_pkg)},
        "modules_total": len(modules),
        "lines_total": sum(v["lines"] for v in per_pkg.values()),
        "function_level_imports": len(func_imports),
        "function_level_import_sites": func_imports,
        "type_checking_imports": tc_imports,
        "import_edges": len(edges),
        "cycles": cycles(edges),
        "cycles_strict": cycles(strict),
        "cycles_top_level_only": cycles(top_only),
        "cycles_with_type_checking": cycles(with_tc),
        "two_cycles": sorted({tuple(sorted((a, b))) for (a, b) in edges if (b, a) in edges}),
        "functions": len(funcs),
        "function_median": statistics.median(lengths),
        "function_p90": p90,
        "longest_functions": sorted(funcs, key=lambda f: -f["lines"])[:10],
        "lines_over_100": long_lines_100,
        "lines_over_120": long_lines_120,
        "modules_over_400": sorted(over_400, key=lambda x: -x[1]),
    }


def report(r: dict, label: str) -> str:
    out = [f"## {label}", "", "| package | modules | lines |", "|---|---:|---:|"]
    for k, v in r["packages"].items():
        out.append(f"| {k} | {v['modules']} | {v['lines']} |")
    out.append(f"| **total** | {r['modules_total']} | {r['lines_total']} |")
    out += [
        "",
        f"function-level imports of the package: {r['function_level_imports']}"
        f" (TYPE_CHECKING imports, excluded: {r['type_checking_imports']}); import edges: {r['import_edges']}",
    ]
    out.append(f"import cycles (SCCs > 1 module): {len(r['cycles'])}")
    for c in r["cycles"]:
        out.append(f"  - {{{', '.join(c['modules'])}}}")
        out += [f"      {e}" for e in c["edges"]]
    if r["two_cycles"]:
        out.append(
            "  mutual pairs (A imports B and B imports A): " + "; ".join(" <-> ".join(p) for p in r["two_cycles"])
        )
    out.append(
        f"  cycles counting top-level imports only: {len(r['cycles_top_level_only'])}"
        + "".join(f"; {{{', '.join(c['modules'])}}}" for c in r["cycles_top_level_only"])
    )
    if r["cycles_with_type_checking"] != r["cycles"]:
        out.append(f"  with TYPE_CHECKING imports added: {len(r['cycles_with_type_checking'])} cycles")
        for c in r["cycles_with_type_checking"]:
            out.append(f"  - {{{', '.join(c['modules'])}}}")
            out += [f"      {e}" for e in c["edges"]]
    if r["cycles_strict"] != r["cycles"]:
        out.append(f"  strict variant (with implicit parent-__init__ edges): {len(r['cycles_strict'])} cycles")
        for c in r["cycles_strict"]:
            out.append(f"  - {{{', '.join(c['modules'])}}}")
    out += [
        "",
        f"functions: {r['functions']}; median length {r['function_median']}, p90 {r['function_p90']}",
        "",
        "| function | file | lines |",
        "|---|---|---:|",
    ]
    for f in r["longest_functions"]:
        out.append(f"| {f['name']} | {f['file']} | {f['lines']} |")
    out += [
        "",
        f"lines > 100 chars: {r['lines_over_100']}; > 120 chars: {r['lines_over_120']}",
        f"modules > 400 lines: {len(r['modules_over_400'])} "
        + ", ".join(f"{m} ({n})" for m, n in r["modules_over_400"]),
    ]
    return "\n".join(out)


def compare(a: dict, b: dict) -> str:
    rows = [
        ("modules", a["modules_total"], b["modules_total"]),
        ("packages", len(a["packages"]), len(b["packages"])),
        ("lines", a["lines_total"], b["lines_total"]),
        ("function-level package imports", a["function_level_imports"], b["function_level_imports"]),
        ("import cycles (SCCs)", len(a["cycles"]), len(b["cycles"])),
        ("modules in cycles", sum(len(c["modules"]) for c in a["cycles"]), sum(len(c["modules"]) for c in b["cycles"])),
        ("functions", a["functions"], b["functions"]),
        ("function length median", a["function_median"], b["function_median"]),
        ("function length p90", a["function_p90"], b["function_p90"]),
        ("longest function", a["longest_functions"][0]["lines"], b["longest_functions"][0]["lines"]),
        ("lines > 100 chars", a["lines_over_100"], b["lines_over_100"]),
        ("lines > 120 chars", a["lines_over_120"], b["lines_over_120"]),
        ("modules > 400 lines", len(a["modules_over_400"]), len(b["modules_over_400"])),
    ]
    out = ["| figure | before | after |", "|---|---:|---:|"]
    out += [f"| {n} | {x} | {y} |" for n, x, y in rows]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src", nargs="?", type=Path)
    ap.add_argument("--pkg", default="mentor")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--label")
    ap.add_argument("--compare", nargs=2, type=Path)
    ap.add_argument("--git", type=Path, help="a repository; with --rev, measure that commit's src/")
    ap.add_argument("--rev")
    args = ap.parse_args()
    if args.git and args.rev:
        import subprocess
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="structure-"))
        tar = subprocess.run(["git", "-C", str(args.git), "archive", args.rev, "src"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=tar.stdout, check=True)
        args.src = tmp / "src"
        args.label = args.label or f"{args.git} @ {args.rev}"
    if args.compare:
        print(compare(*(json.loads(p.read_text()) for p in args.compare)))
        return 0
    r = analyse(args.src.resolve(), args.pkg)
    if args.json:
        args.json.write_text(json.dumps(r, indent=1))
    print(report(r, args.label or str(args.src)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
