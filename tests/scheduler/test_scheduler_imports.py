"""No module of scheduler/ imports one that imports it back, directly or through others."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "scheduler"


def module_name(path: Path) -> str:
    return "scheduler" if path.stem == "__init__" else f"scheduler.{path.stem}"


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The scheduler modules `path` imports anywhere in it (in functions and TYPE_CHECKING blocks too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: inside the package
                base = f"scheduler.{base}" if base else "scheduler"
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.glob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Some cycle of the graph as the modules along it (the first repeated at the end), or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    return next((c for c in (visit(n, []) for n in sorted(graph)) if c), None)


def test_the_scheduler_modules_import_one_another_without_cycles():
    assert find_cycle(import_graph()) is None


def test_the_graph_sees_the_imports_and_a_cycle_would_be_found():
    graph = import_graph()
    assert {"scheduler.elements", "scheduler.fixed_work"} <= graph["scheduler.model"]
    assert "scheduler.model" not in graph["scheduler.timeline"] | graph["scheduler.fixed_work"]
    cycle = find_cycle({**graph, "scheduler.elements": {"scheduler.model"}})
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"scheduler.elements", "scheduler.model"}
