"""The praise lane: posts triaged as praise that ask nothing are kept (not cases), listed
in the care channel at most once an hour, and liked or thanked from there.

**Like** likes the post on X at once (no approval; recorded; X's like limit respected).
**Thank** opens a case of kind praise, claimed by the agent, whose reply goes through the
usual approval. **Make it a case** is a correction of triage, recorded for learning.

Example::

    praise = PraiseLane(items=PraiseItems(db), store=store, policy=policy, slack=slack,
                        channel="C0CARE", clock=clock, like_on_x=x_like, learning=learning)
    praise.keep(post, origin="mention", reason="praise: thanks")
    praise.post_digest()                      # the hourly job
    praise.like(post_id="186...", user_id="U1")
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.model import InboundPost
from bot.domain.sla import SlaPolicy
from bot.render import long_text, praise_blocks
from bot.services.learning import Learning
from bot.services.sla_clock import start_clock
from bot.x.client import XError, XRateLimited
from storage.cases import CaseStore
from storage.praise import PraiseItem, PraiseItems

log = logging.getLogger(__name__)

DIGEST_EVERY = timedelta(hours=1)
DIGEST_CHECK_SECONDS = 300
"""How often each instance asks whether a digest is due (at most one per hour is posted)."""
LIKE_PAUSE = timedelta(minutes=15)
"""How long to stop liking after a 429 that does not say when the limit resets."""


@dataclass(frozen=True)
class PraiseOutcome:
    """What a click did: the case it opened or found (if any) and what to tell the user."""

    case_id: int | None
    message: str | None
    opened: bool = False


class PraiseLane:
    def __init__(self, *, items: PraiseItems, store: CaseStore, policy: SlaPolicy,
                 post_message: Callable[..., str], channel: str,
                 clock: Callable[[], datetime], like_on_x: Callable[[str], None],
                 learning: Learning, brand_id: Callable[[], str | None] = lambda: None,
                 kick: Callable[[], None] = lambda: None) -> None:
        self.items = items
        self.store = store
        self.policy = policy
        self.post_message = post_message
        self.channel = channel
        self.clock = clock
        self.like_on_x = like_on_x
        self.learning = learning
        self.brand_id = brand_id
        self.kick = kick
        self._likes_paused_until: datetime | None = None

    # --- intake ------------------------------------------------------------------------
    def keep(self, post: InboundPost, *, origin: str, reason: str) -> str:
        """Keep a praise post for the next digest: "praise", or "seen" if kept already."""
        kept = self.items.add(post=post, origin=origin, reason=reason, now=self.clock())
        return "praise" if kept else "seen"

    # --- the hourly digest -------------------------------------------------------------
    def post_digest(self) -> bool:
        """Post the digest if one is due and this instance wins the hour; True if posted."""
        now = self.clock()
        take = self.items.take_for_digest(hour=f"{now:%Y-%m-%dT%H}",
                                          shown=praise_blocks.DIGEST_SHOWN, now=now,
                                          quiet_since=now - DIGEST_EVERY)
        if take is None:
            return False
        blocks, text = praise_blocks.digest(take.shown, more=take.more)
        try:
            ts = self.post_message(channel=self.channel, blocks=blocks, text=text)
        except Exception:  # noqa: BLE001 - the praise waits for the next digest
            log.exception("could not post the praise digest; its posts wait for the next one")
            self.items.digest_failed(hour=take.hour)
            return False
        self.items.digest_posted(hour=take.hour, slack_ts=ts)
        return True

    def listing(self) -> tuple[list[dict], str]:
        """``/care praise``: the praise no digest has shown."""
        items, total = self.items.not_shown(limit=praise_blocks.LIST_LIMIT)
        return praise_blocks.praise_list(items, total=total)

    # --- buttons -----------------------------------------------------------------------
    def like(self, *, post_id: str, user_id: str) -> str:
        """Like the post on X now; what to tell the user."""
        now = self.clock()
        if self._likes_paused_until and now < self._likes_paused_until:
            return praise_blocks.like_rate_limited(_minutes(self._likes_paused_until - now))
        if self.items.get(post_id) is None:
            return praise_blocks.GONE
        if not self.items.mark_liking(post_id=post_id, by=user_id, now=now):
            return praise_blocks.ALREADY_LIKED
        try:
            self.like_on_x(post_id)
        except XRateLimited as exc:
            self.items.unmark_liking(post_id=post_id)
            self._likes_paused_until = exc.reset_at or now + LIKE_PAUSE
            return praise_blocks.like_rate_limited(_minutes(self._likes_paused_until - now))
        except XError as exc:
            self.items.unmark_liking(post_id=post_id)
            return praise_blocks.like_failed(exc.reason)
        log.info("post %s liked on X by %s", post_id, user_id)
        return praise_blocks.LIKED

    def thank(self, *, post_id: str, user_id: str) -> PraiseOutcome:
        """A case of kind praise, claimed by ``user_id``, for the draft modal to open on.
        Not a correction: triage was right that the post asks nothing."""
        item = self.items.get(post_id)
        if item is None:
            return PraiseOutcome(None, praise_blocks.GONE)
        if item.case_id is not None:
            return PraiseOutcome(item.case_id, None)
        case_id = self._open(item, assignee_id=user_id,
                             note=praise_blocks.thank_case_note(by=user_id))
        if case_id is None:
            return PraiseOutcome(None, praise_blocks.ALREADY_CASE)
        notice = praise_blocks.SEARCH_THANKS if item.origin == "search" else None
        return PraiseOutcome(case_id, notice, opened=True)

    def make_case(self, *, post_id: str, user_id: str) -> PraiseOutcome:
        """Turn a praise post into an ordinary new case: a correction of triage."""
        item = self.items.get(post_id)
        if item is None:
            return PraiseOutcome(None, praise_blocks.GONE)
        if item.case_id is not None:
            return PraiseOutcome(item.case_id, praise_blocks.ALREADY_CASE)
        case_id = self._open(item, assignee_id=None, note=praise_blocks.made_case_note(
            by=user_id, reason=item.reason))
        if case_id is None:
            return PraiseOutcome(None, praise_blocks.ALREADY_CASE)
        self.learning.made_case(post=item.post, lane="praise", kind="praise",
                                reason=item.reason, by=user_id)
        return PraiseOutcome(case_id, praise_blocks.praise_case_opened(case_id), opened=True)

    def _open(self, item: PraiseItem, *, assignee_id: str | None, note: str) -> int | None:
        now = self.clock()
        post = item.post
        rest = long_text.quoted_pieces(post.text)[1]
        case_id = self.store.open_case(
            post=post, channel=self.channel, now=now, origin=item.origin,
            clock=start_clock(self.policy, start=now, minutes=self.policy.first_minutes),
            public_reply_allowed=item.origin != "search", assignee_id=assignee_id,
            triage={"kind": "praise", "priority": "low", "triage_reason": item.reason[:240]},
            brand_id=self.brand_id(), note=note,
            continuation=long_text.continuation(rest) if rest else None)
        if case_id is not None:
            self.items.mark_case(post_id=post.id, case_id=case_id)
            self.kick()
        return case_id


def _minutes(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60))
