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

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.cases import queue_slack_many
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
    route: str | None = None


class SlaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def due(self, *, now: datetime, limit: int = 200) -> list[DueNudge]:
        with self.db.transaction() as s:
            rows = s.execute(
                select(CaseRow.id, CaseRow.sla_cycle, CaseRow.next_nudge_level,
                       CaseRow.next_nudge_at, CaseRow.sla_started_at, CaseRow.sla_minutes,
                       CaseRow.state, CaseRow.assignee_id, CaseRow.slack_channel,
                       CaseRow.slack_ts, CaseRow.customer_handle, CaseRow.route)
                .where(CaseRow.next_nudge_at <= now)
                .order_by(CaseRow.next_nudge_at).limit(limit)).all()
        return [DueNudge(*row) for row in rows]

    def record(self, *, due: DueNudge, now: datetime,
               next_level: tuple[str, datetime] | None, note: str | None) -> bool:
        """Advance the case past ``due`` and record the nudge; False if another did it.

        ``note`` (if any) goes into the case thread; the parent is re-rendered.
        """
        return self.record_many([(due, next_level, note)], now=now)[0]

    def record_many(self, items: list[tuple[DueNudge, tuple[str, datetime] | None, str | None]],
                    *, now: datetime) -> list[bool]:
        """:meth:`record` for many cases in one transaction.

        Each case advances by its own compare-and-set; the nudge rows and Slack work of
        those that advanced are inserted together. Should a unique nudge row clash (it
        cannot while every level advances its case), the batch is redone one by one.
        """
        try:
            with self.db.transaction() as s:
                return _record_batch(s, items, now)
        except IntegrityError:
            if len(items) == 1:
                return [False]
            return [self.record_many([item], now=now)[0] for item in items]

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


def _record_batch(s, items, now: datetime) -> list[bool]:
    advanced: list[bool] = []
    for due, next_level, _note in items:
        advanced.append(s.execute(
            update(CaseRow)
            .where(CaseRow.id == due.case_id, CaseRow.sla_cycle == due.cycle,
                   CaseRow.next_nudge_level == due.level)
            .values(next_nudge_level=next_level[0] if next_level else None,
                    next_nudge_at=next_level[1] if next_level else None)
            .execution_options(synchronize_session=False)).rowcount == 1)
    won = [item for item, ok in zip(items, advanced, strict=True) if ok]
    if won:
        s.execute(insert(NudgeRow), [
            {"case_id": due.case_id, "sla_cycle": due.cycle, "level": due.level,
             "due_at": due.due_at, "posted_at": now} for due, _, _ in won])
        work = []
        for due, _, note in won:
            work.append({"case_id": due.case_id, "kind": "update", "text": ""})
            if note:
                work.append({"case_id": due.case_id, "kind": "note", "text": note})
        queue_slack_many(s, work, now=now)
    return advanced
