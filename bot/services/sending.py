"""Delivering approved replies to X: exactly one post per approved draft.

A worker claims due outbox rows with a lease, then talks to X outside any
transaction. An ambiguous outcome (timeout, dropped connection, 5xx, a crash while
sending) is marked ``unknown``; before any retry the brand's recent posts are read
and a reply already there is recorded instead of being posted again. X's 403
"duplicate content" is reconciled the same way. 429 waits for the reset time.

Example::

    sender = ReplySender(db=db, store=store, x=x_client, brand_id="123", clock=clock,
                         owner="host:pid")
    sender.deliver_due()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.case import Action
from bot.domain.model import OutboundStatus, post_url
from bot.domain.transition import FinishOutbound, LeaseLost, RecordFirstResponse, Step, StopClock
from bot.render import sending_text, strings
from bot.x.client import XAmbiguous, XClient, XDuplicate, XError, XRateLimited, same_reply_text
from storage.cases import SYSTEM, CaseStore
from storage.outbox import OutboundJob, XOutbox

__all__ = ["LeaseLost", "ReplySender", "backoff"]

log = logging.getLogger(__name__)

MAX_AMBIGUOUS_ATTEMPTS = 6
LEASE_SECONDS = 120


def backoff(attempt: int) -> timedelta:
    """2 s, 4 s, 8 s ... capped at 5 minutes."""
    return timedelta(seconds=min(300, 2 ** max(1, attempt)))


class ReplySender:
    def __init__(self, *, outbox: XOutbox, store: CaseStore, x: XClient,
                 brand: Callable[[], tuple[str, str]], clock: Callable[[], datetime],
                 owner: str, kick: Callable[[], None] = lambda: None) -> None:
        self.outbox = outbox
        self.store = store
        self.x = x
        self.brand = brand  # () -> (brand user id, brand username)
        self.clock = clock
        self.owner = owner
        self.kick = kick

    def deliver_due(self) -> int:
        """Work through due replies; returns how many were settled (sent or failed)."""
        settled = 0
        for job in self.outbox.claim_due(owner=self.owner, now=self.clock(),
                                         lease_seconds=LEASE_SECONDS):
            try:
                settled += self._deliver(job)
            except LeaseLost:
                log.warning("reply %s was taken over by another worker", job.id)
        if settled:
            self.kick()
        return settled

    def _deliver(self, job: OutboundJob) -> int:
        if not self.outbox.renew(job_id=job.id, owner=self.owner, now=self.clock(),
                                 lease_seconds=LEASE_SECONDS):
            raise LeaseLost(job.id)  # our lease ran out while earlier jobs of the batch ran
        self.store.transition(case_id=job.case_id, now=self.clock(),
                              step=Step(action=Action.START_SEND, actor=SYSTEM))
        try:
            if job.must_reconcile:
                found = self._find_sent(job)
                if found:
                    return self._sent(job, found, reconciled=True)
            if job.channel == "dm":
                sent_id = self.x.send_dm(text=job.text, participant_id=job.recipient_id)
            else:
                sent_id = self.x.post_reply(text=job.text,
                                            in_reply_to_post_id=job.in_reply_to_post_id)
            return self._sent(job, sent_id, reconciled=False)
        except XDuplicate as exc:
            try:
                found = self._find_sent(job)
            except XError:  # the duplicate may be our own earlier try: look again later
                return self._unresolved(job, exc.reason)
            if found:
                return self._sent(job, found, reconciled=True)
            return self._failed(job, sending_text.duplicate(exc.reason))
        except XRateLimited as exc:
            at = exc.reset_at or self.clock() + backoff(job.attempts)
            # A 429 on the read that reconciles an earlier try leaves that try unresolved:
            # stay "unknown", so that the next attempt reads again before posting.
            self.outbox.postpone(job_id=job.id, owner=self.owner,
                                 status=OutboundStatus.UNKNOWN if job.must_reconcile
                                 else OutboundStatus.PENDING, next_attempt_at=at,
                                 error=exc.reason)
            return 0
        except XAmbiguous as exc:
            if job.attempts >= MAX_AMBIGUOUS_ATTEMPTS:
                found = self._find_sent_quietly(job)  # this last try may have reached X
                if found:
                    return self._sent(job, found, reconciled=True)
                return self._failed(job, sending_text.gave_up(exc.reason, job.attempts))
            self._unresolved(job, exc.reason)
            if job.attempts == 1:
                self.store.record(case_id=job.case_id, actor=SYSTEM, action="send_uncertain",
                                  now=self.clock(), detail=exc.reason,
                                  note=strings.note_send_uncertain(exc.reason))
                self.kick()
            return 0
        except XError as exc:
            return self._failed(job, exc.reason)

    def _unresolved(self, job: OutboundJob, error: str) -> int:
        """The try may have reached X: retry after the backoff, reading X first."""
        self.outbox.postpone(job_id=job.id, owner=self.owner, status=OutboundStatus.UNKNOWN,
                             next_attempt_at=self.clock() + backoff(job.attempts), error=error)
        return 0

    def _find_sent(self, job: OutboundJob) -> str | None:
        brand_id, _ = self.brand()
        if job.channel == "dm":
            return next((event_id for event_id, text in self.x.recent_dms_to(
                brand_id=brand_id, participant_id=job.recipient_id)
                if same_reply_text(text, job.text)), None)
        for reply in self.x.recent_replies(user_id=brand_id):
            if reply.in_reply_to_post_id == job.in_reply_to_post_id \
                    and same_reply_text(reply.text, job.text):
                return reply.id
        return None

    def _find_sent_quietly(self, job: OutboundJob) -> str | None:
        try:
            return self._find_sent(job)
        except XError:
            return None

    def _sent(self, job: OutboundJob, post_id: str, *, reconciled: bool) -> int:
        now = self.clock()
        _, username = self.brand()
        draft = self.store.draft(job.draft_id)
        author = draft.author_id if draft else None
        detail = (f"{job.channel} {post_id}"
                  + (" (found after an unconfirmed try)" if reconciled else ""))
        note = (strings.note_dm_sent(author) if job.channel == "dm"
                else strings.note_sent(post_url(username, post_id), author))
        finish = FinishOutbound(job_id=job.id, owner=self.owner, status=OutboundStatus.SENT,
                                post_id=post_id)
        result = self.store.transition(case_id=job.case_id, now=now, step=Step(
            action=Action.SEND_SUCCEEDED, actor=SYSTEM, detail=detail, note=note,
            effects=(StopClock(), RecordFirstResponse(at=now, by=author), finish)))
        if not result.ok:  # the other half of a public-and-DM draft settled the case first
            self.store.record(case_id=job.case_id, actor=SYSTEM, action="sent", now=now,
                              detail=detail, note=note, effects=(finish,))
        return 1

    def _failed(self, job: OutboundJob, reason: str) -> int:
        now = self.clock()
        finish = FinishOutbound(job_id=job.id, owner=self.owner, status=OutboundStatus.FAILED,
                                error=reason)
        label = sending_text.message_label(job.channel)
        result = self.store.transition(case_id=job.case_id, now=now, step=Step(
            action=Action.SEND_FAILED, actor=SYSTEM, detail=reason, effects=(finish,),
            note=strings.note_send_failed(f"{label}: {reason}")))
        if not result.ok:
            self.store.record(case_id=job.case_id, actor=SYSTEM, action="send_failed",
                              now=now, detail=reason, effects=(finish,),
                              note=strings.note_send_failed_after_other(label, reason))
        return 1

