"""The rules between the layers, checked on the source: only storage speaks SQL or
touches its tables, handlers reach storage only through services, the product never
imports the sandbox, each layer imports only the layers below it, and no module of the
product grows too long (docs/architecture.md describes the layers)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE_STORAGE = ("bot", "handlers", "sandbox", "app.py")
FORBIDDEN = ("sqlalchemy", "storage.models")
PRODUCT = ("bot", "handlers", "storage")
MAX_LINES = 450
# The project's own packages a layer may import; any other project import is a rule broken.
PROJECT = ("bot", "storage", "handlers", "sandbox", "app")
MAY_IMPORT = {
    "bot/domain": ("bot.domain",),
    "bot/render": ("bot.domain", "bot.render"),
    "bot/x": ("bot.domain", "bot.x"),
    "bot/services": ("bot.domain", "bot.render", "bot.services", "bot.slack_out", "bot.x",
                     "storage"),
    "storage": ("bot.domain", "storage"),
    "handlers": ("bot.config", "bot.domain", "bot.render", "bot.services", "bot.slack_out",
                 "handlers"),
}
# Libraries of the outside world a layer must not use (Block Kit, slack_sdk.models, is
# built in bot/render only).
MUST_NOT_USE = {
    "bot/domain": ("sqlalchemy", "slack_sdk", "slack_bolt", "tweepy"),
    "bot/render": ("sqlalchemy", "slack_bolt", "tweepy"),
    "bot/x": ("sqlalchemy", "slack_sdk", "slack_bolt"),
    "bot/services": ("sqlalchemy", "slack_bolt", "tweepy", "slack_sdk.models"),
    "storage": ("slack_sdk", "slack_bolt", "tweepy"),
    "handlers": ("sqlalchemy", "tweepy", "slack_sdk.models"),
}


def modules_in(*places: str, root: Path = ROOT) -> list[Path]:
    paths = []
    for place in places:
        target = root / place
        paths.extend([target] if target.suffix == ".py" else sorted(target.rglob("*.py")))
    return paths


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


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


def test_nothing_outside_storage_imports_sql_or_tables():
    offenders = {str(path.relative_to(ROOT)): forbidden_imports(path)
                 for path in modules_in(*OUTSIDE_STORAGE)}
    assert len(offenders) > 60  # the walk found the modules
    assert "bot/services/desk.py" in offenders and "sandbox/stack.py" in offenders
    assert {path: names for path, names in offenders.items() if names} == {}


def test_handlers_reach_storage_only_through_services():
    imports = {str(path.relative_to(ROOT)): imported_modules(path)
               for path in modules_in("handlers")}
    assert "handlers/case_actions.py" in imports
    assert {path: sorted(n for n in names if under(n, ("storage",)))
            for path, names in imports.items() if any(under(n, ("storage",)) for n in names)} == {}


def test_the_product_never_imports_the_sandbox():
    imports = {str(path.relative_to(ROOT)): imported_modules(path) for path in modules_in(*PRODUCT)}
    assert "bot/runtime.py" in imports
    assert {path: sorted(n for n in names if under(n, ("sandbox",)))
            for path, names in imports.items() if any(under(n, ("sandbox",)) for n in names)} == {}


def broken_layer_rules(folder: str, *, root: Path = ROOT) -> dict[str, list[str]]:
    broken = {}
    for path in modules_in(folder, root=root):
        names = imported_modules(path)
        wrong = sorted(n for n in names
                       if (under(n, PROJECT) and not under(n, MAY_IMPORT[folder]))
                       or under(n, MUST_NOT_USE[folder]))
        if wrong:
            broken[str(path.relative_to(root))] = wrong
    return broken


def test_the_layer_checker_sees_an_arrow_going_up(tmp_path):
    (tmp_path / "bot" / "domain").mkdir(parents=True)
    (tmp_path / "bot" / "domain" / "bad.py").write_text(
        "from bot.render.ids import ActionId\nimport slack_sdk\nfrom bot.domain.case import X\n")
    assert broken_layer_rules("bot/domain", root=tmp_path) == {
        "bot/domain/bad.py": ["bot.render.ids", "bot.render.ids.ActionId", "slack_sdk"]}


def test_each_layer_imports_only_the_layers_below_it():
    assert len(modules_in(*MAY_IMPORT)) > 80
    assert {folder: broken for folder in MAY_IMPORT
            if (broken := broken_layer_rules(folder))} == {}


def test_no_product_module_is_over_the_limit():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines())
               for path in modules_in(*PRODUCT)}
    assert "storage/cases.py" in lengths
    assert {path: n for path, n in lengths.items() if n > MAX_LINES} == {}
