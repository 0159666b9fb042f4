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

from sqlalchemy import String, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.cases import queue_slack_many
from storage.db import Database
from storage.models import CaseRow, NudgeRow, UTCDateTime


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
            rows = s.connection().execute(_DUE, {"now": now, "limit": limit}).all()
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

        Each case advances by its own compare-and-set, all sent as one batch of the same
        UPDATE; the nudge rows and Slack work are inserted together. Should any case have
        moved meanwhile (another instance recorded it) or a unique nudge row clash, the
        batch is rolled back and redone one by one, each telling whether it advanced.
        """
        if not items:
            return []
        try:
            with self.db.transaction() as s:
                return _record_batch(s, items, now)
        except (IntegrityError, _Moved):
            if len(items) == 1:
                return [False]
            return [self.record_many([item], now=now)[0] for item in items]

    def drop(self, *, due: DueNudge) -> None:
        """The case no longer waits on us: nothing more to nudge on this clock."""
        self.drop_many([due])

    def drop_many(self, dues: list[DueNudge]) -> None:
        """:meth:`drop` for many cases, in one transaction."""
        if not dues:
            return
        with self.db.transaction() as s:
            s.connection().execute(_DROP, [_match(due) for due in dues])

    def nudges(self, case_id: int) -> list[tuple[int, str]]:
        with self.db.transaction() as s:
            return [tuple(r) for r in s.execute(
                select(NudgeRow.sla_cycle, NudgeRow.level).where(NudgeRow.case_id == case_id)
                .order_by(NudgeRow.id))]


_CASES = CaseRow.__table__
_DUE = (select(_CASES.c.id, _CASES.c.sla_cycle, _CASES.c.next_nudge_level,
               _CASES.c.next_nudge_at, _CASES.c.sla_started_at, _CASES.c.sla_minutes,
               _CASES.c.state, _CASES.c.assignee_id, _CASES.c.slack_channel,
               _CASES.c.slack_ts, _CASES.c.customer_handle, _CASES.c.route)
        .where(_CASES.c.next_nudge_at <= bindparam("now", type_=UTCDateTime()))
        .order_by(_CASES.c.next_nudge_at).limit(bindparam("limit")))
_SAME_LEVEL = (_CASES.c.id == bindparam("match_id"), _CASES.c.sla_cycle == bindparam("match_cycle"),
               _CASES.c.next_nudge_level == bindparam("match_level"))
_ADVANCE = update(_CASES).where(*_SAME_LEVEL).values(
    next_nudge_level=bindparam("new_level", type_=String()),
    next_nudge_at=bindparam("new_at", type_=UTCDateTime()))
_DROP = update(_CASES).where(*_SAME_LEVEL).values(next_nudge_at=None, next_nudge_level=None)


class _Moved(Exception):
    """A case of the batch no longer has the level to record: redo one by one."""


def _match(due: DueNudge) -> dict:
    return {"match_id": due.case_id, "match_cycle": due.cycle, "match_level": due.level}


def _record_batch(s, items, now: datetime) -> list[bool]:
    conn = s.connection()
    advanced = conn.execute(_ADVANCE, [
        {**_match(due), "new_level": next_level[0] if next_level else None,
         "new_at": next_level[1] if next_level else None}
        for due, next_level, _ in items]).rowcount
    if advanced != len(items):
        if len(items) == 1:
            return [False]
        raise _Moved()
    conn.execute(insert(NudgeRow.__table__), [
        {"case_id": due.case_id, "sla_cycle": due.cycle, "level": due.level,
         "due_at": due.due_at, "posted_at": now} for due, _, _ in items])
    work = []
    for due, _, note in items:
        work.append({"case_id": due.case_id, "kind": "update", "text": ""})
        if note:
            work.append({"case_id": due.case_id, "kind": "note", "text": note})
    queue_slack_many(s, work, now=now)
    return [True] * len(items)
