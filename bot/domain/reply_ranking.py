"""Which saved replies fit a customer's post: BM25 (the ``bm25s`` package) over two
indexes of the replies, one of their titles and tags (titles count twice, tags three
times) and one of their texts (counting a quarter), on light stems and word pairs. A long
post word that no reply holds but that is one slip of the keyboard away from a title or
tag word ("lugage") is read as that word.

The desk keeps quiet rather than guess. A reply is a candidate only when the post holds
all the words of its title or of one of its tags ("lost bag" needs both words; one word
of a phrase is not enough). The best candidate is suggested only when the post shares at
least MIN_SHARED_WORDS different words with that reply's title, tags and text: a post that
meets a reply on one word alone ("what *time* is it in Tokyo") gets no suggestion. Both
rules hold the same for 10 replies or 1,000. The indexes are built once per set of
replies and rebuilt when the set changes.

Example::

    >>> replies = [SavedReply(title="Delayed bag", text="Sorry your bag is late.",
    ...                       tags=("bag", "luggage", "lost bag"))]
    >>> [(s.reply.title, round(s.score, 1) > 0) for s in rank("my bag never arrived late",
    ...                                                       replies)]
    [('Delayed bag', True)]
    >>> rank("which bag should I buy for a ski trip", replies)  # one word shared: none
    []
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from bot.domain.saved_replies import SavedReply

MAX_SUGGESTIONS = 3
# The best match must share this many different words (stems) with the post, counted
# over its title, tags and text. Chosen on the tuning part of the labelled posts.
MIN_SHARED_WORDS = 2
# A second or third suggestion must score at least this share of the first.
MIN_SHARE_OF_BEST = 0.3
TITLE_WEIGHT = 2
TAG_WEIGHT = 3
TEXT_WEIGHT = 0.25
MAX_POST_CHARS = 2000
# A post word this long or longer that no reply holds is read as the one title or tag
# word it is a slip away from, when both stems are at least MIN_MENDED_STEM_CHARS long.
MIN_MENDED_CHARS = 6
MIN_MENDED_STEM_CHARS = 5

_WORD = re.compile(r"[a-z0-9]+")
_NOISE = re.compile(r"https?://\S+|@\w+|&\w+;")
# "we'd", "it's", "they'll": the short form dropped before the apostrophe goes ("wed").
_CONTRACTION = re.compile(r"(?<=[a-z])['\u2019](?:d|ll|re|ve|m|s)\b")
# Words travellers write apart, joined, or hyphenated, made one.
_COMPOUNDS = ((re.compile(r"\bcheck(?:ed|ing)?(?:[\s-]?| (?:me|us|you|him|her|them) )in\b"),
                "checkin"),
              (re.compile(r"\bcarry[\s-]?ons?\b"), "carryon"),
              (re.compile(r"\bwi[\s-]?fi\b"), "wifi"),
              (re.compile(r"\b(?:log|sign)[\s-]?in\b"), "login"))
_HISSING_ES = ("sses", "xes", "zzes", "ches", "shes")
_STOPWORDS = frozenset(
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for "
    "from further had has have having he her here hers herself him himself his how i if in "
    "into is it its itself just me more most my myself no nor not now of off on once only or "
    "other our ours ourselves out over own same she should so some such than that the their "
    "theirs them themselves then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with would you your "
    "yours yourself yourselves im ive id dont doesnt didnt cant wont isnt arent wasnt please "
    "hi hello hey get got also still one us ll re ve t s d m want need know like "
    "take make even really going let kindly".split())


@dataclass(frozen=True)
class Suggestion:
    reply: SavedReply
    score: float


def tokens(text: str) -> list[str]:
    """Lower-cased word stems of ``text`` without stopwords, handles, links or entities,
    followed by the pairs of neighbouring stems (so "lost bag" counts as a phrase)."""
    return _with_pairs(_stems(text))


def _with_pairs(stems: list[str]) -> list[str]:
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


def _stems(text: str, *, mend: Callable[[str], str] | None = None) -> list[str]:
    """The stems of ``text``'s words; ``mend`` may change the stem of a word of at least
    MIN_MENDED_CHARS letters."""
    cleaned = _CONTRACTION.sub("", _NOISE.sub(" ", text.lower()))
    cleaned = cleaned.replace("'", "").replace("\u2019", "")
    for pattern, joined in _COMPOUNDS:
        cleaned = pattern.sub(joined, cleaned)
    stems = []
    for word in _WORD.findall(cleaned):
        if word in _STOPWORDS:
            continue
        stem = _stem(word)
        if mend is not None and len(word) >= MIN_MENDED_CHARS:
            stem = mend(stem)
        if stem not in _STOPWORDS:
            stems.append(stem)
    return stems


def _stem(word: str) -> str:
    """A light English stemmer: enough to join bag/bags, delayed/delay, cancelled/cancel,
    airline/airlines and expire/expired/expires."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, keep, stem_len in (("ies", "y", 3), ("ied", "y", 3), ("ing", "", 3),
                                   ("ed", "", 3), ("es", "", 3), ("s", "", 3), ("ly", "", 4)):
        if suffix == "es" and not word.endswith(_HISSING_ES):
            continue  # "airlines", "miles": only the s goes
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            continue  # "pass", "status", "analysis"
        if word.endswith(suffix) and len(word) - len(suffix) >= stem_len:
            word = word[: len(word) - len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeious":
        word = word[:-1]
    if len(word) >= 6 and word[-1] == "e" and word[-2] not in "aeiou":
        word = word[:-1]  # "expire" as "expired" and "expires"
    return word


def _key_terms(reply: SavedReply) -> list[str]:
    title = tokens(reply.title)
    tags = [t for tag in reply.tags for t in tokens(tag)]
    return title * TITLE_WEIGHT + tags * TAG_WEIGHT


def _words(terms: list[str]) -> set[str]:
    """The single stems among ``terms`` (without the word pairs)."""
    return {t for t in terms if "_" not in t}


class _Phrases:
    """The title and the tags of every reply as sets of stems, to tell which replies have
    one of them whole in a post."""

    def __init__(self, replies: Sequence[SavedReply]) -> None:
        holders: dict[str, list[int]] = {}
        sizes, owners = [], []
        for number, reply in enumerate(replies):
            for phrase in (reply.title, *reply.tags):
                words = _words(tokens(phrase))
                if not words:
                    continue
                for word in words:
                    holders.setdefault(word, []).append(len(sizes))
                sizes.append(len(words))
                owners.append(number)
        self._holders = {w: np.array(ids, dtype=np.int64) for w, ids in holders.items()}
        self._sizes = np.array(sizes, dtype=np.int64)
        self._owners = np.array(owners, dtype=np.int64)
        self._count = len(replies)

    def whole_in(self, post_words: set[str]) -> np.ndarray:
        """A mask of the replies with their title or a tag whole in ``post_words``."""
        found = np.zeros(self._count, dtype=bool)
        hits = [self._holders[w] for w in post_words if w in self._holders]
        if hits:
            counts = np.bincount(np.concatenate(hits), minlength=len(self._sizes))
            found[self._owners[counts == self._sizes]] = True
        return found


def _slips(word: str) -> set[str]:
    """``word`` with one letter dropped or two neighbours swapped, never touching its
    first or last letter (where typing slips seldom fall and real words differ)."""
    inner = range(1, len(word) - 1)
    dropped = {word[:i] + word[i + 1:] for i in inner}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in inner
               if i + 2 < len(word) and word[i] != word[i + 1]}
    return dropped | swapped


