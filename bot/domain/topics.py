"""Topics: the words and links that tell what a burst of posts is about.

Pure (stdlib only). Used by the crisis detector for an alert's top terms and, in crisis mode,
to group alike posts under one digest case per topic (:func:`topic_key`).

Example::

    terms("@acme The APP keeps crashing!! https://t.co/x #AcmeDown")
    # ['app', 'keep', 'crashing', 'acmedown']  (no mentions, URLs, stopwords or short words)
    normalize_url("HTTPS://Status.Acme.com/incidents/42/?utm_source=x")
    # 'https://status.acme.com/incidents/42'
    topic_key(text="App down again", urls=["https://status.acme.com/incidents/42?utm_medium=a"])
    # 'url:https://status.acme.com/incidents/42'
    topic_key(text="@acme the apps are down, outage again?", urls=[])
    # 'terms:app+outage'
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "KEY_MAX",
    "STOPWORDS",
    "bigrams",
    "normalize_url",
    "rank_terms",
    "stem",
    "terms",
    "topic_key",
]

KEY_MAX = 200
"""A topic key is at most this long (it is stored and indexed by the service)."""

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any anyone are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each even ever every few for from further get gets
    getting got had hadn't has hasn't have haven't having he her here hers herself him himself
    his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's like me more
    most much must my myself no nor not now of off on once one only or other our ours ourselves
    out over own really same she should shouldn't so some still such than that that's the their
    theirs them themselves then there there's these they they're this those through to too
    under until up us very via was wasn't we we're we've well were weren't what what's when
    where which while who whom why will with won't would wouldn't yet you you'd you'll you're
    you've your yours yourself yourselves
    amp dm dms hey hello hi lol omg ok okay pls please plz thank thanks thx guy guys today
    yesterday tomorrow day days week time times still already again anyone someone something
    anything nothing everyone everything going gonna wanna need needs want wants know make made
    say said says see seen tell told think way ever never always yes yeah
    rt via cc
    que los las del por para una con pero est les des pour avec pas une und der die das ist
    nicht mit ein eine
    """.split()
)
"""Words that never make a term: English function words, chat filler, a few common words of
Spanish, French and German. Words shorter than three letters are dropped anyway."""

_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_MIN_LEN, _MAX_LEN = 3, 30
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ref_src", "ref_url",
     "_ga", "yclid", "twclid"}
)
_X_HOSTS = frozenset({"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com",
                      "www.x.com", "mobile.x.com"})
_X_MEDIA = re.compile(r"^/\w+/status/\d+/(?:photo|video)/\d+$")


