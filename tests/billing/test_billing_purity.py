import ast
import sys
from pathlib import Path

import pytest

import billing

MODULES = sorted(Path(billing.__file__).parent.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_billing_imports_only_the_standard_library_and_itself(path):
    outside = imported_modules(path) - set(sys.stdlib_module_names) - {"billing", "__future__"}
    assert not outside


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_billing_never_reads_the_clock_the_environment_or_floats(path):
    source = path.read_text(encoding="utf-8")
    for forbidden in ("now(", "today(", "utcnow", "environ", "getenv", "float(", "time.time"):
        assert forbidden not in source
