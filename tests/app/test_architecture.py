"""The functional core stays pure: scheduler/ and billing/ import no web, database or app code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "scheduler": {"flask", "sqlalchemy", "app", "billing", "flask_login", "flask_babel", "werkzeug", "alembic"},
    "billing": {
        "flask",
        "sqlalchemy",
        "app",
        "scheduler",
        "flask_login",
        "flask_babel",
        "werkzeug",
        "alembic",
        "ortools",
    },
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
    foreign = {
        str(p.relative_to(ROOT)): sorted(imported_top_level_modules(p) - allowed)
        for p in (ROOT / "billing").rglob("*.py")
    }
    assert {k: v for k, v in foreign.items() if v} == {}


def test_the_core_never_reads_the_clock():
    readers = [
        str(p.relative_to(ROOT))
        for package in FORBIDDEN
        for p in (ROOT / package).rglob("*.py")
        if any(call in p.read_text(encoding="utf-8") for call in ("datetime.now(", "date.today(", "time.time("))
    ]
    assert readers == []


# Who may import whom inside app/: each folder names the folders it may use (its own included).
LAYERS = {
    "platform": {"platform"},
    "models": {"platform", "models"},
    "services": {"platform", "models", "services"},
    "documents": {"platform", "models", "services", "documents", "jobs"},
    "jobs": {"platform", "models", "services", "documents", "jobs"},
    "web": {"platform", "models", "services", "documents", "jobs", "web"},
    "ops": {"platform", "models", "services", "documents", "jobs", "ops"},
}


def app_imports(path: Path) -> set[str]:
    """The app/ folders a module imports from (`app.services.plan.x` → services)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
    return {m.split(".")[1] for m in modules if m.startswith("app.") and m.split(".")[1] in LAYERS}


def folder_of(path: Path) -> str:
    return path.relative_to(ROOT / "app").parts[0]


def test_every_module_of_app_sits_in_a_folder_of_the_layers():
    loose = [p.name for p in (ROOT / "app").glob("*.py") if p.name != "__init__.py"]
    folders = {p.name for p in (ROOT / "app").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert loose == []
    assert folders == set(LAYERS)


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_a_folder_imports_only_the_folders_below_it(folder):
    offenders = {
        str(path.relative_to(ROOT)): sorted(app_imports(path) - LAYERS[folder])
        for path in (ROOT / "app" / folder).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_never_read_the_app_the_config_or_the_clock():
    readers = {
        str(p.relative_to(ROOT)): [
            word
            for word in (
                "current_app",
                "current_context",
                "flask",
                "datetime.now(",
                "date.today(",
                "time.time(",
                "os.environ",
                "getenv",
            )
            if word in p.read_text(encoding="utf-8")
        ]
        for p in (ROOT / "app" / "services").rglob("*.py")
    }
    assert {k: v for k, v in readers.items() if v} == {}


def test_only_the_clock_module_reads_the_system_clock():
    readers = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if any(call in p.read_text(encoding="utf-8") for call in ("datetime.now(", "date.today(", "time.time("))
    ]
    assert readers == ["app/platform/clock.py"]
