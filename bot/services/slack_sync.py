"""Delivering the Slack outbox: parent messages, their updates, thread notes, and the
top-level channel posts (summaries, alerts).

Rows are worked in order per case; a case's notes wait for its parent message. One
failure policy (``judge_failure``) decides for every kind of message: retry after Slack's
Retry-After or a backoff, or set the row aside for good. One rule guards every post
(``_post_once``): the row's lease is renewed right before each call to Slack and is
longer than the longest call can take, so a worker whose lease ran out never posts; and
a row claimed again (attempts > 1) first looks for the message an earlier try may have
posted (by its message metadata) and adopts it instead of posting it twice.

Example::

    sync = SlackSync(outbox=SlackOutbox(db), store=store, slack=slack_out, clock=clock,
                     owner="host:pid")
    sync.deliver_due()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.domain.model import Case
from bot.render import route_text
from bot.render.case_message import case_parent, thread_note
from bot.slack_out import SlackOut, retry_after_seconds
from storage.cases import CaseStore
from storage.channel_posts import ChannelPostJob, ChannelPosts
from storage.outbox import SlackJob, SlackOutbox
from storage.route_moves import MOVED

log = logging.getLogger(__name__)

# Errors that no retry will cure: the row is set aside (and logged) rather than retried forever.
PERMANENT_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks",
                    "msg_too_long", "no_text", "invalid_auth", "account_inactive",
                    "missing_scope", "message_not_found", "cant_update_message"}
MAX_ATTEMPTS = 50
MAX_BACKOFF_SECONDS = 120
# Message metadata on what we post, so a retry can find an earlier try that Slack stored.
CASE_EVENT = "care_case"
NOTE_EVENT = "care_note"
CHANNEL_POST_EVENT = "care_channel_post"
PARENT_KINDS = ("parent", "update", MOVED)  # a moved case's old parent is edited too
EDIT_KINDS = ("update", MOVED)  # chat.update: the workspace's edit budget, not the channel's
NOTE_KINDS = ("note",)
# Few notes per pass, so the parents that came due meanwhile are claimed again soon. A
# note that must wait for its channel's posting pace delivers them while it waits.
# Parents and edits are claimed only as far as Slack's budgets let them go at once.
NOTES_PER_PASS = 3
# A run ends after this many passes even if more is due, so a
# flood cannot hold the job for ever; the next kick or interval carries on.
MAX_PASSES_PER_RUN = 500
LEASE_MARGIN_SECONDS = 15  # pacing and a database round trip beside the call itself
UTC_ZONE = ZoneInfo("UTC")


class LeaseLost(Exception):  # noqa: N818 - not an error: another worker has the row now
    """Our lease on a row ran out and could not be renewed: leave the row alone."""


@dataclass(frozen=True)
class Setback:
    """What to do after a failed attempt: give up for good, or retry at ``retry_at``."""

    error: str
    give_up: bool
    retry_at: datetime


def judge_failure(exc: Exception, *, attempts: int, now: datetime) -> Setback:
    """The Slack failure policy for every message the desk delivers."""
    retry_after = None
    if isinstance(exc, SlackApiError):
        error = exc.response.get("error") or str(exc.response.status_code)
        retry_after = retry_after_seconds(getattr(exc.response, "headers", None))
    else:  # network trouble
        error = type(exc).__name__
    backoff = min(MAX_BACKOFF_SECONDS, 2 ** min(attempts, 7))
    delay = max(backoff, retry_after or 0)
    return Setback(error=error, give_up=error in PERMANENT_ERRORS or attempts >= MAX_ATTEMPTS,
                   retry_at=now + timedelta(seconds=delay))


class SlackSync:
    def __init__(self, *, outbox: SlackOutbox, store: CaseStore, slack: SlackOut,
                 clock: Callable[[], datetime], owner: str, tz: ZoneInfo = UTC_ZONE,
                 channel_posts: ChannelPosts | None = None, can_escalate: bool = False,
                 can_route: bool = False,
                 lease_seconds: float | None = None,
                 suggest: Callable[[Case], list[tuple[int, str]] | None] | None = None,
                 phone: Callable[[Case], str | None] | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        """``sleep`` stands in for waiting on a budget (a simulated clock); by default a
        run waits on ``wake``."""
        self._sleep = sleep
        self.can_escalate = can_escalate
        self.can_route = can_route
        self.suggest = suggest
        self.phone = phone
        self.outbox = outbox
        self.tz = tz
        self.channel_posts = channel_posts
        self.store = store
        self.slack = slack
        self.clock = clock
        self.owner = owner
        self.lease_seconds = lease_seconds or slack.longest_call_seconds() + LEASE_MARGIN_SECONDS
        self._woken = threading.Event()

    def wake(self) -> None:
        """Say that something may have come due (a click queued its parent's update). A
        run waiting for a channel's posting pace delivers parent messages at once."""
        self._woken.set()

    def deliver_due(self) -> int:
        """Deliver everything that is due. Passes repeat while they deliver (a parent
        posted frees its thread notes, a full batch leaves more behind) and while rows
        wait only for Slack's pace, so the outbox drains as fast as Slack's limits allow,
        never waiting for the next run."""
        delivered = 0
        for _ in range(MAX_PASSES_PER_RUN):
            count, wait = self._pass()
            delivered += count
            if count:
                continue
            if wait is None:
                break
            self._nap(wait)
        for _ in range(MAX_PASSES_PER_RUN):
            count = self._deliver_channel_posts()
            delivered += count
            if not count:
                break
        return delivered

    def _pass(self) -> tuple[int, float | None]:
        """Parent messages and their updates first (what a click shows), then thread
        notes. Returns how many were delivered and, when rows wait for a posting or edit
        budget, the seconds until the first of them may go."""
        failed_cases: set[int] = set()
        self._woken.clear()  # what wakes us from here on came due after this claim
        delivered, wait = self._deliver_jobs(PARENT_KINDS, failed_cases, limit=50)
        notes, _ = self._deliver_jobs(NOTE_KINDS, failed_cases, limit=NOTES_PER_PASS,
                                      paced=False)
        return delivered + notes, wait

    def _nap(self, seconds: float) -> bool:
        """Wait ``seconds`` for a budget to refill; True if woken early (a click)."""
        if self._sleep is not None:
            self._sleep(seconds)
            return False
        return self._woken.wait(seconds)

    def _others_while_paced(self, channel: str, failed_cases: set[int]) -> int:
        """While ``channel``'s posting pace holds a note back, deliver the parent messages
        and updates that may go meanwhile: a click's result and other channels' parents
        never wait behind a note. Returns how many were delivered."""
        delivered = 0
        while (delay := self.slack.pacer.delay(channel)) > 0:
            count, wait = self._deliver_jobs(PARENT_KINDS, failed_cases, limit=50)
            delivered += count
            if not count and self._nap(min(delay, delay if wait is None else wait)):
                self._woken.clear()
        return delivered

    def _deliver_jobs(self, kinds: tuple[str, ...], failed_cases: set[int], *,
                      limit: int, paced: bool = True) -> tuple[int, float | None]:
        """Claim and deliver due rows of ``kinds``; ``paced`` claims only what Slack's
        budgets let go now. Returns the count delivered and the wait for the rest."""
        allowance = self.slack.allowance()
        delivered = 0
        may_go = (lambda kind, channel: allowance.may_go(channel=channel,
                                                         edit=kind in EDIT_KINDS)) \
            if paced else None
        for job in self.outbox.claim_due(owner=self.owner, now=self.clock(), limit=limit,
                                         lease_seconds=self.lease_seconds, kinds=kinds,
                                         may_go=may_go):
            if job.kind in NOTE_KINDS:
                delivered += self._others_while_paced(job.channel, failed_cases)
            if job.case_id in failed_cases:  # keep each case's order: retry after the first
                self.outbox.retry_later(job=job, owner=self.owner, at=self.clock(),
                                        error="waiting for an earlier message of this case")
                continue
            try:
                ts = self._deliver(job)
            except LeaseLost:
                continue
            except Exception as exc:  # noqa: BLE001 - judged by the one failure policy
                failed_cases.add(job.case_id)
                self._failed(job, judge_failure(exc, attempts=job.attempts, now=self.clock()))
                continue
            if self.outbox.done(job=job, owner=self.owner, slack_ts=ts):
                delivered += 1
        return delivered, allowance.wait_seconds()

    def _deliver_channel_posts(self) -> int:
        if self.channel_posts is None:
            return 0
        delivered = 0
        for job in self.channel_posts.claim_due(owner=self.owner, now=self.clock(),
                                                lease_seconds=self.lease_seconds):
            try:
                ts = self._deliver_channel_post(job)
            except LeaseLost:
                continue
            except Exception as exc:  # noqa: BLE001 - judged by the one failure policy
                setback = judge_failure(exc, attempts=job.attempts, now=self.clock())
                log.warning("Slack channel message failed (%s)", setback.error)
                self.channel_posts.finish(
                    job=job, owner=self.owner, status="failed" if setback.give_up else "pending",
                    error=setback.error, retry_at=setback.retry_at)
                continue
            if self.channel_posts.finish(job=job, owner=self.owner, status="done", slack_ts=ts):
                delivered += 1
        return delivered

    def _deliver_channel_post(self, job: ChannelPostJob) -> str:
        blocks, text = thread_note(job.text)
        return self._post_once(
            hold=lambda: self.channel_posts.renew(job=job, owner=self.owner, now=self.clock(),
                                                  lease_seconds=self.lease_seconds),
            attempts=job.attempts, channel=job.channel, blocks=blocks, text=text,
            marker={"event_type": CHANNEL_POST_EVENT,
                    "event_payload": {"channel_post_id": job.id}},
            since=job.created_at)

    def _deliver(self, job: SlackJob) -> str | None:
        def hold() -> bool:
            return self.outbox.renew(job=job, owner=self.owner, now=self.clock(),
                                     lease_seconds=self.lease_seconds)

        if job.kind == "note":
            blocks, text = (job.blocks, job.text) if job.blocks else thread_note(job.text)
            return self._post_once(
                hold=hold, attempts=job.attempts, channel=job.channel, blocks=blocks,
                text=text, thread_ts=job.parent_ts,
                marker={"event_type": NOTE_EVENT, "event_payload": {"outbox_id": job.id}})
        case = self.store.get(job.case_id)
        if job.kind == MOVED:
            return self._mark_moved(job, case, hold)
        blocks, text = case_parent(case, now=self.clock(), tz=self.tz,
                                   can_escalate=self.can_escalate,
                                   can_route=self.can_route,
                                   suggestions=self.suggest(case) if self.suggest else None,
                                   phone=self.phone(case) if self.phone else None,
                                   can_phone=self.phone is not None)
        if job.kind == "parent" and not job.parent_ts:
            return self._post_once(
                hold=hold, attempts=job.attempts, channel=job.channel, blocks=blocks,
                text=text, since=case.created_at,
                marker={"event_type": CASE_EVENT, "event_payload": {"case_id": case.id}})
        if not hold():
            raise LeaseLost()
        self.slack.update(channel=job.channel, ts=job.parent_ts, blocks=blocks, text=text)
        return job.parent_ts

    def _mark_moved(self, job: SlackJob, case: Case, hold: Callable[[], bool]) -> str:
        """The old parent of a case moved to another route: its marker, linking on."""
        old = (job.blocks or [{}])[0]
        text = route_text.moved_marker_with_link(
            job.text, link=route_text.archive_link(case.slack_channel, case.slack_ts or ""))
        blocks, text = thread_note(text)
        if not hold():
            raise LeaseLost()
        self.slack.update(channel=old["channel"], ts=old["ts"], blocks=blocks, text=text)
        return old["ts"]

    def _post_once(self, *, hold: Callable[[], bool], attempts: int, channel: str,
                   blocks: list, text: str, marker: dict, thread_ts: str | None = None,
                   since: datetime | None = None) -> str:
        """Post one message at most once, whoever held its row before.

        A crash, a lost answer or a lease that ran out between Slack storing a message
        and us recording its ts leaves the row to be claimed again; that claim reads the
        channel (or thread) first and adopts the message instead of posting it twice.
        Renewing the lease before each call means a worker that stalled past its lease
        stops before posting, and a post under a renewed lease ends before the lease does.
        """
        if not hold():
            raise LeaseLost()
        if attempts > 1:
            found = self.slack.find_posted(channel=channel, marker=marker, since=since,
                                           thread_ts=thread_ts)
            if found:
                return found
            if not hold():
                raise LeaseLost()
        return self.slack.post(channel=channel, blocks=blocks, text=text, thread_ts=thread_ts,
                               metadata=marker)

    def _failed(self, job: SlackJob, setback: Setback) -> None:
        if setback.give_up:
            log.error("Slack refused %s for case %s: %s; set aside", job.kind, job.case_id,
                      setback.error)
            self.outbox.give_up(job=job, owner=self.owner, error=setback.error)
            return
        log.warning("Slack %s for case %s failed (%s); retrying at %s", job.kind, job.case_id,
                    setback.error, setback.retry_at.isoformat(timespec="seconds"))
        self.outbox.retry_later(job=job, owner=self.owner, at=setback.retry_at,
                                error=setback.error)
