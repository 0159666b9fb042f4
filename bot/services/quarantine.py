"""Posts intake could not take in: set aside, announced once, listed, retried.

A post that cannot be read, triaged or stored must not stop the posts after it: intake
keeps it here (what X sent, the error, the time), skips it, and the poll goes on.

Example::

    quarantine = Quarantine(store=QuarantinedPosts(db), channel_posts=channel_posts,
                            channel="C0CARE", clock=clock, tz=tz)
    quarantine.hold(post_id="186...", origin="mention", raw=raw, error="ValueError: ...")
    quarantine.announce(1)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo

from bot.render import quarantine_blocks
from bot.x.posts import UnreadablePost, post_from_raw
from storage.channel_posts import ChannelPosts
from storage.quarantine import QuarantinedPosts

log = logging.getLogger(__name__)


class Quarantine:
    def __init__(self, *, store: QuarantinedPosts, channel_posts: ChannelPosts, channel: str,
                 clock: Callable[[], datetime], tz: tzinfo,
                 kick: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.channel_posts = channel_posts
        self.channel = channel
        self.clock = clock
        self.tz = tz
        self.kick = kick

    def hold(self, *, post_id: str | None, origin: str, raw: object, error: str) -> bool:
        """Set one post aside; False when that post is in quarantine already."""
        log.warning("post %s could not be taken in and is quarantined: %s",
                    post_id or "(no id)", error[:200])
        return self.store.add(post_id=post_id, origin=origin, raw=raw, error=error,
                              now=self.clock())

    def announce(self, count: int) -> None:
        """Tell the care channel, once per poll that set posts aside."""
        if count:
            self.channel_posts.queue(channel=self.channel, now=self.clock(),
                                     text=quarantine_blocks.announcement(count))
            self.kick()

    def listing(self) -> tuple[list[dict], str]:
        items, total = self.store.recent(limit=quarantine_blocks.LIMIT)
        return quarantine_blocks.quarantine_list(items, total=total, tz=self.tz)

    def retry(self, *, item_id: int, receive: Callable[..., str]) -> str:
        """Take a quarantined post in again through ``receive(post, origin=...)``; what to
        tell the user who clicked."""
        item = self.store.get(item_id)
        if item is None:
            return quarantine_blocks.GONE
        try:
            if item.raw is None:
                raise UnreadablePost("what X sent was too large to keep whole")
            post = post_from_raw(item.raw)
            receive(post, origin=item.origin)
        except Exception as exc:  # noqa: BLE001 - it stays in quarantine, with the reason
            error = describe(exc)
            self.store.failed_again(item_id=item_id, error=error, now=self.clock())
            return quarantine_blocks.failed_again(error)
        self.store.release(item_id)
        self.kick()
        return quarantine_blocks.RETRIED


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"
