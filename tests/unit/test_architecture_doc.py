"""docs/architecture.md names real code: every class, ``Class.method`` and function it
mentions in backticks exists in the product, and every file it names is there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
CODE = ("bot", "handlers", "storage", "sandbox", "app.py")
TOKEN = re.compile(r"`([^`]+)`")
CLASS_OR_METHOD = re.compile(r"[A-Z][a-z][A-Za-z]*(\.[a-z_]+)?")
FUNCTION = re.compile(r"[a-z]+(_[a-z]+)+")
FILE = re.compile(r"[\w/]+\.(py|md)|[\w]+/")


def code_names() -> tuple[dict[str, set[str]], set[str]]:
    """Classes with their methods, and every other name defined, imported or quoted."""
    classes: dict[str, set[str]] = {}
    names: set[str] = set()
    for place in CODE:
        target = ROOT / place
        for path in [target] if target.suffix == ".py" else target.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef):
                    classes.setdefault(node.name, set()).update(
                        n.name for n in node.body
                        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(node.name)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names.add(node.value)
                elif isinstance(node, ast.Name):
                    names.add(node.id)
                elif isinstance(node, ast.alias):  # a library's class the code uses
                    names.add(node.asname or node.name)
    return classes, names


def test_every_name_in_the_architecture_page_is_in_the_code():
    classes, names = code_names()
    tokens = TOKEN.findall(DOC.read_text())
    missing = []
    for token in tokens:
        if CLASS_OR_METHOD.fullmatch(token):
            cls, _, method = token.partition(".")
            known = method in classes.get(cls, ()) if method else cls in classes or cls in names
            if not known:
                missing.append(token)
        elif FUNCTION.fullmatch(token) and token not in names and token not in classes:
            missing.append(token)
    assert len(tokens) > 80
    assert missing == []


def test_every_file_the_architecture_page_names_exists():
    named = [t.split("::")[0] for t in TOKEN.findall(DOC.read_text())
             if FILE.fullmatch(t.split("::")[0]) and not t.startswith("/")]
    assert "bot/services/desk.py" in named
    missing = [name for name in named
               if not any((base / name).exists()
                          for base in (ROOT, ROOT / "bot", ROOT / "handlers", ROOT / "storage",
                                       ROOT / "bot" / "services", ROOT / "bot" / "render",
                                       ROOT / "bot" / "domain", ROOT / "tests" / "unit",
                                       ROOT / "tests" / "scenario", ROOT / "sandbox"))]
    assert missing == []
