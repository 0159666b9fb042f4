"""Delivering the Slack outbox: parent messages, their updates, thread notes.

Rows are worked in order per case; a case's notes wait for its parent message. A
failure is retried later (Slack's Retry-After honoured by the client first), so
nothing queued is dropped while Slack is down or throttling.

Example::

    sync = SlackSync(outbox=SlackOutbox(db), store=store, slack=slack_out, clock=clock,
                     owner="host:pid")
    sync.deliver_due()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.render.case_message import case_parent, thread_note
from bot.slack_out import SlackOut
from storage.cases import CaseStore
from storage.channel_posts import ChannelPosts
from storage.outbox import SlackJob, SlackOutbox

log = logging.getLogger(__name__)

# Errors that no retry will cure: the row is set aside (and logged) rather than retried forever.
PERMANENT_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks",
                    "msg_too_long", "no_text", "invalid_auth", "account_inactive",
                    "missing_scope", "message_not_found", "cant_update_message"}
MAX_ATTEMPTS = 50
# Message metadata on what we post, so a retry can find an earlier try that Slack stored.
CASE_EVENT = "care_case"
NOTE_EVENT = "care_note"
HISTORY_PAGES = 10
UTC_ZONE = ZoneInfo("UTC")


class SlackSync:
    def __init__(self, *, outbox: SlackOutbox, store: CaseStore, slack: SlackOut,
                 clock: Callable[[], datetime], owner: str, tz: ZoneInfo = UTC_ZONE,
                 channel_posts: ChannelPosts | None = None, can_escalate: bool = False) -> None:
        self.can_escalate = can_escalate
        self.outbox = outbox
        self.tz = tz
        self.channel_posts = channel_posts
        self.store = store
        self.slack = slack
        self.clock = clock
        self.owner = owner

    def deliver_due(self) -> int:
        """Deliver what is due; a parent posted in one pass frees its thread notes for the
        next, so passes repeat while they post parents."""
        delivered = 0
        for _ in range(10):
            count, parents = self._pass()
            delivered += count
            if not parents:
                break
        return delivered + self._deliver_channel_posts()

    def _pass(self) -> tuple[int, int]:
        delivered = parents = 0
        failed_cases: set[int] = set()
        for job in self.outbox.claim_due(owner=self.owner, now=self.clock(), lease_seconds=60):
            if job.case_id in failed_cases:  # keep each case's order: retry after the first
                self.outbox.retry_later(job=job, owner=self.owner, at=self.clock(),
                                        error="waiting for an earlier message of this case")
                continue
            try:
                ts = self._deliver(job)
            except SlackApiError as exc:
                failed_cases.add(job.case_id)
                self._failed(job, exc.response.get("error") or str(exc.response.status_code))
                continue
            except Exception as exc:  # noqa: BLE001 - network trouble: retry later
                failed_cases.add(job.case_id)
                self._failed(job, type(exc).__name__)
                continue
            self.outbox.done(job=job, owner=self.owner, slack_ts=ts)
            delivered += 1
            parents += job.kind == "parent"
        return delivered, parents

    def _deliver_channel_posts(self) -> int:
        if self.channel_posts is None:
            return 0
        delivered = 0
        for job in self.channel_posts.claim_due(owner=self.owner, now=self.clock(),
                                                lease_seconds=60):
            blocks, text = thread_note(job.text)
            try:
                ts = self.slack.post(channel=job.channel, blocks=blocks, text=text)
            except Exception as exc:  # noqa: BLE001 - Slack trouble: retry later
                error = (exc.response.get("error") if isinstance(exc, SlackApiError)
                         else type(exc).__name__) or "error"
                permanent = error in PERMANENT_ERRORS or job.attempts >= MAX_ATTEMPTS
                log.warning("Slack channel message failed (%s)", error)
                self.channel_posts.finish(
                    job=job, owner=self.owner, status="failed" if permanent else "pending",
                    error=error, retry_at=self.clock() + timedelta(
                        seconds=min(120, 2 ** min(job.attempts, 7))))
                continue
            self.channel_posts.finish(job=job, owner=self.owner, status="done", slack_ts=ts)
            delivered += 1
        return delivered

    def _deliver(self, job: SlackJob) -> str | None:
        if job.kind == "note":
            blocks, text = (job.blocks, job.text) if job.blocks else thread_note(job.text)
            marker = {"event_type": NOTE_EVENT, "event_payload": {"outbox_id": job.id}}
            if job.attempts > 1:  # an earlier try may have been posted (answer lost, crash)
                found = self._find_posted(job.channel, marker, thread_ts=job.parent_ts)
                if found:
                    return found
            return self.slack.post(channel=job.channel, blocks=blocks, text=text,
                                   thread_ts=job.parent_ts, metadata=marker)
        case = self.store.get(job.case_id)
        blocks, text = case_parent(case, now=self.clock(), tz=self.tz,
                                   can_escalate=self.can_escalate)
        if job.kind == "parent" and not job.parent_ts:
            marker = {"event_type": CASE_EVENT, "event_payload": {"case_id": case.id}}
            if job.attempts > 1:  # adopt the parent an earlier try posted, if Slack has it
                found = self._find_posted(job.channel, marker, since=case.created_at)
                if found:
                    return found
            return self.slack.post(channel=job.channel, blocks=blocks, text=text,
                                   metadata=marker)
        self.slack.update(channel=job.channel, ts=job.parent_ts, blocks=blocks, text=text)
        return job.parent_ts

    def _find_posted(self, channel: str, marker: dict, *, since: datetime | None = None,
                     thread_ts: str | None = None) -> str | None:
        """The ts of a message of ours carrying ``marker`` (message metadata), or None.

        A crash (or a lost answer) between Slack storing a message and us recording its ts
        leaves the outbox row pending; reading the channel (or thread) first means the retry
        adopts that message instead of posting it twice. Errors propagate: if we cannot
        look, we do not post (the row is retried later).
        """
        want = {k: str(v) for k, v in marker["event_payload"].items()}
        cursor = None
        for _ in range(HISTORY_PAGES):
            if thread_ts:
                page = self.slack.client.conversations_replies(
                    channel=channel, ts=thread_ts, limit=200, cursor=cursor,
                    include_all_metadata=True)
            else:
                oldest = (since - timedelta(minutes=5)).timestamp() if since else 0
                page = self.slack.client.conversations_history(
                    channel=channel, oldest=f"{oldest:.6f}", limit=200, cursor=cursor,
                    include_all_metadata=True)
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == marker["event_type"] \
                        and {k: str(v) for k, v in payload.items()} == want:
                    return message["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _failed(self, job: SlackJob, error: str) -> None:
        if error in PERMANENT_ERRORS or job.attempts >= MAX_ATTEMPTS:
            log.error("Slack refused %s for case %s: %s; set aside", job.kind, job.case_id, error)
            self.outbox.give_up(job=job, owner=self.owner, error=error)
            return
        delay = timedelta(seconds=min(120, 2 ** min(job.attempts, 7)))
        log.warning("Slack %s for case %s failed (%s); retrying in %ss", job.kind, job.case_id,
                    error, int(delay.total_seconds()))
        self.outbox.retry_later(job=job, owner=self.owner, at=self.clock() + delay, error=error)
