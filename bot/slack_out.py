"""Posting to Slack through one WebClient: retries on 429 / 5xx, paced per channel.

slack_sdk's WebClient retries only connection errors by default; here it also waits
out short 429s (honouring Retry-After up to MAX_RETRY_AFTER_SECONDS; a longer wait is
left to the caller) and retries server errors, so one call takes at most
``longest_call_seconds()``. A token bucket per channel keeps chat.postMessage near Slack's
one-message-per-second-per-channel rule, and one for the workspace keeps chat.update within
its Tier 3 budget (about 50 a minute), so the desk does not send what Slack would refuse.
``SlackOut.allowance()`` says what may go at once, so a delivery run takes only that and
one budget's wait never holds another's messages. This is the only module that calls
WebClient.

Example::

    out = SlackOut(WebClient(token=..., base_url=...))
    ts = out.post(channel="C1", blocks=blocks, text="fallback")
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

MAX_RETRY_AFTER_SECONDS = 10
RETRY_BACKOFF_ALLOWANCE_SECONDS = 5  # per retry: the client's own backoff between tries
HISTORY_PAGES = 10  # how far back a look-up for an earlier try of ours reads
EDITS_PER_MINUTE = 50  # chat.update, Tier 3, for the whole workspace
EDIT_BURST = 20  # Slack tolerates short bursts: a run of clicks a second apart shows at once
WORKSPACE = "workspace"  # the one key of the edit budget


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Waits out a 429 only when Slack asks for at most MAX_RETRY_AFTER_SECONDS."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response,
                                  error=error):
            return False
        wait = retry_after_seconds(response.headers)
        return wait is None or wait <= MAX_RETRY_AFTER_SECONDS


def retry_after_seconds(headers) -> float | None:
    """Slack's Retry-After (seconds) from response headers, or None."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
    return None