def stem(word: str) -> str:
    """Light plural stemming: ``delays`` -> ``delay``, ``flies`` -> ``fly``, ``crashes`` ->
    ``crash``; ``class``, ``status``, ``analysis`` stay as they are.

    Example::

        [stem(w) for w in ("refunds", "batteries", "boxes", "bus")]  # ['refund', 'battery',
                                                                      #  'box', 'bus']
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "'s")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def terms(text: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """The significant words of a post in order: lowercased, URLs, @mentions, stopwords,
    numbers and words shorter than three letters removed, plurals stemmed, hashtags kept as
    their word. ``ignore`` adds words to drop (the brand's own name, say).

    Example::

        terms("@acme Refunds STILL not here #fail", ignore=["acme"])  # ['refund', 'fail']
    """
    skip = {w.strip().lower() for w in ignore}
    clean = _MENTION.sub(" ", _URL.sub(" ", text or "")).lower().replace("\u2019", "'")
    out: list[str] = []
    for raw in _WORD.findall(clean):
        if raw in STOPWORDS or raw in skip:
            continue
        word = raw[:-2] if raw.endswith("'s") else raw
        word = stem(word)
        if _MIN_LEN <= len(word) <= _MAX_LEN and word not in STOPWORDS and word not in skip:
            out.append(word)
    return out


def bigrams(words: list[str]) -> list[str]:
    """Adjacent pairs of significant words (``"app crash"``), used for an alert's top terms.

    Example::

        bigrams(["app", "crash", "login"])  # ['app crash', 'crash login']
    """
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b]


def rank_terms(counts: Mapping[str, int], *, limit: int = 5) -> list[tuple[str, int]]:
    """The top terms from counts of words and bigrams (each counted once per post), most
    frequent first, ties alphabetical. A bigram seen at least twice replaces each of its words
    when it covers at least 75% of that word's posts (``"app crash"`` rather than ``"app"``
    and ``"crash"``); a bigram that replaces nothing adds nothing and is left out.

    Example::

        rank_terms({"app": 9, "crash": 8, "app crash": 8, "refund": 3})
        # [('app crash', 8), ('refund', 3)]
    """
    words = {t: c for t, c in counts.items() if " " not in t and c > 0}
    absorbed: set[str] = set()
    pairs: dict[str, int] = {}
    for term, count in counts.items():
        if " " not in term or count < 2:
            continue
        parts = [p for p in term.split(" ") if count >= 0.75 * words.get(p, 0) > 0]
        if parts:
            absorbed.update(parts)
            pairs[term] = count
    ranked = [(t, c) for t, c in words.items() if t not in absorbed] + list(pairs.items())
    ranked.sort(key=lambda tc: (-tc[1], tc[0]))
    return ranked[: max(limit, 0)]


def normalize_url(url: str) -> str:
    """One spelling per linked page: scheme and host lowercased (``http`` read as ``https``,
    ``twitter.com`` as ``x.com``), default port, fragment, trailing slash and tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``...; ``s`` and ``t`` on X links) removed,
    remaining parameters sorted. Returns ``""`` for something that is not a web link.

    Example::

        normalize_url("http://WWW.Acme.com:80/News/?b=2&utm_campaign=x&a=1#top")
        # 'https://www.acme.com/News?a=1&b=2'
        normalize_url("https://twitter.com/acme/status/1?s=20")  # 'https://x.com/acme/status/1'
    """
    raw = (url or "").strip()
    if raw.lower().startswith("www."):
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host:
        return ""
    x_link = host in _X_HOSTS
    if x_link:
        host = "x.com"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
        and not (x_link and k in ("s", "t"))
    )
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def _linked_page(urls: Iterable[str]) -> str:
    """The page a post links to, if any: the first of its normalized links in sorted order,
    leaving out links to the post's own photos and videos (unique to each post)."""
    pages = set()
    for url in urls:
        norm = normalize_url(url)
        if not norm or norm.startswith("https://pic.x.com") or norm.startswith(
            "https://pic.twitter.com"
        ):
            continue
        if norm.startswith("https://x.com/") and _X_MEDIA.match(urlsplit(norm).path):
            continue
        pages.add(norm)
    return min(pages) if pages else ""


def _bounded(key: str) -> str:
    if len(key) <= KEY_MAX:
        return key
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{key[: KEY_MAX - 13]}#{digest}"


def topic_key(
    *, text: str, urls: Iterable[str] = (), focus: Iterable[str] = (), size: int = 3,
    ignore: Iterable[str] = (),
) -> str:
    """The topic of a post, for grouping alike posts under one digest case in crisis mode.
    Deterministic; at most :data:`KEY_MAX` characters.

    1. A post that links a page (see :func:`normalize_url`) -> ``url:<normalized link>``:
       every post linking that page shares one topic, whatever its words.
    2. Else, when ``focus`` is given (the crisis's top terms, most important first) and the
       post contains one of them -> ``terms:<first such term>``: one digest per crisis term.
    3. Else its ``size`` (default 3) most significant words (see :func:`terms`; ranked by how
       often they occur in the post, then longer first) sorted -> ``terms:a+b+c``.
    4. No link and no significant word -> ``misc``.

    Example::

        topic_key(text="outage again?! @acme", urls=["https://acme.com/status/?utm_source=x"])
        # 'url:https://acme.com/status'
        topic_key(text="Login failures everywhere", focus=["outage", "login"])  # 'terms:login'
        topic_key(text="Login failures everywhere")  # 'terms:everywhere+failure+login'
    """
    page = _linked_page(urls)
    if page:
        return _bounded(f"url:{page}")
    words = terms(text, ignore=ignore)
    if not words:
        return "misc"
    present = set(words) | set(bigrams(words))
    for term in focus:
        if term.strip().lower() in present:
            return _bounded(f"terms:{term.strip().lower()}")
    tf = Counter(words)
    chosen = sorted(tf, key=lambda w: (-tf[w], -len(w), w))[: max(size, 1)]
    return _bounded("terms:" + "+".join(sorted(chosen)))
