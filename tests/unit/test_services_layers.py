"""The rules between the layers, checked on the source: services, render and handlers
never reach for SQL or storage's tables, and no module of the product grows too long."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_ORM = ("bot/services", "bot/render", "handlers")
FORBIDDEN = ("sqlalchemy", "storage.models")
PRODUCT = ("bot", "handlers", "storage")
MAX_LINES = 450
# Modules longer than the limit that are being split: they may shrink, never grow.
LONG_FOR_NOW = {"bot/domain/crisis.py": 459, "bot/domain/triage.py": 461,
                "bot/sandbox/fake_slack_store.py": 505}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden_imports(path: Path) -> list[str]:
    return sorted(name for name in imported_modules(path)
                  if any(name == f or name.startswith(f + ".") for f in FORBIDDEN))


def test_the_checker_sees_every_spelling_of_an_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import sqlalchemy.orm\nfrom storage import models\n"
                      "from storage.models import CaseRow\nfrom sqlalchemy import select\n"
                      "def f():\n    import sqlalchemy\n")
    assert set(forbidden_imports(module)) == {"sqlalchemy", "sqlalchemy.orm", "sqlalchemy.select",
                                              "storage.models", "storage.models.CaseRow"}
    clean = tmp_path / "clean.py"
    clean.write_text("from storage.cases import CaseStore\nimport sqlalchemy_utils_like\n")
    assert forbidden_imports(clean) == []


def test_services_render_and_handlers_do_not_import_sql_or_tables():
    offenders = {str(path.relative_to(ROOT)): forbidden_imports(path)
                 for folder in NO_ORM for path in sorted((ROOT / folder).rglob("*.py"))}
    assert len(offenders) > 20  # the walk found the modules
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_product_module_is_over_the_limit():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines())
               for folder in PRODUCT for path in sorted((ROOT / folder).rglob("*.py"))}
    assert "storage/cases.py" in lengths
    too_long = {path: n for path, n in lengths.items()
                if n > LONG_FOR_NOW.get(path, MAX_LINES)}
    assert too_long == {}
