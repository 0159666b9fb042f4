"""Which language a post is in, as far as triage needs to know.

The rules read English best, and common Spanish, French, German, Portuguese and Japanese
forms. A post in any other language is never filtered for "no request": it goes to a human,
marked with its language. X sends its own guess (``lang``, BCP 47, ``und`` when unknown);
without it, the script and a few function words give a rough guess.

Example::

    guess_language("@acme مرحبا، طلبي لم يصل")  # "ar"
    language_name("ar")  # "Arabic"
"""

from __future__ import annotations

import re

from bot.domain.triage_regex import factor

__all__ = ["READABLE", "guess_language", "language_name", "normalise_lang"]

READABLE = frozenset({"en", "es", "fr", "de", "pt", "ja"})
"""Languages the lexicons read (besides English, the common forms only)."""

_NAMES = {
    "ar": "Arabic", "bn": "Bengali", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "fa": "Persian", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "ta": "Tamil", "th": "Thai",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese",
}
_SCRIPTS = (
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("bn", re.compile(r"[\u0980-\u09ff]")),
    ("ta", re.compile(r"[\u0b80-\u0bff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
)
# A character of any script above (each is one character class): none, nothing to count.
_ANY_SCRIPT = re.compile("[" + "".join(script.pattern[1:-1] for _, script in _SCRIPTS) + "]")


def _words(alternatives: str, extra: str = "") -> re.Pattern[str]:
    """``\b(?:alternatives)\b``, grouped by first character (same matches, less work)."""
    return re.compile(rf"\b(?:{factor(alternatives)})\b" + extra)


_FUNCTION_WORDS = (
    ("es", _words(r"el|los|las|por|para|una|pero|que|mi|con|est[aá]|tengo|hola|no me"
                  r"|c[oó]mo|qu[eé]|d[oó]nde|cu[aá]ndo|pedido|ayuda|gracias|del|al|lo|la|en|y"
                  r"|nunca|jam[aá]s|nada|muy|sin|cuenta|compra[rs]?|volver[eé]?")),
    ("fr", _words(r"les|sur|tout|pour|avec|pas|une|du|au|je|vous|tr[eè]s|est|mon|ma"
                  r"|bonjour|merci|commande")),
    ("de", _words(r"und|f[üu]r|nicht|ist|ich|mit|der|das|den|dem|ein|eine|keine|seit"
                  r"|mein|meine|wurde|sind|auf|warum|danke|bestellung")),
    ("pt", _words(r"n[ãa]o|voc[êe]s?|muito|uma|meu|minha|at[ée]|pedido|obrigad[oa]"
                  r"|ol[áa]|para|com|da|do|na|no|em|consigo|nunca|conta|compra[rs]?")),
    ("it", _words(r"il|gli|della|sono|non|perch[eé]|grazie|ciao|ordine|questo")),
    ("nl", _words(r"het|een|niet|van|ik|mijn|bestelling|bedankt|waarom|geen")),
    ("tr", _words(r"bir|ve|bu|i[çc]in|neden|te[şs]ekk[üu]rler|sipari[şs]|merhaba", r"|[ığş]")),
    ("id", _words(r"saya|tidak|yang|dan|untuk|kenapa|terima kasih|pesanan|tolong")),
)
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿığş]{2,}")
_ENGLISH = _words(r"the|and|is|my|you|your|to|it|i|for|of|in|on|this|that|with|not"
                  r"|can|have|what|why|how|please|thanks?")


def normalise_lang(code: str | None) -> str | None:
    """X's ``lang`` -> a primary language subtag; None when unknown (``und``, ``zxx``...)."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    if len(primary) not in (2, 3) or not primary.isalpha():
        return None
    return None if primary in ("und", "zxx", "qme", "qht", "qam", "qct", "qst") else primary


def guess_language(low: str) -> str | None:
    """A rough guess from lowercased text without mentions or URLs; None means English or
    too little to tell."""
    if not low.isascii() and _ANY_SCRIPT.search(low):
        for code, script in _SCRIPTS:
            if len(script.findall(low)) >= 2:
                return code
    english = len(_ENGLISH.findall(low))
    if english >= 3 or len(_LATIN_WORD.findall(low)) < 2:
        return None
    best, hits = None, 0
    for code, pattern in _FUNCTION_WORDS:
        count = len(pattern.findall(low))
        if count > hits:
            best, hits = code, count
    return best if hits >= 2 and hits > english else None


def language_name(code: str) -> str:
    return _NAMES.get(code, code)
