"""Read-only queries behind /care: the queue, one agent's cases, what is at risk.

Every query is bounded (LIMIT) and uses the state / deadline / first-response
indexes, so answers stay fast on a large queue.

Example::

    reports = Reports(db)
    snapshot = reports.queue(now=now, day_start=midnight)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import String, and_, case, delete, exists, func, or_, select, type_coerce
from sqlalchemy.exc import IntegrityError

from bot.domain.case import WAITING_ON_US
from storage.crisis_periods import CrisisPeriods
from storage.db import Database
from storage.models import CaseRow, FilteredPostRow, NudgeRow, ReportRunRow

WAITING = [s.value for s in WAITING_ON_US]
# Overdue first, then high before normal before low, then by deadline.
PRIORITY_RANK = case((CaseRow.priority == "high", 0), (CaseRow.priority == "low", 2), else_=1)
CLOSED = ["closed", "ignored"]
ALL_ROUTES = "*"
"""A report's ``route`` for every case, whatever its route."""


@dataclass(frozen=True)
class CaseLine:
    id: int
    state: str
    customer_handle: str
    assignee_id: str | None
    slack_channel: str
    slack_ts: str | None
    sla_due_at: datetime | None
    created_at: datetime
    escalated: bool = False
    priority: str = "normal"


@dataclass(frozen=True)
class FirstResponse:
    started_at: datetime
    answered_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class QueueSnapshot:
    by_state: dict[str, int]
    overdue: int
    oldest_waiting: CaseLine | None
    first_responses_today: list[FirstResponse]
    per_agent: list[tuple[str, int, int]]  # (agent, open claimed, overdue)
    high_priority: int = 0


def _line(row, escalated: bool = False) -> CaseLine:
    return CaseLine(id=row.id, state=row.state, customer_handle=row.customer_handle,
                    assignee_id=row.assignee_id, slack_channel=row.slack_channel,
                    slack_ts=row.slack_ts, sla_due_at=row.sla_due_at, created_at=row.created_at,
                    escalated=escalated, priority=row.priority or "normal")


class Reports:
    def __init__(self, db: Database) -> None:
        self.db = db

    def queue(self, *, now: datetime, day_start: datetime, agents_limit: int = 20,
              route: str | None = ALL_ROUTES) -> QueueSnapshot:
        """The queue of one route of the triage chart (None: the care channel's own
        cases), or of all cases."""
        scope = _scope(route)
        overdue_cond = and_(CaseRow.state.in_(WAITING), CaseRow.sla_due_at <= now)
        with self.db.read() as s:
            by_state = dict(s.execute(select(CaseRow.state, func.count()).where(*scope)
                                      .group_by(CaseRow.state)).all())
            overdue = s.scalar(select(func.count()).select_from(CaseRow)
                               .where(overdue_cond, *scope))
            high = s.scalar(select(func.count()).select_from(CaseRow).where(
                CaseRow.state.in_(WAITING), CaseRow.priority == "high", *scope))
            oldest = s.execute(select(CaseRow).where(CaseRow.state.in_(WAITING), *scope)
                               .order_by(CaseRow.sla_started_at, CaseRow.id).limit(1)).scalar()
            firsts = s.execute(select(CaseRow.created_at, CaseRow.first_response_at,
                                      CaseRow.first_due_at)
                               .where(CaseRow.first_response_at >= day_start,
                                      CaseRow.first_response_at <= now, *scope)
                               .limit(20_000)).all()
            agents = s.execute(
                select(CaseRow.assignee_id, func.count(),
                       func.sum(case((overdue_cond, 1), else_=0)))
                .where(CaseRow.assignee_id.is_not(None), CaseRow.state.not_in(CLOSED), *scope)
                .group_by(CaseRow.assignee_id).order_by(func.count().desc())
                .limit(agents_limit)).all()
        return QueueSnapshot(
            by_state=by_state, overdue=overdue or 0, high_priority=high or 0,
            oldest_waiting=_line(oldest) if oldest else None,
            first_responses_today=[FirstResponse(a, b, c) for a, b, c in firsts],
            per_agent=[(agent, int(n), int(late or 0)) for agent, n, late in agents])

    def mine(self, *, user_id: str, limit: int,
             route: str | None = ALL_ROUTES) -> tuple[list[CaseLine], int]:
        cond = and_(CaseRow.assignee_id == user_id, CaseRow.state.not_in(CLOSED), *_scope(route))
        with self.db.read() as s:
            total = s.scalar(select(func.count()).select_from(CaseRow).where(cond)) or 0
            rows = s.execute(select(CaseRow).where(cond)
                             .order_by(CaseRow.sla_due_at.is_(None), CaseRow.sla_due_at)
                             .limit(limit)).scalars().all()
        return [_line(r) for r in rows], total

    def at_risk(self, *, now: datetime, limit: int,
                route: str | None = ALL_ROUTES) -> tuple[list[CaseLine], int]:
        """Waiting cases past their deadline or past a nudge level, most urgent first."""
        nudged = exists().where(NudgeRow.case_id == CaseRow.id,
                                NudgeRow.sla_cycle == CaseRow.sla_cycle)
        escalated = exists().where(NudgeRow.case_id == CaseRow.id,
                                   NudgeRow.sla_cycle == CaseRow.sla_cycle,
                                   NudgeRow.level == "escalation")
        cond = and_(CaseRow.state.in_(WAITING), or_(CaseRow.sla_due_at <= now, nudged),
                    *_scope(route))
        with self.db.read() as s:
            total = s.scalar(select(func.count()).select_from(CaseRow).where(cond)) or 0
            rows = s.execute(select(CaseRow, escalated.label("escalated")).where(cond)
                             .order_by(CaseRow.sla_due_at > now, PRIORITY_RANK,
                                       CaseRow.sla_due_at).limit(limit)).all()
        return [_line(r[0], bool(r[1])) for r in rows], total

    def per_route(self, *, now: datetime) -> dict[str | None, RouteCounts]:
        """Open, unclaimed, overdue and high-priority cases of each route (None: the care
        channel's own cases)."""
        waiting = CaseRow.state.in_(WAITING)
        with self.db.read() as s:
            rows = s.execute(select(
                CaseRow.route, func.count(),
                func.sum(case((CaseRow.state == "new", 1), else_=0)),
                func.sum(case((and_(waiting, CaseRow.sla_due_at <= now), 1), else_=0)),
                func.sum(case((and_(waiting, CaseRow.priority == "high"), 1), else_=0)))
                .where(CaseRow.state.not_in(CLOSED)).group_by(CaseRow.route)).all()
        return {route: RouteCounts(open=int(n), unclaimed=int(new or 0),
                                   overdue=int(late or 0), high_priority=int(high or 0))
                for route, n, new, late, high in rows}


