"""The package is a one-way stack: no import circles, and no output imports the checker.

Imports are read from the source (``ast``), function-level ones included, so a circle
hidden inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

OUTPUTS = ("generator.site", "generator.printing", "generator.checklist", "generator.changes")
CHECKER = ("generator.rules", "generator.check")


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's own modules that module ``name`` imports."""
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            mod = ".".join(base + (node.module.split(".") if node.module else []))
            # ``from pkg import sub`` imports the submodule, ``from mod import name`` the module.
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def graph(root: Path, package: str = "generator") -> dict[str, set[str]]:
    known = modules(root, package)
    return {name: imports(name, path, known) for name, path in known.items()}


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    """One import circle per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def upward(g: dict[str, set[str]]) -> list[str]:
    """Output modules that import the checker."""
    return sorted(f"{m} -> {t}" for m, ts in g.items() if within(m, OUTPUTS) for t in ts if within(t, CHECKER))


def test_no_import_circles():
    assert circles(graph(REPO)) == []


def test_no_output_imports_the_checker():
    assert upward(graph(REPO)) == []


def test_the_guard_sees_a_circle_and_an_output_importing_the_checker(tmp_path):
    """The layering test can fail: a package with a hidden circle and an output borrowing from the checker."""
    pkg = tmp_path / "generator"
    (pkg / "printing").mkdir(parents=True)
    for f in ("__init__.py", "printing/__init__.py", "schema.py"):
        (pkg / f).write_text("")
    (pkg / "catalog.py").write_text("def load():\n    from .rules import run_rules\n")
    (pkg / "rules.py").write_text("from .catalog import load\nfrom . import schema\n")
    (pkg / "printing/model.py").write_text("from ..rules import format_limit\nfrom .. import schema\n")
    (pkg / "checklist.py").write_text("")  # a name that merely starts like the checker's
    (pkg / "printing/page.py").write_text("from .. import checklist\n")
    g = graph(tmp_path)
    assert g["generator.printing.model"] == {"generator.rules", "generator.schema"}
    assert circles(g) == [["generator.catalog", "generator.rules"]]
    assert upward(g) == ["generator.printing.model -> generator.rules"]


def test_the_shipped_stack_has_the_expected_floors():
    """A few known edges, so a parser that finds nothing cannot pass the two tests above."""
    g = graph(REPO)
    assert "generator.rules" in g["generator.catalog"]
    assert "generator.located" in g["generator.rules"]
    assert "generator.schema" in g["generator.printing.model"]
