"""Screening inbound posts: which become cases, and why the others do not.

The brand's own posts, retweets and muted authors never become cases. Every other
new post is triaged (kind, sentiment, priority, reason); by default only those that
need a response become cases. Whatever is filtered is kept with its reason.

Example::

    screening = Screening(triager=Triager(), muted=MutedAuthors(db), brand=lambda: ("1", "acme"))
    verdict = screening.screen(post, origin="mention")
    verdict.case, verdict.reason
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.model import InboundPost
from bot.domain.triage import Triage, Triager
from storage.screening import MutedAuthors


@dataclass(frozen=True)
class Verdict:
    case: bool
    reason: str
    triage: Triage | None = None
    final: bool = False
    """Filtered for who or what it is (own post, retweet, muted): not even a follow-up."""

    def fields(self) -> dict:
        if self.triage is None:
            return {}
        t = self.triage
        return {"kind": t.kind.value, "priority": t.priority.value,
                "sentiment": round(t.sentiment, 3), "triage_reason": t.reason[:240]}


class Screening:
    def __init__(self, *, triager: Triager, muted: MutedAuthors,
                 brand: Callable[[], tuple[str, str]]) -> None:
        self.triager = triager
        self.muted = muted
        self.brand = brand

    def gate(self, post: InboundPost) -> Verdict | None:
        """Posts that never become cases nor follow-ups, whatever they say."""
        brand_id, _ = self.brand()
        if post.author.id == brand_id:
            return Verdict(False, "the brand's own post", final=True)
        if post.is_retweet:
            return Verdict(False, "a retweet", final=True)
        if self.muted.is_muted(post.author.id):
            return Verdict(False, "the author is on the mute list", final=True)
        return None

    def screen(self, post: InboundPost, *, origin: str) -> Verdict:
        """Triage a post that passed :meth:`gate` (or that an agent chose to answer)."""
        brand_id, handle = self.brand()
        triage = self.triager.classify(text=post.text, author_followers=post.author.followers,
                                       brand_handle=handle, lang=post.lang,
                                       replying_to_brand=post.in_reply_to_user_id == brand_id)
        if post.kind == "dm":  # a DM is addressed to us: always a case
            return Verdict(True, triage.reason, triage)
        return Verdict(triage.needs_response, triage.reason, triage)