@dataclass(frozen=True)
class RouteCounts:
    open: int = 0
    unclaimed: int = 0
    overdue: int = 0
    high_priority: int = 0


def _scope(route: str | None) -> tuple:
    """The conditions that keep a report to one route's cases (none for all routes)."""
    if route == ALL_ROUTES:
        return ()
    return (CaseRow.route.is_(None),) if route is None else (CaseRow.route == route,)

class CaseRecord(NamedTuple):
    """The columns a period report reads for one case (no post text). A named tuple: a
    report reads a hundred thousand of them, and tuples are the cheapest to make."""

    id: int
    created_at: datetime
    customer_handle: str
    state: str
    kind: str | None
    priority: str
    assignee_id: str | None
    first_response_by: str | None
    first_response_at: datetime | None
    first_due_at: datetime | None
    close_reason: str | None
    sentiment: float | None
    topic_key: str | None
    origin: str
    route: str | None = None
    csat: int | None = None


REPORT_BATCH = 5_000
_INSTANT_COLUMNS = (CaseRow.created_at, CaseRow.first_response_at, CaseRow.first_due_at)


def _stored_instant(value: str | datetime | None) -> datetime | None:
    """An instant as the driver gives it (SQLite: the naive UTC text ``UTCDateTime``
    writes; PostgreSQL: an aware datetime) as an aware UTC datetime, what ``UTCDateTime``
    reads, without its per-value layers."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_instant(value: str | None) -> datetime | None:
    """:func:`_stored_instant` for SQLite's text, the common case, in one step."""
    return None if value is None else datetime.fromisoformat(value + "+00:00")


class PeriodRecords:
    """Cases opened and posts screened out in ``[start, end)``, streamed in batches."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def cases(self, *, start: datetime, end: datetime) -> Iterator[CaseRecord]:
        # Core rows (no ORM loading) with the instants read as the driver stores them:
        # a report's hundred thousand rows spend most of their reading time in those layers.
        columns = (CaseRow.id, *(type_coerce(c, String) for c in _INSTANT_COLUMNS),
                   CaseRow.customer_handle, CaseRow.state, CaseRow.kind, CaseRow.priority,
                   CaseRow.assignee_id, CaseRow.first_response_by, CaseRow.close_reason,
                   CaseRow.sentiment, CaseRow.topic_key, CaseRow.origin, CaseRow.route,
                   CaseRow.csat)
        instant = _sqlite_instant if self.db.dialect == "sqlite" else _stored_instant
        last_id = 0
        while True:
            with self.db.read() as s:
                rows = s.connection().execute(
                    select(*columns)
                    .where(CaseRow.created_at >= start, CaseRow.created_at < end,
                           CaseRow.id > last_id)
                    .order_by(CaseRow.id).limit(REPORT_BATCH)).all()
            for (case_id, opened, answered, due, handle, state, kind, priority, assignee,
                 answered_by, reason, sentiment, topic, origin, route, csat) in rows:
                yield CaseRecord(case_id, instant(opened), handle, state, kind, priority,
                                 assignee, answered_by, instant(answered), instant(due), reason,
                                 sentiment, topic, origin, route, csat)
            if len(rows) < REPORT_BATCH:
                return
            last_id = rows[-1][0]

    def crisis_spans(self, *, start: datetime, end: datetime,
                     now: datetime) -> list[tuple[datetime, datetime]]:
        """(began, ended) of each crisis that overlaps ``[start, end)``."""
        return CrisisPeriods(self.db).between(start=start, end=end, now=now)

    def screened(self, *, start: datetime, end: datetime) -> list[tuple[datetime, str | None]]:
        """(arrival, kind) of each post kept out of the queue."""
        with self.db.read() as s:
            return [(at, kind) for at, kind in s.execute(
                select(FilteredPostRow.created_at, FilteredPostRow.kind)
                .where(FilteredPostRow.created_at >= start, FilteredPostRow.created_at < end,
                       FilteredPostRow.case_id.is_(None))).all()]


class ReportRuns:
    """Which scheduled reports were posted: the first instance to insert a period's row
    posts it, every other finds the row and does nothing."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, *, period_key: str, channel: str, owner: str, now: datetime) -> bool:
        try:
            with self.db.transaction() as s:
                s.add(ReportRunRow(period_key=period_key, channel=channel, claimed_by=owner,
                                   claimed_at=now))
            return True
        except IntegrityError:
            return False

    def release(self, *, period_key: str, channel: str) -> None:
        """Give a claim back (the post failed), so the next check tries again."""
        with self.db.transaction() as s:
            s.execute(delete(ReportRunRow).where(ReportRunRow.period_key == period_key,
                                                 ReportRunRow.channel == channel))
