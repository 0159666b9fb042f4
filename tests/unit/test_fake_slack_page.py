"""The sandbox's Slack pane shows every emoji code the bot writes as a picture, not as text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCKKIT_JS = ROOT / "sandbox" / "static" / "blockkit.js"
# Where the bot's words come from: everything the desk says is built in these packages.
SOURCES = ("bot", "handlers")
EMOJI_CODE = re.compile(r":([a-z][a-z0-9_+-]*):")  # a name starts with a letter


def _string_literals(path: Path) -> list[str]:
    """The string constants of a module, docstrings left out (they hold ``:func:`` roles)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def emoji_codes_the_bot_writes() -> set[str]:
    codes: set[str] = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            for text in _string_literals(path):
                codes.update(EMOJI_CODE.findall(text))
    return codes


def emoji_the_page_knows() -> set[str]:
    source = BLOCKKIT_JS.read_text(encoding="utf-8")
    table = source[source.index("const EMOJI = {"):source.index("};", source.index("EMOJI"))]
    return set(re.findall(r'"?([a-z0-9_+-]+)"?:\s*"', table))


def test_the_bot_writes_the_emoji_codes_this_test_looks_for():
    codes = emoji_codes_the_bot_writes()
    assert {"small_red_triangle", "see_no_evil", "mute", "rotating_light"} <= codes
    assert "func" not in codes and "meth" not in codes  # docstring roles are not emoji


def test_every_emoji_code_the_bot_writes_has_a_picture_on_the_page():
    missing = sorted(emoji_codes_the_bot_writes() - emoji_the_page_knows())
    assert not missing, ("the sandbox page would show these as raw text; add them to EMOJI "
                         f"in sandbox/static/blockkit.js: {missing}")
