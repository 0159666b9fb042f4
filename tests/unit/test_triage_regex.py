"""The lexicons grouped by first character match exactly what the plain alternations match."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from bot.domain import triage_language as language
from bot.domain import triage_words as w
from bot.domain.triage import DEFAULT_SPAM, DEFAULT_URGENT, _keyword_pattern
from bot.domain.triage_regex import factor

DATA = Path(__file__).resolve().parents[1] / "data" / "triage_labelled.jsonl"
LEXICONS = ("SERVICE", "PROBLEM", "ISSUE", "REQUEST", "PRAISE", "JUDGE", "SARCASM", "ASK",
            "BROKEN", "PLEA", "TROLL", "RESOLVED", "FOREIGN")


def _texts() -> list[str]:
    with DATA.open(encoding="utf-8") as fh:
        posts = [json.loads(line)["text"] for line in fh if line.strip()]
    return [w.MENTION.sub(" ", w.URL.sub(" ", p)).lower() for p in posts]


@pytest.mark.parametrize(
    ("pattern", "grouped"),
    [
        ("refund|broken|recall", "r(?:efund|ecall)|broken"),
        ("(?:a|ab|b)\\b", "(?:a(?:|b)|b)\\b"),
        ("x?y|xz|(?:q)|[ab]c", "x?y|xz|(?:q)|[ab]c"),  # optional or special leads stay apart
        ("a\\|b|a(?:c|d)", "a(?:\\|b|(?:c|d))"),  # escaped bar and inner groups are not split
    ],
)
def test_factor_groups_by_first_character(pattern: str, grouped: str) -> None:
    assert factor(pattern) == grouped


def _plain(name: str) -> re.Pattern[str]:
    """The lexicon as written in the word module, compiled without grouping."""
    tree = ast.parse(Path(w.__file__).read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name and isinstance(node.value, ast.Call)):
            args = [ast.literal_eval(a) for a in node.value.args]
            bounded, anywhere = args[0], args[1] if len(args) > 1 else ""
            parts = (rf"\b(?:{bounded})" if bounded else "", anywhere)
            return re.compile("|".join(p for p in parts if p))
    raise AssertionError(f"{name} is not a lexicon of the word module")


@pytest.mark.parametrize("name", LEXICONS)
def test_grouped_lexicon_matches_like_the_plain_one(name: str) -> None:
    grouped, plain = getattr(w, name), _plain(name)
    assert grouped.pattern != plain.pattern
    texts = _texts()
    assert len(texts) > 600
    for text in texts:
        assert [m.span() for m in grouped.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], (name, text)


_OTHER_LANGUAGES = [
    "hola, mi pedido no llegó y nunca me dieron una respuesta", "¿dónde está mi compra?",
    "bonjour, je suis très déçu de ma commande, merci", "ich habe keine bestellung, warum?",
    "olá, não consigo acessar minha conta, obrigado", "ciao, il mio ordine non è arrivato",
    "waarom is mijn bestelling niet hier", "merhaba, siparişim için teşekkürler",
    "saya tidak bisa login, tolong", "is it the thing you have for this? thanks",
]


def _plain_language_words() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """(grouped, plain) for each ``_words(...)`` pattern of the language module."""
    tree = ast.parse(Path(language.__file__).read_text(encoding="utf-8"))
    pairs = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_words"):
            args = [ast.literal_eval(a) for a in node.args]
            extra = args[1] if len(args) > 1 else ""
            pairs.append((language._words(*args), re.compile(rf"\b(?:{args[0]})\b{extra}")))
    return pairs


def test_grouped_language_words_match_like_the_plain_ones() -> None:
    pairs = _plain_language_words()
    assert len(pairs) == len(language._FUNCTION_WORDS) + 1  # and the English words
    assert language._ENGLISH.pattern in {g.pattern for g, _ in pairs}
    for grouped, plain in pairs:
        assert grouped.pattern != plain.pattern
        for text in [*_texts(), *_OTHER_LANGUAGES]:
            assert grouped.findall(text) == plain.findall(text), (grouped.pattern, text)


def test_grouped_keywords_match_like_the_plain_ones() -> None:
    keywords = tuple(dict.fromkeys((*DEFAULT_URGENT, *DEFAULT_SPAM, "$$$", "über", "返金")))
    latin = [k for k in keywords if re.match(r"[\w$]", k, re.ASCII)]
    other = [k for k in keywords if not re.match(r"[\w$]", k, re.ASCII)]
    plain = re.compile("(?<!\\w)(?:" + "|".join(map(re.escape, latin)) + ")" + w.SUFFIX
                       + "|" + "|".join(map(re.escape, other)))
    grouped = _keyword_pattern(keywords)
    assert grouped is not None and grouped.pattern != plain.pattern
    for text in [*_texts(), *_OTHER_LANGUAGES, "$$$ now", "über refunds", "返金してください"]:
        assert [m.span() for m in grouped.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text
