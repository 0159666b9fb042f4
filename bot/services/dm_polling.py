"""Bringing direct messages in from X, within X's DM read limit (15 per 15 minutes).

X's DM events have no since_id: pages are read newest first until the newest id seen
last time, which is stored. A DM lands in the thread of that customer's open case,
or opens a new case; the brand's own DMs are skipped. One instance polls at a time.

Example::

    dm_poller = DmPoller(x=x, intake=intake, leases=leases, cursors=cursors, ...)
    dm_poller.poll()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.services.alarms import Alarms
from bot.services.intake import Intake
from bot.services.polling import FIRST_START_WINDOW, OneAtATime, PollResult
from bot.x.client import XClient, XError
from storage.coordination import Cursors, Leases
from storage.screening import Usage

log = logging.getLogger(__name__)

DM_CURSOR = "dm_newest_id"
DM_LEASE = "x_dm_poller"


class DmPoller(OneAtATime):
    def __init__(self, *, x: XClient, intake: Intake, leases: Leases, cursors: Cursors,
                 brand_id: Callable[[], str], clock: Callable[[], datetime], owner: str,
                 lease_seconds: float, kick: Callable[[], None] = lambda: None,
                 usage: Usage | None = None, alarms: Alarms | None = None) -> None:
        self.alarms = alarms
        self.usage = usage
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
        if not self.leases.acquire(name=DM_LEASE, owner=self.owner, now=self.clock(),
                                   ttl_seconds=self.lease_seconds):
            return PollResult(polled=False)
        after = self.cursors.get(DM_CURSOR)
        try:
            events = self.x.fetch_dm_events(brand_id=self.brand_id(), after_id=after)
        except XError as exc:
            self.last_error = exc.reason
            log.warning("polling DMs failed: %s", exc.reason)
            if self.alarms is not None:
                self.alarms.poll_failed(source="dms", error=exc)
            return PollResult(polled=True, error=exc.reason)
        self.last_error = None
        if self.usage is not None:
            self.usage.add(source="dms", reads=len(events), now=self.clock())
        if self.alarms is not None:
            self.alarms.poll_succeeded(source="dms", posts=len(events))
        received = 0
        for event in events:
            if event.author.id == self.brand_id():
                continue
            if after is None and event.created_at < self.clock() - FIRST_START_WINDOW:
                continue  # first start: bring in only the last day's DMs
            if self.intake.receive(event, origin="dm") != "seen":
                received += 1
        if events:
            newest = max(int(e.id) for e in events)
            if not after or newest > int(after):
                self.cursors.set(DM_CURSOR, str(newest), now=self.clock())
        elif after is None:
            self.cursors.set(DM_CURSOR, "0", now=self.clock())  # none yet: read all from now
        if received:
            self.kick()
        return PollResult(polled=True, opened=received)
