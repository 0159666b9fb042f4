"""Bringing new mentions in from X: one instance at a time, never re-reading a post.

The poller holds a lease in the database; the mentions ``since_id`` is stored and
advanced only after every post it covers is stored (as a case, or a follow-up in one),
so a crash or restart neither loses a mention nor shows it twice (posts are unique by id).

Example::

    poller = MentionPoller(x=x, intake=intake, leases=leases, cursors=cursors, ...)
    poller.poll()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.intake import Intake
from bot.x.client import XClient, XError
from storage.coordination import Cursors, Leases

log = logging.getLogger(__name__)

MENTIONS_CURSOR = "mentions_since_id"
LAST_POLL = "mentions_last_poll"
POLLER_LEASE = "x_poller"
FIRST_START_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class PollResult:
    polled: bool
    opened: int = 0
    error: str | None = None


class MentionPoller:
    def __init__(self, *, x: XClient, intake: Intake, leases: Leases, cursors: Cursors,
                 brand_id: Callable[[], str], clock: Callable[[], datetime], owner: str,
                 lease_seconds: float, kick: Callable[[], None] = lambda: None) -> None:
        self.x = x
        self.intake = intake
        self.leases = leases
        self.cursors = cursors
        self.brand_id = brand_id
        self.clock = clock
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.kick = kick
        self.last_error: str | None = None
        self._one_at_a_time = threading.Lock()

    def poll(self) -> PollResult:
        """Poll once, unless a poll is already running in this process."""
        if not self._one_at_a_time.acquire(blocking=False):
            return PollResult(polled=False)
        try:
            return self._poll()
        finally:
            self._one_at_a_time.release()

    def _poll(self) -> PollResult:
        now = self.clock()
        if not self.leases.acquire(name=POLLER_LEASE, owner=self.owner, now=now,
                                   ttl_seconds=self.lease_seconds):
            return PollResult(polled=False)
        since_id = self.cursors.get(MENTIONS_CURSOR)
        try:
            page = self.x.fetch_mentions(user_id=self.brand_id(), since_id=since_id)
        except XError as exc:
            self.last_error = exc.reason
            log.warning("polling mentions failed: %s", exc.reason)
            return PollResult(polled=True, error=exc.reason)
        self.last_error = None
        opened = 0
        for post in page.posts:
            if post.author.id == self.brand_id():
                continue  # our own replies mention the customer, not a case
            if since_id is None and post.created_at < now - FIRST_START_WINDOW:
                continue
            if self.intake.receive(post, origin="mention") != "seen":
                opened += 1
        newest = max([int(p.id) for p in page.posts] + [int(page.newest_id or 0)]
                     + [int(since_id or 0)])
        if newest:
            self.cursors.set(MENTIONS_CURSOR, str(newest), now=self.clock())
        self.cursors.set(LAST_POLL, self.clock().isoformat(), now=self.clock())
        if opened:
            self.kick()
        return PollResult(polled=True, opened=opened)
