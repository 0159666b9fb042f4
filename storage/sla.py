"""SLA nudges: which cases have a level due, and recording a nudge exactly once.

The sweep reads only cases whose ``next_nudge_at`` has passed (an index on it), so
its cost grows with the cases due, not with all open cases. Recording a nudge is one
transaction: a compare-and-set that advances the case to its next level, plus a
unique row per (case, clock, level); of several instances exactly one posts.

Example::

    store = SlaStore(db)
    for due in store.due(now=now, limit=200):
        store.record(due=due, now=now, next_level=None, note="...")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.cases import queue_slack
from storage.db import Database
from storage.models import CaseRow, NudgeRow


@dataclass(frozen=True)
class DueNudge:
    case_id: int
    cycle: int
    level: str
    due_at: datetime
    started_at: datetime | None
    minutes: int | None
    state: str
    assignee_id: str | None
    slack_channel: str
    slack_ts: str | None
    customer_handle: str


class SlaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def due(self, *, now: datetime, limit: int = 200) -> list[DueNudge]:
        with self.db.transaction() as s:
            rows = s.execute(
                select(CaseRow.id, CaseRow.sla_cycle, CaseRow.next_nudge_level,
                       CaseRow.next_nudge_at, CaseRow.sla_started_at, CaseRow.sla_minutes,
                       CaseRow.state, CaseRow.assignee_id, CaseRow.slack_channel,
                       CaseRow.slack_ts, CaseRow.customer_handle)
                .where(CaseRow.next_nudge_at <= now)
                .order_by(CaseRow.next_nudge_at).limit(limit)).all()
        return [DueNudge(*row) for row in rows]

    def record(self, *, due: DueNudge, now: datetime,
               next_level: tuple[str, datetime] | None, note: str | None) -> bool:
        """Advance the case past ``due`` and record the nudge; False if another did it.

        ``note`` (if any) goes into the case thread; the parent is re-rendered.
        """
        try:
            with self.db.transaction() as s:
                advanced = s.execute(
                    update(CaseRow)
                    .where(CaseRow.id == due.case_id, CaseRow.sla_cycle == due.cycle,
                           CaseRow.next_nudge_level == due.level)
                    .values(next_nudge_level=next_level[0] if next_level else None,
                            next_nudge_at=next_level[1] if next_level else None)
                ).rowcount
                if advanced != 1:
                    return False
                s.add(NudgeRow(case_id=due.case_id, sla_cycle=due.cycle, level=due.level,
                               due_at=due.due_at, posted_at=now))
                s.flush()
                queue_slack(s, case_id=due.case_id, kind="update", now=now)
                if note:
                    queue_slack(s, case_id=due.case_id, kind="note", now=now, text=note)
                return True
        except IntegrityError:
            return False

    def drop(self, *, due: DueNudge) -> None:
        """The case no longer waits on us: nothing more to nudge on this clock."""
        with self.db.transaction() as s:
            s.execute(update(CaseRow)
                      .where(CaseRow.id == due.case_id, CaseRow.sla_cycle == due.cycle,
                             CaseRow.next_nudge_level == due.level)
                      .values(next_nudge_at=None, next_nudge_level=None))

    def nudges(self, case_id: int) -> list[tuple[int, str]]:
        with self.db.transaction() as s:
            return [tuple(r) for r in s.execute(
                select(NudgeRow.sla_cycle, NudgeRow.level).where(NudgeRow.case_id == case_id)
                .order_by(NudgeRow.id))]