def build_web_client(*, token: str, base_url: str, timeout: int = 15) -> WebClient:
    client = WebClient(token=token, base_url=base_url, timeout=timeout)
    client.retry_handlers.extend([ShortRateLimitRetryHandler(max_retry_count=2),
                                  ServerErrorRetryHandler(max_retry_count=2)])
    if not any(isinstance(h, ConnectionErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(ConnectionErrorRetryHandler())
    return client


class ChannelPacer:
    """A token bucket per channel: ``burst`` posts at once, then ``per_second``."""

    def __init__(self, *, per_second: float = 1.0, burst: int = 4,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_second = per_second
        self.burst = burst
        self._monotonic = monotonic  # a simulated clock may stand in (bench/routes_day.py)
        self._sleep = sleep
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def delay(self, channel: str) -> float:
        """Seconds until a post to ``channel`` may go without waiting (nothing consumed)."""
        if self.per_second <= 0:
            return 0.0
        with self._lock:
            tokens = self._tokens(channel, self._monotonic())
        return 0.0 if tokens >= 1 else (1 - tokens) / self.per_second

    def room(self, channel: str) -> float:
        """How many posts to ``channel`` may go now without waiting (nothing consumed)."""
        if self.per_second <= 0:
            return float("inf")
        with self._lock:
            return math.floor(self._tokens(channel, self._monotonic()) + 1e-9)

    def nap(self, seconds: float) -> None:
        """Sleep on this pacer's clock (a simulated one in the bench)."""
        self._sleep(seconds)

    def on_same_clock(self, *, per_second: float, burst: int) -> ChannelPacer:
        """Another budget that keeps this pacer's time."""
        return ChannelPacer(per_second=per_second, burst=burst, monotonic=self._monotonic,
                            sleep=self._sleep)

    def _tokens(self, channel: str, now: float) -> float:
        tokens, last = self._buckets.get(channel, (float(self.burst), now))
        return min(self.burst, tokens + (now - last) * self.per_second)

    def wait(self, channel: str) -> None:
        if self.per_second <= 0:
            return
        with self._lock:
            now = self._monotonic()
            tokens = self._tokens(channel, now)
            delay = 0.0 if tokens >= 1 else (1 - tokens) / self.per_second
            self._buckets[channel] = (0.0, now + delay) if delay else (tokens - 1, now)
        if delay:
            self._sleep(delay)


def edit_pacer_beside(pacer: ChannelPacer) -> ChannelPacer:
    """The workspace's chat.update budget on ``pacer``'s clock; none when posts are unpaced."""
    if pacer.per_second <= 0:
        return ChannelPacer(per_second=0)
    return pacer.on_same_clock(per_second=EDITS_PER_MINUTE / 60, burst=EDIT_BURST)


class Allowance:
    """What one claim may take without waiting: posts per channel, edits for the
    workspace. ``may_go`` counts what it lets through and notes what it held back."""

    def __init__(self, *, posts: ChannelPacer, edits: ChannelPacer) -> None:
        self.posts, self.edits = posts, edits
        self.taken: dict[str, int] = {}
        self.held: set[str] = set()  # channels held back; WORKSPACE for edits

    def may_go(self, *, channel: str, edit: bool) -> bool:
        key = WORKSPACE if edit else channel
        room = self.edits.room(WORKSPACE) if edit else self.posts.room(channel)
        if key not in self.held and self.taken.get(key, 0) < room:
            self.taken[key] = self.taken.get(key, 0) + 1
            return True
        self.held.add(key)
        return False

    def wait_seconds(self) -> float | None:
        """Seconds until something held back may go; None when nothing was held back."""
        if not self.held:
            return None
        return min(self.edits.delay(WORKSPACE) if key == WORKSPACE else self.posts.delay(key)
                   for key in self.held)


class SlackOut:
    def __init__(self, client: WebClient, *, pacer: ChannelPacer | None = None,
                 edit_pacer: ChannelPacer | None = None) -> None:
        """``pacer`` paces posts per channel, ``edit_pacer`` the workspace's edits (by
        default Tier 3 on the same clock, and unpaced when posts are)."""
        self.client = client
        self.pacer = pacer or ChannelPacer()
        self.edit_pacer = edit_pacer or edit_pacer_beside(self.pacer)

    def allowance(self) -> Allowance:
        return Allowance(posts=self.pacer, edits=self.edit_pacer)

    def longest_call_seconds(self) -> float:
        """An upper bound on one call, its retries and their waits included: a lease
        renewed right before a call and longer than this outlives the call."""
        handlers = self.client.retry_handlers
        retries = sum(h.max_retry_count for h in handlers)
        waits = sum(h.max_retry_count * (MAX_RETRY_AFTER_SECONDS + 1) for h in handlers
                    if isinstance(h, RateLimitErrorRetryHandler))
        return ((1 + retries) * (self.client.timeout or 30) + waits
                + retries * RETRY_BACKOFF_ALLOWANCE_SECONDS)

    def post(self, *, channel: str, blocks: list[dict], text: str,
             thread_ts: str | None = None, metadata: dict | None = None) -> str:
        self.pacer.wait(channel)
        response = self.client.chat_postMessage(
            channel=channel, blocks=blocks, text=text, thread_ts=thread_ts,
            unfurl_links=False, unfurl_media=False, metadata=metadata)
        return response["ts"]

    def update(self, *, channel: str, ts: str, blocks: list[dict], text: str) -> None:
        self.edit_pacer.wait(WORKSPACE)
        self.client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)

    def ephemeral(self, *, channel: str, user: str, text: str,
                  thread_ts: str | None = None) -> None:
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text,
                                           thread_ts=thread_ts)
        except SlackApiError:
            # The user may not be in the channel; a lost ephemeral changes no state.
            pass

    def open_view(self, *, trigger_id: str, view: dict) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view)

    def update_view(self, *, view_id: str, view: dict, view_hash: str | None = None) -> None:
        self.client.views_update(view_id=view_id, view=view, hash=view_hash)

    def publish_home(self, *, user_id: str, view: dict) -> None:
        self.client.views_publish(user_id=user_id, view=view)

    def real_name(self, user_id: str) -> str:
        """The user's real name as Slack knows it ("" when it cannot be read)."""
        try:
            user = self.client.users_info(user=user_id).get("user") or {}
        except SlackApiError:
            return ""
        profile = user.get("profile") or {}
        return str(user.get("real_name") or profile.get("real_name") or user.get("name") or "")

    def join_channel(self, channel: str) -> str | None:
        """Join ``channel`` (a public one needs no invitation): None once in, else Slack's
        reason (a private channel must invite the bot; Slack refuses to join one even
        then, so membership is asked for)."""
        try:
            self.client.conversations_join(channel=channel)
        except SlackApiError as exc:
            return None if self.is_member(channel) else \
                str(exc.response.get("error") or "refused")
        return None

    def usergroup_members(self, group_id: str) -> list[str]:
        return list(self.client.usergroups_users_list(usergroup=group_id).get("users") or [])

    def find_posted(self, *, channel: str, marker: dict, since: datetime | None = None,
                    thread_ts: str | None = None) -> str | None:
        """The ts of a message of ours carrying ``marker`` (message metadata), or None.

        Reads the thread ``thread_ts``, or the channel from a little before ``since``.
        Errors propagate: whoever cannot look must not post.
        """
        want = {k: str(v) for k, v in marker["event_payload"].items()}
        cursor = None
        for _ in range(HISTORY_PAGES):
            if thread_ts:
                page = self.client.conversations_replies(
                    channel=channel, ts=thread_ts, limit=200, cursor=cursor,
                    include_all_metadata=True)
            else:
                oldest = (since - timedelta(minutes=5)).timestamp() if since else 0
                page = self.client.conversations_history(
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

    def is_member(self, channel: str) -> bool:
        """Whether the app is in ``channel`` (False when Slack will not say)."""
        try:
            info = self.client.conversations_info(channel=channel).get("channel") or {}
        except SlackApiError:
            return False
        return bool(info.get("is_member") or info.get("is_im"))

    def open_dm(self, user: str) -> str:
        """The id of the app's DM with ``user``."""
        return self.client.conversations_open(users=user)["channel"]["id"]

    def upload(self, *, channel: str, comment: str,
               files: list[tuple[str, str, bytes | str]]) -> None:
        """Share ``(filename, title, content)`` files in ``channel`` as one message, through
        Slack's upload flow (files.getUploadURLExternal, the upload, completeUploadExternal)."""
        self.pacer.wait(channel)
        self.client.files_upload_v2(
            channel=channel, initial_comment=comment,
            file_uploads=[{"filename": name, "title": title, "content": content}
                          for name, title, content in files])
