"""When each crisis began and ended: written by the crisis watch as crisis mode starts and
stops, read by the period reports (the crisis days are shaded on the volume chart).

Example::

    periods = CrisisPeriods(db)
    periods.begin(at=now, how="detected")       # nothing if one is already open
    periods.end(at=later)                       # closes the open one
    periods.between(start=monday, end=next_monday, now=now)   # [(began, ended)]
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update

from storage.db import Database
from storage.models import CrisisPeriodRow

CRISIS_PERIODS_LIMIT = 500  # a report's period holds a few at most


class CrisisPeriods:
    def __init__(self, db: Database) -> None:
        self.db = db

    def begin(self, *, at: datetime, how: str) -> bool:
        """Record a crisis that began ``at``, unless one is still open; True if recorded."""
        with self.db.transaction() as s:
            if s.scalar(select(CrisisPeriodRow.id).where(CrisisPeriodRow.ended_at.is_(None))
                        .limit(1)) is not None:
                return False
            s.add(CrisisPeriodRow(started_at=at, ended_at=None, how=how[:16]))
            return True

    def end(self, *, at: datetime) -> int:
        """Close the open crisis (if any) at ``at``; how many were closed."""
        with self.db.transaction() as s:
            return s.execute(update(CrisisPeriodRow).where(CrisisPeriodRow.ended_at.is_(None))
                             .values(ended_at=at)).rowcount or 0

    def between(self, *, start: datetime, end: datetime,
                now: datetime) -> list[tuple[datetime, datetime]]:
        """The crises that overlap ``[start, end)``, oldest first; one still going ends
        ``now``."""
        with self.db.read() as s:
            rows = s.execute(
                select(CrisisPeriodRow.started_at, CrisisPeriodRow.ended_at)
                .where(CrisisPeriodRow.started_at < end,
                       or_(CrisisPeriodRow.ended_at.is_(None), CrisisPeriodRow.ended_at >= start))
                .order_by(CrisisPeriodRow.started_at).limit(CRISIS_PERIODS_LIMIT)).all()
        return [(began, ended if ended is not None else max(began, now))
                for began, ended in rows]
