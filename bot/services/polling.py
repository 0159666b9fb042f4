"""Bringing posts in from X: one instance at a time, never re-reading a post.

One poller serves every source (the brand's mentions, a recent search, direct messages:
see bot/services/dm_polling.py). It holds the source's lease in the database; the
source's cursor is stored and advanced only after every post it covers is stored (as a
case, or a follow-up in one), so a crash or restart neither loses a post nor shows it
twice (posts are unique by id). A failed read raises the source's alarm.

Example::

    poller = XPoller(x=x, intake=intake, leases=leases, cursors=cursors, ...)
    poller.poll()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.alarms import Alarms
from bot.services.crisis_watch import CrisisWatch
from bot.services.intake import Intake, PagePost
from bot.x.client import NOTHING_YET, MentionsPage, XClient, XError
from storage.coordination import Cursors, Leases
from storage.screening import Usage

log = logging.getLogger(__name__)

MENTIONS_CURSOR = "mentions_since_id"
SEARCH_CURSOR = "search_since_id"
SEARCH_LEASE = "x_search_poller"
LAST_POLL = "mentions_last_poll"
POLLER_LEASE = "x_poller"
FIRST_START_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class PollResult:
    polled: bool
    opened: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Source:
    """What a poller reads: its name (for read counts and alarms), cursor and lease names,
    how to fetch what is newer than the cursor, and what the posts are: ``mention``,
    ``search`` (a hit that mentions the brand counts as a mention) or ``dm``."""

    name: str
    cursor: str
    lease: str
    fetch: Callable[[str | None], MentionsPage]
    origin: str = "search"
    watch_crisis: bool = True


class OneAtATime:
    """``poll()`` runs ``_poll()`` unless a poll of this poller is already running here."""

    def __init__(self) -> None:
        self._running = threading.Lock()

    def poll(self) -> PollResult:
        if not self._running.acquire(blocking=False):
            return PollResult(polled=False)
        try:
            return self._poll()
        finally:
            self._running.release()

    def _poll(self) -> PollResult:
        raise NotImplementedError


class XPoller(OneAtATime):
    """Polls one source of posts: the brand's mentions by default, a search, or DMs."""

    def __init__(self, *, x: XClient, intake: Intake, leases: Leases, cursors: Cursors,
                 brand_id: Callable[[], str], clock: Callable[[], datetime], owner: str,
                 lease_seconds: float, kick: Callable[[], None] = lambda: None,
                 source: Source | None = None, usage: Usage | None = None,
                 brand_handle: Callable[[], str] = lambda: "",
                 crisis: CrisisWatch | None = None, alarms: Alarms | None = None) -> None:
        self.crisis = crisis
        self.alarms = alarms
        self.source = source or Source(
            name="mentions", cursor=MENTIONS_CURSOR, lease=POLLER_LEASE, origin="mention",
            fetch=lambda since: x.fetch_mentions(user_id=brand_id(), since_id=since))
        self.usage = usage
        self.brand_handle = brand_handle
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
        super().__init__()

    def _poll(self) -> PollResult:
        now = self.clock()
        source = self.source
        if not self.leases.acquire(name=source.lease, owner=self.owner, now=now,
                                   ttl_seconds=self.lease_seconds):
            return PollResult(polled=False)
        since_id = self.cursors.get(source.cursor)
        try:
            page = source.fetch(since_id)
        except XError as exc:
            self.last_error = exc.reason
            log.warning("polling %s failed: %s", source.name, exc.reason)
            if self.alarms is not None:
                self.alarms.poll_failed(source=source.name, error=exc)
            return PollResult(polled=True, error=exc.reason)
        self.last_error = None
        if self.usage is not None:
            self.usage.add(source=source.name, reads=len(page.posts), now=now)
        posts = [p for p in page.posts
                 if p.author.id != self.brand_id()  # our own replies are no cases
                 and not (since_id is None and p.created_at < now - FIRST_START_WINDOW)]
        if self.crisis is not None and posts and source.watch_crisis:
            # Before routing, so the first post of a burst already meets crisis mode.
            try:
                self.crisis.observe(posts)
            except Exception:  # noqa: BLE001 - routing the posts matters more
                log.exception("the crisis watch could not read the polled posts")
        opened = held = 0
        outcomes = self.intake.receive_page([
            PagePost(post=post, origin=self._origin(post), raw=page.raw.get(post.id))
            for post in posts]) if posts else []
        for outcome in outcomes:
            if outcome == "quarantined":
                held += 1
            elif outcome != "seen":
                opened += 1
        for bad in page.unreadable:
            origin = "mention" if source.cursor == MENTIONS_CURSOR else "search"
            held += self.intake.set_aside(post_id=bad.post_id, origin=origin,
                                          raw=bad.raw, error=bad.error)
        if held and self.intake.quarantine is not None:
            self.intake.quarantine.announce(held)
        # Every post of the page is stored, filtered or quarantined by now: move past it.
        newest = max([int(p.id) for p in page.posts] + [int(page.newest_id or 0)]
                     + [int(b.post_id) for b in page.unreadable if b.post_id]
                     + [int(since_id or 0)])
        if newest:
            self.cursors.set(source.cursor, str(newest), now=self.clock())
        elif since_id is None:
            self.cursors.set(source.cursor, NOTHING_YET, now=self.clock())
        if source.cursor == MENTIONS_CURSOR:
            self.cursors.set(LAST_POLL, self.clock().isoformat(), now=self.clock())
        if self.alarms is not None:
            self.alarms.poll_succeeded(source=source.name, posts=len(posts))
        if opened:
            self.kick()
        return PollResult(polled=True, opened=opened)

    def _origin(self, post) -> str:
        """A search hit that mentions the brand (or answers it) is a mention: X lets the
        brand reply publicly. Otherwise it can only be answered by DM."""
        if self.source.origin != "search":
            return self.source.origin
        handle = self.brand_handle().lower()
        mentions = handle and f"@{handle}" in post.text.lower()
        return "mention" if mentions or post.in_reply_to_user_id == self.brand_id() \
            else "search"
