"""Slack event ids already handled: Slack retries an event it thinks was missed.

Example::

    if SlackEvents(db).first_time(event_id="Ev01", now=now):
        handle(event)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import SlackEventRow

KEEP = timedelta(days=2)  # Slack retries within minutes; older ids are forgotten


class SlackEvents:
    def __init__(self, db: Database) -> None:
        self.db = db

    def first_time(self, *, event_id: str, now: datetime) -> bool:
        """Record ``event_id``; False if it was recorded before (by any instance)."""
        try:
            with self.db.transaction() as s:
                if s.get(SlackEventRow, event_id) is not None:
                    return False
                s.add(SlackEventRow(event_id=event_id[:64], received_at=now))
            return True
        except IntegrityError:
            return False

    def forget_old(self, *, now: datetime) -> int:
        with self.db.transaction() as s:
            return s.execute(delete(SlackEventRow)
                             .where(SlackEventRow.received_at < now - KEEP)).rowcount
