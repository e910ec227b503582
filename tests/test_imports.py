"""No module of the package imports another in a loop, not even from inside a function.

Imports follow the data flow: ``ingest`` -> ``derive`` -> ``reports`` -> ``pages`` ->
``site``, with ``incremental`` and ``commands`` beside them. A loop hidden behind an
import inside a function still ties two modules together, so every ``import`` statement
counts, wherever it stands; so does the package a module lives in, whose ``__init__``
runs first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import revpages

PACKAGE = Path(revpages.__file__).parent


def module_name(path: Path) -> str:
    parts = ("revpages", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its body."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for target in targets:
            if target in MODULES:
                found.add(target)
                found.update(parents(target))
    return found - {name} - set(parents(name))


def parents(name: str) -> list[str]:
    """The packages whose ``__init__`` runs before ``name``: revpages.a.b -> revpages.a."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def import_graph() -> dict[str, set[str]]:
    return {name: imported(name, path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop of ``graph`` as a list of modules, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (loop := visit(target)):
                return loop
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (loop := visit(node)):
            return loop
    return None


def test_no_import_cycles():
    loop = find_cycle(import_graph())
    assert loop is None, "import loop: " + " -> ".join(loop or [])


def test_the_cycle_finder_finds_a_loop_behind_a_function_level_import(tmp_path: Path):
    graph = import_graph()
    graph["revpages.sql"] = {*graph["revpages.sql"], "revpages.reports.engine"}
    loop = find_cycle(graph)
    assert loop is not None and loop[0] == loop[-1] and "revpages.sql" in loop


def test_function_level_imports_count(tmp_path: Path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from revpages.reports.engine import Engine\n")
    assert "revpages.reports.engine" in imported("revpages.m", source)
    assert "revpages.reports" in imported("revpages.m", source)


def test_every_stage_is_a_package():
    stages = {"ingest", "derive", "reports", "pages", "site", "incremental", "commands"}
    assert stages <= {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
