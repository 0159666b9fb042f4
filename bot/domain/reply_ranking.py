"""Which saved replies fit a customer's post: BM25 (the ``bm25s`` package) over two
indexes of the replies, one of their titles and tags (titles count twice, tags three
times) and one of their texts (counting a quarter), on light stems and word pairs.

A reply is suggested only when its title-and-tags score reaches MIN_KEY_SCORE of what one
rare word can weigh in the set: below that the desk says it has no suggestion rather than
guess. The indexes are built once per set of replies and rebuilt when the set changes.

Example::

    >>> replies = [SavedReply(title="Delayed bag", text="Sorry your bag is late.",
    ...                       tags=("bag", "luggage", "lost bag"))]
    >>> [(s.reply.title, round(s.score, 1) > 0) for s in rank("my bag never arrived", replies)]
    [('Delayed bag', True)]
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from bot.domain.saved_replies import SavedReply

MAX_SUGGESTIONS = 3
# A best match whose title-and-tags score is below this share of the highest weight one
# word can carry in the set (its BM25 idf when one reply holds it) is no suggestion: the
# same rule for 10 replies or 1,000. Tuned on the dev part of the labelled posts.
MIN_KEY_SCORE = 0.71
# A second or third suggestion must score at least this share of the first.
MIN_SHARE_OF_BEST = 0.3
TITLE_WEIGHT = 2
TAG_WEIGHT = 3
TEXT_WEIGHT = 0.25
MAX_POST_CHARS = 2000

_WORD = re.compile(r"[a-z0-9]+")
_NOISE = re.compile(r"https?://\S+|@\w+|&\w+;")
# Words travellers write apart, joined, or hyphenated, made one.
_COMPOUNDS = ((re.compile(r"\bcheck(?:ed)?[\s-]?in\b"), "checkin"),
              (re.compile(r"\bcarry[\s-]?ons?\b"), "carryon"),
              (re.compile(r"\bwi[\s-]?fi\b"), "wifi"),
              (re.compile(r"\b(?:log|sign)[\s-]?in\b"), "login"))
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
    "take make even really going let".split())


@dataclass(frozen=True)
class Suggestion:
    reply: SavedReply
    score: float


def tokens(text: str) -> list[str]:
    """Lower-cased word stems of ``text`` without stopwords, handles, links or entities,
    followed by the pairs of neighbouring stems (so "lost bag" counts as a phrase)."""
    cleaned = _NOISE.sub(" ", text.lower().replace("'", "").replace("\u2019", ""))
    for pattern, joined in _COMPOUNDS:
        cleaned = pattern.sub(joined, cleaned)
    stems = [s for s in (_stem(w) for w in _WORD.findall(cleaned) if w not in _STOPWORDS)
             if s not in _STOPWORDS]
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


def _stem(word: str) -> str:
    """A light English stemmer: enough to join bag/bags, delayed/delay, cancelled/cancel."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeious":
        word = word[:-1]
    return word


def _key_terms(reply: SavedReply) -> list[str]:
    title = tokens(reply.title)
    tags = [t for tag in reply.tags for t in tokens(tag)]
    return title * TITLE_WEIGHT + tags * TAG_WEIGHT


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
        # Lucene's idf of a word only one reply holds: scores are measured against it.
        self._scale = math.log(1 + (len(self.replies) - 0.5) / 1.5) if self.replies else 1.0
        if self.replies:
            self._keys = _bm25([_key_terms(r) for r in self.replies])
            self._texts = _bm25([tokens(r.text) for r in self.replies])

    def rank(self, post_text: str, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        """Up to ``limit`` replies that fit ``post_text``, best first; [] when none fits."""
        if self._keys is None:
            return []
        query = tokens(post_text[:MAX_POST_CHARS])
        key_scores = _scores(self._keys, query, len(self.replies))
        if not key_scores.any():
            return []
        scores = key_scores + TEXT_WEIGHT * _scores(self._texts, query, len(self.replies))
        count = min(limit, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        best = float(scores[top[0]])
        if key_scores[top[0]] < MIN_KEY_SCORE * self._scale:
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
