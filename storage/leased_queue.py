"""One way to work a job table with leases: claim due rows, renew a lease, release a row.

A job table has ``id``, ``attempts``, ``lease_owner`` and ``lease_expires_at`` columns;
what "due" means is the table's own (a status, a time, an expired lease). A claim is ONE
statement, ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) AND <due> RETURNING ...``, so two
workers (threads or processes) never hold the same row, on SQLite (whose write
transactions queue) as on PostgreSQL (where the rows are picked once, in a CTE that
skips rows another claim has locked, and the repeated ``<due>`` re-checks a row that
changed meanwhile).

Every later write of a job is fenced on its owner: once a lease ran out and another
worker claimed the row, the first worker can neither renew nor record anything.

Example::

    queue = LeasedQueue(db, table=ChannelPostRow,
                        due=lambda now: ChannelPostRow.status == "pending")
    for row in queue.claim(owner="host:1", now=now, lease_seconds=60, limit=20):
        if queue.renew(row_id=row.id, owner="host:1", now=now, lease_seconds=60):
            ...
            queue.release(row_id=row.id, owner="host:1", values={"status": "done"})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, or_, select, update

from storage.db import Database


class LeasedQueue:
    def __init__(self, db: Database, *, table: Any,
                 due: Callable[[datetime], ColumnElement[bool]],
                 lease_free_when_due: bool = True) -> None:
        """``due(now)`` says which rows may be claimed; unless ``lease_free_when_due`` is
        False (the table marks a held row by its own status), a row whose lease is still
        running is never due."""
        self.db = db
        self.table = table
        self._due = due
        self.lease_free_when_due = lease_free_when_due

    def due(self, now: datetime) -> ColumnElement[bool]:
        condition = self._due(now)
        if self.lease_free_when_due:
            condition = and_(condition, or_(self.table.lease_expires_at.is_(None),
                                            self.table.lease_expires_at < now))
        return condition

    def claim(self, *, owner: str, now: datetime, lease_seconds: float, limit: int,
              where: Iterable[ColumnElement[bool]] = (),
              values: dict[str, Any] | None = None) -> list[Row]:
        """Lease up to ``limit`` due rows (oldest first) to ``owner``; ``attempts`` counts
        the claim. Returns the claimed rows as they are after the claim, by id."""
        if limit <= 0:
            return []
        table = self.table
        due = self.due(now)
        pick = select(table.id).where(due, *where).order_by(table.id).limit(limit)
        if self.db.dialect == "postgresql":
            # Picked once (a materialised CTE): a locking subquery under IN could be run
            # again for each row and pick rows the statement had just leased.
            picked = (pick.with_for_update(skip_locked=True).cte("picked")
                      .prefix_with("MATERIALIZED"))
            pick = select(picked.c.id)
        claim = (update(table.__table__)
                 .where(table.id.in_(pick), due)
                 .values(lease_owner=owner,
                         lease_expires_at=now + timedelta(seconds=lease_seconds),
                         attempts=table.attempts + 1, **(values or {}))
                 .returning(*table.__table__.c))
        with self.db.transaction() as s:
            rows = s.execute(claim).all()
        return sorted(rows, key=lambda row: row.id)

    def renew(self, *, row_id: int, owner: str, now: datetime, lease_seconds: float,
              where: Sequence[ColumnElement[bool]] = ()) -> bool:
        """Extend our unexpired lease; False if it ran out (another worker may hold the row).

        Called right before each attempt at the outside world: a worker that stalled past
        its lease (a long batch, a slow answer) must not act on what another worker has
        taken over meanwhile.
        """
        table = self.table
        with self.db.transaction() as s:
            return s.execute(update(table.__table__)
                             .where(table.id == row_id, table.lease_owner == owner,
                                    table.lease_expires_at > now, *where)
                             .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
                             ).rowcount == 1

    def release(self, *, row_id: int, owner: str, values: dict[str, Any],
                where: Sequence[ColumnElement[bool]] = ()) -> bool:
        """Give the row up with ``values`` (its outcome); False if we no longer held it."""
        with self.db.transaction() as s:
            return self.release_in(s, row_id=row_id, owner=owner, values=values, where=where)

    def release_in(self, s, *, row_id: int, owner: str, values: dict[str, Any],
                   where: Sequence[ColumnElement[bool]] = ()) -> bool:
        """``release`` inside the caller's transaction ``s`` (to record more with it)."""
        table = self.table
        return s.execute(update(table.__table__)
                         .where(table.id == row_id, table.lease_owner == owner, *where)
                         .values(lease_owner=None, lease_expires_at=None, **values)
                         ).rowcount == 1
