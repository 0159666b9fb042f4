"""What ``/healthz`` reports, read in one read-only transaction (no write lock), and the
cached copy that the endpoint serves.

``/healthz`` is asked often (every load balancer, every few seconds) and must stay as
cheap as a static page, so no request reads the database itself while a fresh copy is
at hand: ``HealthBoard`` keeps the last snapshot, a background job refreshes it, and a
change (a kick) marks it stale so that the next request re-reads it. Only one thread
reads at a time; the others answer with the copy they have.

Example::

    board = HealthBoard(HealthReads(db), poll_cursor="x_last_poll")
    board.refresh()            # the background job, every few seconds
    board.mark_stale()         # something changed: the next request re-reads
    reading = board.current()  # per request; reading.snapshot is None if unreachable
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.domain.model import OutboundStatus
from storage.db import Database
from storage.models import CursorRow, OutboundRow, SlackOutboxRow

X_BACKLOG = (OutboundStatus.PENDING.value, OutboundStatus.UNKNOWN.value,
             OutboundStatus.SENDING.value)
REFRESH_SECONDS = 2.0
"""How often the background job re-reads the snapshot."""
MAX_AGE_SECONDS = 3 * REFRESH_SECONDS
"""Past this age (the job is late or stopped) a request re-reads it itself."""


@dataclass(frozen=True)
class HealthSnapshot:
    last_poll: tuple[str, datetime] | None
    x_backlog: int
    slack_pending: int


class HealthReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    def snapshot(self, *, poll_cursor: str) -> HealthSnapshot | None:
        """The snapshot, or None when the database cannot be reached."""
        try:
            with self.db.read() as s:
                cursor = s.get(CursorRow, poll_cursor)
                backlog = s.scalar(select(func.count()).select_from(OutboundRow)
                                   .where(OutboundRow.status.in_(X_BACKLOG)))
                pending = s.scalar(select(func.count()).select_from(SlackOutboxRow)
                                   .where(SlackOutboxRow.status == "pending"))
        except Exception:  # noqa: BLE001 - any failure means unreachable
            return None
        return HealthSnapshot(last_poll=(cursor.value, cursor.updated_at) if cursor else None,
                              x_backlog=backlog or 0, slack_pending=pending or 0)


@dataclass(frozen=True)
class HealthReading:
    """A snapshot (None: the database was unreachable) and when it was read."""

    snapshot: HealthSnapshot | None
    read_at: float


class HealthBoard:
    """The last health snapshot, re-read by ``refresh()`` (a background job), by the first
    request after ``mark_stale()``, or by a request that finds it older than ``max_age``."""

    def __init__(self, reads: HealthReads, *, poll_cursor: str,
                 refresh_seconds: float = REFRESH_SECONDS,
                 max_age_seconds: float = MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reads = reads
        self.poll_cursor = poll_cursor
        self.refresh_seconds = refresh_seconds
        """How often the owner's job should call ``refresh()``."""
        self.max_age_seconds = max_age_seconds
        self.clock = clock
        self._reading: HealthReading | None = None
        self._stale = threading.Event()
        self._reader = threading.Lock()

    def mark_stale(self) -> None:
        self._stale.set()

    def refresh(self) -> HealthReading:
        """Read the snapshot now (waiting for a read already running, then reading again)."""
        with self._reader:
            return self._read()

    def current(self) -> HealthReading:
        """The copy to answer with: re-read when stale or old, unless another thread is
        reading already (then its predecessor, which is at most that old)."""
        reading = self._reading
        if reading is None:
            return self.refresh()
        if not self._stale.is_set() and self.clock() - reading.read_at <= self.max_age_seconds:
            return reading
        if not self._reader.acquire(blocking=False):
            return reading
        try:
            return self._read()
        finally:
            self._reader.release()

    def _read(self) -> HealthReading:
        self._stale.clear()  # a change after this point marks the new copy stale again
        reading = HealthReading(snapshot=self.reads.snapshot(poll_cursor=self.poll_cursor),
                                read_at=self.clock())
        self._reading = reading
        return reading
