"""Read-only queries behind /care: the queue, one agent's cases, what is at risk.

Every query is bounded (LIMIT) and uses the state / deadline / first-response
indexes, so answers stay fast on a large queue.

Example::

    reports = Reports(db)
    snapshot = reports.queue(now=now, day_start=midnight)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, or_, select

from bot.domain.case import WAITING_ON_US
from storage.db import Database
from storage.models import CaseRow, NudgeRow

WAITING = [s.value for s in WAITING_ON_US]
# Overdue first, then high before normal before low, then by deadline.
PRIORITY_RANK = case((CaseRow.priority == "high", 0), (CaseRow.priority == "low", 2), else_=1)
CLOSED = ["closed", "ignored"]


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

    def queue(self, *, now: datetime, day_start: datetime, agents_limit: int = 20) -> QueueSnapshot:
        overdue_cond = and_(CaseRow.state.in_(WAITING), CaseRow.sla_due_at <= now)
        with self.db.read() as s:
            by_state = dict(s.execute(select(CaseRow.state, func.count())
                                      .group_by(CaseRow.state)).all())
            overdue = s.scalar(select(func.count()).select_from(CaseRow).where(overdue_cond))
            high = s.scalar(select(func.count()).select_from(CaseRow).where(
                CaseRow.state.in_(WAITING), CaseRow.priority == "high"))
            oldest = s.execute(select(CaseRow).where(CaseRow.state.in_(WAITING))
                               .order_by(CaseRow.sla_started_at, CaseRow.id).limit(1)).scalar()
            firsts = s.execute(select(CaseRow.created_at, CaseRow.first_response_at,
                                      CaseRow.first_due_at)
                               .where(CaseRow.first_response_at >= day_start,
                                      CaseRow.first_response_at <= now)
                               .limit(20_000)).all()
            agents = s.execute(
                select(CaseRow.assignee_id, func.count(),
                       func.sum(case((overdue_cond, 1), else_=0)))
                .where(CaseRow.assignee_id.is_not(None), CaseRow.state.not_in(CLOSED))
                .group_by(CaseRow.assignee_id).order_by(func.count().desc())
                .limit(agents_limit)).all()
        return QueueSnapshot(
            by_state=by_state, overdue=overdue or 0, high_priority=high or 0,
            oldest_waiting=_line(oldest) if oldest else None,
            first_responses_today=[FirstResponse(a, b, c) for a, b, c in firsts],
            per_agent=[(agent, int(n), int(late or 0)) for agent, n, late in agents])

    def mine(self, *, user_id: str, limit: int) -> tuple[list[CaseLine], int]:
        cond = and_(CaseRow.assignee_id == user_id, CaseRow.state.not_in(CLOSED))
        with self.db.read() as s:
            total = s.scalar(select(func.count()).select_from(CaseRow).where(cond)) or 0
            rows = s.execute(select(CaseRow).where(cond)
                             .order_by(CaseRow.sla_due_at.is_(None), CaseRow.sla_due_at)
                             .limit(limit)).scalars().all()
        return [_line(r) for r in rows], total

    def at_risk(self, *, now: datetime, limit: int) -> tuple[list[CaseLine], int]:
        """Waiting cases past their deadline or past a nudge level, most urgent first."""
        nudged = exists().where(NudgeRow.case_id == CaseRow.id,
                                NudgeRow.sla_cycle == CaseRow.sla_cycle)
        escalated = exists().where(NudgeRow.case_id == CaseRow.id,
                                   NudgeRow.sla_cycle == CaseRow.sla_cycle,
                                   NudgeRow.level == "escalation")
        cond = and_(CaseRow.state.in_(WAITING), or_(CaseRow.sla_due_at <= now, nudged))
        with self.db.read() as s:
            total = s.scalar(select(func.count()).select_from(CaseRow).where(cond)) or 0
            rows = s.execute(select(CaseRow, escalated.label("escalated")).where(cond)
                             .order_by(CaseRow.sla_due_at > now, PRIORITY_RANK,
                                       CaseRow.sla_due_at).limit(limit)).all()
        return [_line(r[0], bool(r[1])) for r in rows], total
