"""The functional core stays pure: scheduler/ and billing/ import no web, database or app code."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "scheduler": {"flask", "sqlalchemy", "app", "billing", "flask_login", "flask_babel", "werkzeug", "alembic"},
    "billing": {"flask", "sqlalchemy", "app", "scheduler", "flask_login", "flask_babel", "werkzeug", "alembic",
                "ortools"},
}


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_the_core_package_imports_nothing_from_the_shell(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_modules(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_billing_uses_only_the_standard_library():
    import sys

    allowed = set(sys.stdlib_module_names) | {"billing"}
    foreign = {str(p.relative_to(ROOT)): sorted(imported_top_level_modules(p) - allowed)
               for p in (ROOT / "billing").rglob("*.py")}
    assert {k: v for k, v in foreign.items() if v} == {}


def test_the_core_never_reads_the_clock():
    readers = [str(p.relative_to(ROOT)) for package in FORBIDDEN for p in (ROOT / package).rglob("*.py")
               if any(call in p.read_text(encoding="utf-8") for call in ("datetime.now(", "date.today(", "time.time("))]
    assert readers == []