class _Spelling:
    """Mends a misspelt post word into the title or tag word of the replies that it is one
    slip away from ("lugage" -> "luggage", "serivce" -> "service"), when exactly one such
    word exists. Words the replies already hold and numbers stay as they are."""

    def __init__(self, *, key_words: set[str], known_words: set[str]) -> None:
        self._known = known_words
        self._key_words = key_words
        self._by_slip: dict[str, set[str]] = {}
        for word in key_words:
            if len(word) >= MIN_MENDED_STEM_CHARS and not word.isdigit():
                for slip in _slips(word):
                    self._by_slip.setdefault(slip, set()).add(word)

    def mend(self, word: str) -> str:
        if len(word) < MIN_MENDED_STEM_CHARS or word in self._known or word.isdigit():
            return word
        near = set(self._by_slip.get(word, ()))
        near |= {w for w in _slips(word) if w in self._key_words}
        near = {w for w in near if len(w) >= MIN_MENDED_STEM_CHARS}
        return near.pop() if len(near) == 1 else word


def _bm25(corpus: list[list[str]]) -> bm25s.BM25 | None:
    """An index of ``corpus``, or None when no document has a word to index."""
    if not any(corpus):
        return None
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


def _scores(retriever: bm25s.BM25 | None, query: list[str], count: int) -> np.ndarray:
    known = [t for t in query if retriever is not None and t in retriever.vocab_dict]
    if not known:
        return np.zeros(count, dtype=np.float32)
    return retriever.get_scores(known)


class ReplyIndex:
    """A BM25 index over one set of saved replies. Build once, rank many posts."""

    def __init__(self, replies: Sequence[SavedReply]) -> None:
        self.replies = tuple(replies)
        self._keys: bm25s.BM25 | None = None
        self._texts: bm25s.BM25 | None = None
        keys = [_key_terms(r) for r in self.replies]
        texts = [tokens(r.text) for r in self.replies]
        self._phrases = _Phrases(self.replies)
        self._words = [_words(k) | _words(t) for k, t in zip(keys, texts, strict=True)]
        self._spelling = _Spelling(key_words=set().union(*map(_words, keys)),
                                   known_words=set().union(*self._words))
        if self.replies:
            self._keys = _bm25(keys)
            self._texts = _bm25(texts)

    def rank(self, post_text: str, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        """Up to ``limit`` replies that fit ``post_text``, best first; [] when none fits."""
        if self._keys is None:
            return []
        query = _with_pairs(_stems(post_text[:MAX_POST_CHARS], mend=self._spelling.mend))
        post_words = _words(query)
        candidates = self._phrases.whole_in(post_words)
        if not candidates.any():
            return []
        count = len(self.replies)
        scores = (_scores(self._keys, query, count)
                  + TEXT_WEIGHT * _scores(self._texts, query, count)) * candidates
        shown = min(limit, count)
        top = np.argpartition(-scores, shown - 1)[:shown]
        top = top[np.argsort(-scores[top], kind="stable")]
        best = float(scores[top[0]])
        if best <= 0 or len(post_words & self._words[top[0]]) < MIN_SHARED_WORDS:
            return []
        return [Suggestion(reply=self.replies[i], score=float(scores[i])) for i in top
                if scores[i] > 0 and scores[i] >= best * MIN_SHARE_OF_BEST]


_last_index: ReplyIndex | None = None
_lock = threading.Lock()


def rank(post_text: str, replies: Sequence[SavedReply]) -> list[Suggestion]:
    """Up to three (reply, score) suggestions for ``post_text``, best first, or [] when
    nothing fits well. Reuses the index while ``replies`` stays the same set."""
    global _last_index
    replies = tuple(replies)
    with _lock:
        index = _last_index
        if index is None or index.replies != replies:
            index = _last_index = ReplyIndex(replies)
    return index.rank(post_text)
