"""Leases (who does a singleton job) and cursors (where polling left off).

A lease is taken with one statement that succeeds only when the row is free, ours,
or expired, so of several instances exactly one holds it at a time.

Example::

    leases = Leases(db)
    if leases.acquire(name="x_poller", owner="host:42", now=now, ttl_seconds=180):
        ...
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import CursorRow, LeaseRow


class Leases:
    def __init__(self, db: Database) -> None:
        self.db = db

    def acquire(self, *, name: str, owner: str, now: datetime, ttl_seconds: float) -> bool:
        expires = now + timedelta(seconds=ttl_seconds)
        with self.db.transaction() as s:
            taken = s.execute(update(LeaseRow)
                              .where(LeaseRow.name == name,
                                     or_(LeaseRow.owner == owner, LeaseRow.expires_at < now))
                              .values(owner=owner, expires_at=expires)).rowcount
            if taken == 1:
                return True
            if s.get(LeaseRow, name) is not None:
                return False
        try:
            with self.db.transaction() as s:
                s.add(LeaseRow(name=name, owner=owner, expires_at=expires))
            return True
        except IntegrityError:
            return False

    def release(self, *, name: str, owner: str, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(update(LeaseRow).where(LeaseRow.name == name, LeaseRow.owner == owner)
                      .values(expires_at=now))

    def holder(self, name: str) -> tuple[str, datetime] | None:
        with self.db.transaction() as s:
            row = s.get(LeaseRow, name)
            return (row.owner, row.expires_at) if row else None


class Cursors:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> str | None:
        with self.db.transaction() as s:
            return s.scalar(select(CursorRow.value).where(CursorRow.name == name))

    def get_with_time(self, name: str) -> tuple[str, datetime] | None:
        with self.db.transaction() as s:
            row = s.get(CursorRow, name)
            return (row.value, row.updated_at) if row else None

    def set(self, name: str, value: str, *, now: datetime) -> None:
        """Store ``value`` under ``name`` (an upsert that is safe under concurrency)."""
        self.db.upsert(change=update(CursorRow).where(CursorRow.name == name)
                       .values(value=value, updated_at=now),
                       new_row=lambda: CursorRow(name=name, value=value, updated_at=now))
