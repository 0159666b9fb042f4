"""What ``/healthz`` reports, read in one read-only transaction (no write lock).

Example::

    snapshot = HealthReads(db).snapshot(poll_cursor="x_last_poll")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.domain.model import OutboundStatus
from storage.db import Database
from storage.models import CursorRow, OutboundRow, SlackOutboxRow

X_BACKLOG = (OutboundStatus.PENDING.value, OutboundStatus.UNKNOWN.value,
             OutboundStatus.SENDING.value)


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
