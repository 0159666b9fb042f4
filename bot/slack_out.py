"""Posting to Slack through one WebClient: retries on 429 / 5xx, paced per channel.

slack_sdk's WebClient retries only connection errors by default; here it also waits
out 429s (honouring Retry-After) and retries server errors. A token bucket per channel
keeps chat.postMessage near Slack's one-message-per-second-per-channel rule.

Example::

    out = SlackOut(WebClient(token=..., base_url=...))
    ts = out.post(channel="C1", blocks=blocks, text="fallback")
"""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


def build_web_client(*, token: str, base_url: str, timeout: int = 15) -> WebClient:
    client = WebClient(token=token, base_url=base_url, timeout=timeout)
    client.retry_handlers.extend([RateLimitErrorRetryHandler(max_retry_count=2),
                                  ServerErrorRetryHandler(max_retry_count=2)])
    if not any(isinstance(h, ConnectionErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(ConnectionErrorRetryHandler())
    return client


class ChannelPacer:
    """A token bucket per channel: ``burst`` posts at once, then ``per_second``."""

    def __init__(self, *, per_second: float = 1.0, burst: int = 4) -> None:
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        if self.per_second <= 0:
            return
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(channel, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.per_second)
            delay = 0.0 if tokens >= 1 else (1 - tokens) / self.per_second
            self._buckets[channel] = (0.0, now + delay) if delay else (tokens - 1, now)
        if delay:
            time.sleep(delay)


class SlackOut:
    def __init__(self, client: WebClient, *, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()

    def post(self, *, channel: str, blocks: list[dict], text: str,
             thread_ts: str | None = None, metadata: dict | None = None) -> str:
        self.pacer.wait(channel)
        response = self.client.chat_postMessage(
            channel=channel, blocks=blocks, text=text, thread_ts=thread_ts,
            unfurl_links=False, unfurl_media=False, metadata=metadata)
        return response["ts"]

    def update(self, *, channel: str, ts: str, blocks: list[dict], text: str) -> None:
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

    def usergroup_members(self, group_id: str) -> list[str]:
        return list(self.client.usergroups_users_list(usergroup=group_id).get("users") or [])
