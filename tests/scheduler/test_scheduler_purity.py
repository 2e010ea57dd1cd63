"""scheduler/ imports only the standard library and OR-Tools, and never reads the clock or settings."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "scheduler"


def imported_roots(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_the_scheduler_imports_only_the_standard_library_and_ortools():
    for path in PACKAGE.glob("*.py"):
        foreign = {
            m for m in imported_roots(path) if m not in sys.stdlib_module_names and m not in {"ortools", "scheduler"}
        }
        assert not foreign, f"{path.name} imports {foreign}"


def test_the_scheduler_never_reads_the_clock_or_the_environment():
    for path in PACKAGE.glob("*.py"):
        text = path.read_text()
        for forbidden in ("datetime.now", "time.time", "os.environ", "getenv", "date.today"):
            assert forbidden not in text, f"{path.name} uses {forbidden}"
