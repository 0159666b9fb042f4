"""Moving a case to another route of the triage chart, in one transaction.

The case takes the route's channel; its parent is posted anew there (its thread starts
with the history) and the old parent is marked as moved once the new one exists.

Example::

    moved = RouteMoves(db).move(case_id=7, version=3, route="baggage", channel="C0BAGS", ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from bot.domain.case import WAITING_ON_US, CaseState
from bot.domain.transition import ResponseClock, StartClock
from storage.cases import queue_slack
from storage.db import Database
from storage.models import CaseRow, EventRow
from storage.transitions import case_values

MOVED = "moved"
"""Slack outbox kind: mark the old parent (``blocks`` holds its channel and ts)."""


@dataclass(frozen=True)
class Moved:
    """Where the case was before the move."""

    old_channel: str
    old_ts: str | None
    old_route: str | None


class RouteMoves:
    def __init__(self, db: Database) -> None:
        self.db = db

    def move(self, *, case_id: int, version: int, route: str | None, channel: str,
             keep_assignee: bool, clock_from: Callable[[datetime], ResponseClock], actor: str,
             now: datetime, history: str, marker: str) -> Moved | None:
        """Move the case as read at ``version``; None when it changed meanwhile.

        ``clock_from(started_at)`` gives the response clock under the new route (kept
        only while the case waits on us); ``marker`` is the old parent's new text.
        """
        with self.db.transaction() as s:
            row = s.get(CaseRow, case_id)
            if row is None or row.version != version:
                return None
            moved = Moved(old_channel=row.slack_channel, old_ts=row.slack_ts,
                          old_route=row.route)
            state = CaseState(row.state)
            values: dict = {"slack_channel": channel, "slack_ts": None, "route": route,
                            "version": row.version + 1, "updated_at": now}
            if not keep_assignee and row.assignee_id:
                values["assignee_id"] = None
                if state is CaseState.CLAIMED:
                    values["state"] = CaseState.NEW.value
            if state in WAITING_ON_US:
                start = row.sla_started_at or row.created_at
                values.update(case_values((StartClock(clock_from(start)),), now=now))
            s.execute(update(CaseRow).where(CaseRow.id == case_id, CaseRow.version == version)
                      .values(**values))
            s.add(EventRow(case_id=case_id, actor=actor, action="route",
                           from_state=state.value, to_state=values.get("state", state.value),
                           detail=f"{moved.old_route or '-'} -> {route or '-'}", at=now))
            queue_slack(s, case_id=case_id, kind="parent", now=now)
            queue_slack(s, case_id=case_id, kind="note", now=now, text=history)
            if moved.old_ts:
                queue_slack(s, case_id=case_id, kind=MOVED, now=now, text=marker,
                            blocks=[{"channel": moved.old_channel, "ts": moved.old_ts}])
            return moved
