"""Checks on a reply's text before it can become a draft.

X counts characters with weights (URLs 23, CJK and emoji 2; 280 in all); the
``twitter-text-parser`` package implements X's own counting.

Example::

    >>> check_reply_text("Thanks, we are on it!").ok
    True
    >>> check_reply_text("   ").problem
    'The reply is empty.'
"""

from __future__ import annotations

from dataclasses import dataclass

from twitter_text import parse_tweet

MAX_WEIGHTED_LENGTH = 280
# What the modal accepts at all: far more than X allows, so a long draft comes back
# with a length error instead of being cut off.
MAX_DRAFT_CHARS = 3000


@dataclass(frozen=True)
class TextCheck:
    weighted_length: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


MAX_DM_CHARS = 10_000


def check_dm_text(text: str) -> TextCheck:
    """A direct message: not empty, at most X's 10,000 characters."""
    body = (text or "").strip()
    if not body:
        return TextCheck(0, "The direct message is empty.")
    if len(body) > MAX_DM_CHARS:
        return TextCheck(len(body), f"The direct message is {len(body):,} characters; X takes "
                                    f"at most {MAX_DM_CHARS:,}.")
    return TextCheck(len(body), None)


def weighted_length(text: str) -> int:
    return parse_tweet(text).weightedLength


def check_reply_text(text: str, *, signature: str = "") -> TextCheck:
    """Validate ``text`` (plus the agent's signature, which counts too) for a public reply."""
    body = (text or "").strip()
    if not body:
        return TextCheck(0, "The reply is empty.")
    full = body + signature
    length = weighted_length(full)
    if length > MAX_WEIGHTED_LENGTH:
        over = length - MAX_WEIGHTED_LENGTH
        return TextCheck(
            length,
            f"The reply is {length} characters as X counts them (links count 23, emoji and "
            f"CJK characters 2); the limit is {MAX_WEIGHTED_LENGTH}. Cut {over}.",
        )
    return TextCheck(length, None)
