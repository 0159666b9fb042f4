"""Rating questions (CSAT) after resolved DM cases: one row per case, sent once.

A question waits (``waiting``) until the DM budget allows it; a worker claims it with a
lease (``sending``), talks to X outside any transaction, then records ``sent`` (with the
DM event id and ``asked_at``) or ``failed``. An attempt that may have reached X is
``unknown`` and is reconciled before any retry; so is a ``sending`` row whose lease ran
out (its worker died). A rating is recorded once, with the DM that gave it.

Example::

    questions = CsatQuestions(db)
    questions.ask(case_id=7, recipient_id="2244", text="How did we do? 1-5", now=now)
    questions.dm_sends_since(now - timedelta(minutes=15))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.model import InboundPost, OutboundStatus
from storage.cases import queue_slack
from storage.db import Database
from storage.leased_queue import LeasedQueue
from storage.models import CaseRow, CsatRequestRow, EventRow, OutboundRow, PostRow
from storage.transitions import add_post

WAITING, SENDING, UNKNOWN, SENT, FAILED = "waiting", "sending", "unknown", "sent", "failed"
NOT_YET_SENT = (WAITING, SENDING, UNKNOWN)


@dataclass(frozen=True)
class CsatJob:
    """A claimed question; ``must_reconcile``: an earlier try may have reached X."""

    id: int
    case_id: int
    recipient_id: str
    text: str
    attempts: int
    must_reconcile: bool


@dataclass(frozen=True)
class OpenQuestion:
    """A question sent to a customer and not answered yet."""

    id: int
    case_id: int
    asked_at: datetime


# A question goes only while its case is closed: one reopened before its question went
# out waits until it is resolved again.
_CASE_CLOSED = exists().where(CaseRow.id == CsatRequestRow.case_id, CaseRow.state == "closed")


def _due(now: datetime):
    return or_(and_(CsatRequestRow.status.in_([WAITING, UNKNOWN]),
                    CsatRequestRow.next_attempt_at <= now),
               and_(CsatRequestRow.status == SENDING, CsatRequestRow.lease_expires_at < now))


class CsatQuestions:
    def __init__(self, db: Database) -> None:
        self.db = db
        # A row being sent is marked by its status: an expired SENDING row is due again.
        self.jobs = LeasedQueue(db, table=CsatRequestRow, due=_due, lease_free_when_due=False)

    def ask(self, *, case_id: int, recipient_id: str, text: str, now: datetime) -> bool:
        """Queue the case's question; False when the case has one already (a case is
        asked once, even when it is reopened and resolved again)."""
        try:
            with self.db.transaction() as s:
                s.add(CsatRequestRow(case_id=case_id, recipient_id=recipient_id, text=text,
                                     status=WAITING, attempts=0, next_attempt_at=now,
                                     created_at=now))
                s.add(EventRow(case_id=case_id, actor="system", action="csat_queued", at=now))
            return True
        except IntegrityError:
            return False

    def dm_sends_since(self, since: datetime) -> int:
        """DMs the desk sent since ``since`` (replies and questions), plus questions being
        sent right now: what is used of X's DM window."""
        with self.db.read() as s:
            replies = s.scalar(select(func.count()).select_from(OutboundRow).where(
                OutboundRow.channel == "dm", OutboundRow.status == OutboundStatus.SENT.value,
                OutboundRow.sent_at >= since)) or 0
            questions = s.scalar(select(func.count()).select_from(CsatRequestRow).where(
                or_(and_(CsatRequestRow.status == SENT, CsatRequestRow.asked_at >= since),
                    CsatRequestRow.status == SENDING))) or 0
        return replies + questions

    def waiting(self, *, now: datetime) -> int:
        """Questions due but not sent yet (held back by the DM budget or being retried)."""
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(CsatRequestRow).where(
                CsatRequestRow.status.in_(NOT_YET_SENT),
                CsatRequestRow.next_attempt_at <= now, _CASE_CLOSED)) or 0

    def claim_one(self, *, owner: str, now: datetime, lease_seconds: float) -> CsatJob | None:
        """Lease one due question: a fresh one first, else one an earlier try may have
        sent (that one is reconciled before it is sent again)."""
        for doubtful in (False, True):
            fresh = CsatRequestRow.status == WAITING
            rows = self.jobs.claim(owner=owner, now=now, lease_seconds=lease_seconds, limit=1,
                                   values={"status": SENDING},
                                   where=[~fresh if doubtful else fresh, _CASE_CLOSED])
            if rows:
                row = rows[0]
                return CsatJob(id=row.id, case_id=row.case_id, recipient_id=row.recipient_id,
                               text=row.text, attempts=row.attempts, must_reconcile=doubtful)
        return None

    def last_event_id_to(self, *, recipient_id: str, before_job: int) -> str | None:
        """The DM event id of the newest earlier question to the same customer: a DM found
        when reconciling must be newer than it (the question's text is always the same)."""
        with self.db.read() as s:
            ids = s.scalars(select(CsatRequestRow.x_event_id).where(
                CsatRequestRow.recipient_id == recipient_id, CsatRequestRow.id != before_job,
                CsatRequestRow.x_event_id.is_not(None))).all()
        return max(ids, key=lambda event_id: (len(event_id), event_id), default=None)

    def renew(self, *, job: CsatJob, owner: str, now: datetime, lease_seconds: float) -> bool:
        return self.jobs.renew(row_id=job.id, owner=owner, now=now,
                               lease_seconds=lease_seconds,
                               where=[CsatRequestRow.status == SENDING])

    def postpone(self, *, job: CsatJob, owner: str, at: datetime, error: str,
                 unresolved: bool) -> bool:
        """Try again at ``at``; ``unresolved``: the try may have reached X."""
        return self.jobs.release(row_id=job.id, owner=owner, values={
            "status": UNKNOWN if unresolved else WAITING, "next_attempt_at": at,
            "last_error": error[:500]})

    def sent(self, *, job: CsatJob, owner: str, event_id: str, now: datetime,
             note: str) -> bool:
        """Record the question as asked (from now the rating window runs)."""
        with self.db.transaction() as s:
            if not self.jobs.release_in(s, row_id=job.id, owner=owner, values={
                    "status": SENT, "x_event_id": event_id[:32], "asked_at": now,
                    "last_error": None}):
                return False
            s.add(EventRow(case_id=job.case_id, actor="system", action="csat_asked",
                           detail=f"dm {event_id}"[:200], at=now))
            queue_slack(s, case_id=job.case_id, kind="note", now=now, text=note)
            return True

    def failed(self, *, job: CsatJob, owner: str, error: str, now: datetime,
               note: str) -> bool:
        with self.db.transaction() as s:
            if not self.jobs.release_in(s, row_id=job.id, owner=owner, values={
                    "status": FAILED, "last_error": error[:500]}):
                return False
            s.add(EventRow(case_id=job.case_id, actor="system", action="csat_failed",
                           detail=error[:200], at=now))
            queue_slack(s, case_id=job.case_id, kind="note", now=now, text=note)
            return True

    def open_question(self, *, customer_id: str, asked_since: datetime) -> OpenQuestion | None:
        """The customer's newest unanswered question asked since ``asked_since``."""
        with self.db.read() as s:
            row = s.execute(select(CsatRequestRow.id, CsatRequestRow.case_id,
                                   CsatRequestRow.asked_at)
                            .where(CsatRequestRow.recipient_id == customer_id,
                                   CsatRequestRow.status == SENT,
                                   CsatRequestRow.rating.is_(None),
                                   CsatRequestRow.asked_at >= asked_since)
                            .order_by(CsatRequestRow.asked_at.desc()).limit(1)).first()
        return OpenQuestion(id=row[0], case_id=row[1], asked_at=row[2]) if row else None

    def record_rating(self, *, question: OpenQuestion, post: InboundPost, rating: int,
                      now: datetime, note: str) -> bool:
        """Store the DM that rates the case, the rating on the case and in its history,
        and the thread note; False when the DM or a rating was recorded already."""
        try:
            with self.db.transaction() as s:
                if s.get(PostRow, post.id) is not None:
                    return False
                if not s.execute(update(CsatRequestRow)
                                 .where(CsatRequestRow.id == question.id,
                                        CsatRequestRow.rating.is_(None))
                                 .values(rating=rating, rated_at=now)).rowcount:
                    return False
                add_post(s, case_id=question.case_id, post=post, from_customer=True)
                s.execute(update(CaseRow).where(CaseRow.id == question.case_id)
                          .values(csat=rating, version=CaseRow.version + 1, updated_at=now))
                state = s.scalar(select(CaseRow.state).where(CaseRow.id == question.case_id))
                s.add(EventRow(case_id=question.case_id, actor="system", action="csat",
                               from_state=state, to_state=state, detail=f"rating {rating}",
                               at=now))
                queue_slack(s, case_id=question.case_id, kind="note", now=now, text=note)
                queue_slack(s, case_id=question.case_id, kind="update", now=now)
                return True
        except IntegrityError:
            return False  # another instance stored the DM at the same moment

    def rating_of(self, case_id: int) -> int | None:
        with self.db.read() as s:
            return s.scalar(select(CaseRow.csat).where(CaseRow.id == case_id))
