"""Moving a case to another route of the triage chart, in one transaction.

The case takes the route's channel; its parent is posted anew there (its thread starts
with the history: the events, the post, the drafts and the notes of the old thread) and
the old parent is marked as moved once the new one exists.

Example::

    moved = RouteMoves(db).move(case_id=7, version=3, route="baggage", channel="C0BAGS", ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain.case import WAITING_ON_US, CaseState
from bot.domain.routes import CaseStory
from bot.domain.transition import ResponseClock, StartClock
from storage.case_reads import draft_of
from storage.cases import queue_slack
from storage.db import Database
from storage.models import CaseRow, DraftRow, EventRow, SlackOutboxRow
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
             now: datetime, history: str, marker: str,
             carry: Callable[[CaseStory], list[tuple[list[dict], str]]] = lambda _s: [],
             ) -> Moved | None:
        """Move the case as read at ``version``; None when it changed meanwhile.

        ``clock_from(started_at)`` gives the response clock under the new route (kept
        only while the case waits on us); ``history`` is the new thread's first note and
        ``carry(story)`` its next ones (blocks, fallback text), read in the same
        transaction so no note of the old thread is missed; ``marker`` is the old
        parent's new text.
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
            for blocks, text in carry(_story(s, case_id)):
                queue_slack(s, case_id=case_id, kind="note", now=now, text=text, blocks=blocks)
            if moved.old_ts:
                queue_slack(s, case_id=case_id, kind=MOVED, now=now, text=marker,
                            blocks=[{"channel": moved.old_channel, "ts": moved.old_ts}])
            return moved


def _story(s: Session, case_id: int) -> CaseStory:
    """The case's drafts and the plain thread notes delivered so far, each in order (a
    note with blocks is a long post's rest, which the carried post holds in full)."""
    drafts = s.scalars(select(DraftRow).where(DraftRow.case_id == case_id)
                       .order_by(DraftRow.id)).all()
    notes = s.execute(select(SlackOutboxRow.text, SlackOutboxRow.blocks).where(
        SlackOutboxRow.case_id == case_id, SlackOutboxRow.kind == "note",
        SlackOutboxRow.status == "done").order_by(SlackOutboxRow.id)).all()
    return CaseStory(drafts=tuple(draft_of(row) for row in drafts),
                     notes=tuple(text for text, blocks in notes if text and not blocks))
