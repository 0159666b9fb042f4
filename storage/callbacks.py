"""Cases moved to the phone: asked for a number, callback requested, called.

Each step is one compare-and-set, so of several instances one records it; each appends a
case event and queues its note in the thread and a re-render of the parent.

Example::

    callbacks = PhoneCallbacks(db)
    callbacks.ask(case_id=7, actor="UAGENT1", now=now)
    for case_id in callbacks.waiting():
        texts = callbacks.customer_dms(case_id)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.cases import queue_slack
from storage.db import Database
from storage.models import EventRow, PhoneCallbackRow, PostRow

ASKED, REQUESTED, CALLED = "asked", "requested", "called"


@dataclass(frozen=True)
class Callback:
    case_id: int
    state: str
    number: str | None
    outcome: str | None
    asked_by: str
    called_by: str | None


class PhoneCallbacks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def ask(self, *, case_id: int, actor: str, now: datetime) -> None:
        """The customer is being asked for a number (again, after an earlier call)."""
        try:
            with self.db.transaction() as s:
                changed = s.execute(update(PhoneCallbackRow)
                                    .where(PhoneCallbackRow.case_id == case_id)
                                    .values(state=ASKED, asked_by=actor[:32], asked_at=now,
                                            number=None, outcome=None)).rowcount
                if not changed:
                    s.add(PhoneCallbackRow(case_id=case_id, state=ASKED, asked_by=actor[:32],
                                           asked_at=now))
                s.add(EventRow(case_id=case_id, actor=actor[:32], action="phone_asked",
                               at=now))
        except IntegrityError:
            pass  # another click asked at the same moment: one row is enough

    def get(self, case_id: int) -> Callback | None:
        with self.db.transaction() as s:
            row = s.scalar(select(PhoneCallbackRow).where(PhoneCallbackRow.case_id == case_id))
            return _callback(row) if row else None

    def waiting(self, *, limit: int = 200) -> list[int]:
        """Cases whose customer was asked for a number and has not given one yet."""
        with self.db.transaction() as s:
            return list(s.scalars(select(PhoneCallbackRow.case_id)
                                  .where(PhoneCallbackRow.state == ASKED)
                                  .order_by(PhoneCallbackRow.id).limit(limit)))

    def customer_dms(self, case_id: int) -> list[str]:
        """The texts of the customer's DMs on the case, oldest first."""
        with self.db.transaction() as s:
            return list(s.scalars(select(PostRow.text).where(
                PostRow.case_id == case_id, PostRow.direction == "inbound",
                PostRow.kind == "dm", PostRow.from_customer.is_(True))
                .order_by(PostRow.created_at)))

    def request(self, *, case_id: int, number: str, now: datetime, note_text: str,
                note_blocks: list[dict]) -> bool:
        """Record the number the customer gave; False if another worker already did."""
        with self.db.transaction() as s:
            changed = s.execute(update(PhoneCallbackRow).where(
                PhoneCallbackRow.case_id == case_id, PhoneCallbackRow.state == ASKED)
                .values(state=REQUESTED, number=number[:32], requested_at=now)).rowcount
            if not changed:
                return False
            s.add(EventRow(case_id=case_id, actor="system", action="callback_requested",
                           at=now))
            queue_slack(s, case_id=case_id, kind="note", now=now, text=note_text,
                        blocks=note_blocks)
            queue_slack(s, case_id=case_id, kind="update", now=now)
            return True

    def called(self, *, case_id: int, actor: str, outcome: str, now: datetime,
               note_text: str) -> bool:
        """Record a call's outcome; False when no callback was requested on the case."""
        with self.db.transaction() as s:
            changed = s.execute(update(PhoneCallbackRow).where(
                PhoneCallbackRow.case_id == case_id,
                PhoneCallbackRow.state.in_((REQUESTED, CALLED)))
                .values(state=CALLED, outcome=outcome[:16], called_by=actor[:32],
                        called_at=now)).rowcount
            if not changed:
                return False
            s.add(EventRow(case_id=case_id, actor=actor[:32], action="called",
                           detail=outcome[:16], at=now))
            queue_slack(s, case_id=case_id, kind="note", now=now, text=note_text)
            queue_slack(s, case_id=case_id, kind="update", now=now)
            return True


def _callback(row: PhoneCallbackRow) -> Callback:
    return Callback(case_id=row.case_id, state=row.state, number=row.number,
                    outcome=row.outcome, asked_by=row.asked_by, called_by=row.called_by)
