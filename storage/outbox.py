"""The two outboxes: replies to X and work for Slack. Rows are claimed with a lease.

A claim is one conditional UPDATE, so two workers (threads or processes) never hold
the same row; a lease that expires (its holder died) makes the row claimable again.

Example::

    outbox = XOutbox(db)
    for job in outbox.claim_due(owner="host-1:42", now=now, lease_seconds=60):
        ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.model import OutboundStatus
from storage.db import Database
from storage.models import CaseRow, OutboundRow, SlackOutboxRow


@dataclass(frozen=True)
class OutboundJob:
    id: int
    case_id: int
    draft_id: int
    text: str
    in_reply_to_post_id: str | None
    attempts: int
    created_at: datetime
    must_reconcile: bool
    channel: str = "public"
    recipient_id: str | None = None
    """The request may have reached X before: look for our reply before sending again."""


@dataclass(frozen=True)
class SlackJob:
    id: int
    case_id: int
    kind: str
    text: str
    blocks: list | None
    attempts: int
    channel: str
    parent_ts: str | None


def queue_outbound(s: Session, *, case_id: int, draft_id: int, text: str, now: datetime,
                   channel: str = "public", in_reply_to_post_id: str | None = None,
                   recipient_id: str | None = None) -> None:
    """One message to send: a public reply to a post, or a DM to a user (never both)."""
    if (channel == "public") != (in_reply_to_post_id is not None) or \
            (channel == "dm") != (recipient_id is not None):
        raise ValueError("a public reply needs the post it answers; a DM needs its recipient")
    s.add(OutboundRow(case_id=case_id, draft_id=draft_id, text=text, channel=channel,
                      in_reply_to_post_id=in_reply_to_post_id, recipient_id=recipient_id,
                      status=OutboundStatus.PENDING.value, attempts=0, next_attempt_at=now,
                      created_at=now))


def requeue_failed(s: Session, *, case_id: int, now: datetime) -> None:
    """Retry a failed reply; it is reconciled first, in case an earlier try did reach X.

    Only the rows of the case's newest approved draft: a draft that failed and was then
    edited and approved again is replaced, not sent as well.
    """
    newest = s.scalar(select(func.max(OutboundRow.draft_id))
                      .where(OutboundRow.case_id == case_id))
    s.execute(update(OutboundRow)
              .where(OutboundRow.case_id == case_id, OutboundRow.draft_id == newest,
                     OutboundRow.status == OutboundStatus.FAILED.value)
              .values(status=OutboundStatus.UNKNOWN.value, next_attempt_at=now,
                      lease_owner=None, lease_expires_at=None))


def finish_outbound(s: Session, *, job_id: int, owner: str, status: OutboundStatus,
                    now: datetime, x_post_id: str | None = None,
                    error: str | None = None) -> bool:
    """Record the end of an attempt; False if our lease was lost meanwhile."""
    changed = s.execute(update(OutboundRow)
                        .where(OutboundRow.id == job_id, OutboundRow.lease_owner == owner,
                               OutboundRow.status == OutboundStatus.SENDING.value)
                        .values(status=status.value, x_post_id=x_post_id, last_error=error,
                                sent_at=now if status is OutboundStatus.SENT else None,
                                lease_owner=None, lease_expires_at=None)).rowcount
    return changed == 1


class XOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 20) -> list[OutboundJob]:
        due = or_(and_(OutboundRow.status.in_([OutboundStatus.PENDING.value,
                                               OutboundStatus.UNKNOWN.value]),
                       OutboundRow.next_attempt_at <= now),
                  and_(OutboundRow.status == OutboundStatus.SENDING.value,
                       OutboundRow.lease_expires_at < now))
        jobs: list[OutboundJob] = []
        with self.db.transaction() as s:
            candidates = s.execute(select(OutboundRow.id, OutboundRow.status)
                                   .where(due).order_by(OutboundRow.id).limit(limit)).all()
        for row_id, prior in candidates:
            with self.db.transaction() as s:
                changed = s.execute(
                    update(OutboundRow).where(OutboundRow.id == row_id, due)
                    .values(status=OutboundStatus.SENDING.value, lease_owner=owner,
                            lease_expires_at=now + timedelta(seconds=lease_seconds),
                            attempts=OutboundRow.attempts + 1)).rowcount
                if changed != 1:
                    continue
                row = s.get(OutboundRow, row_id)
                jobs.append(OutboundJob(
                    id=row.id, case_id=row.case_id, draft_id=row.draft_id, text=row.text,
                    in_reply_to_post_id=row.in_reply_to_post_id, attempts=row.attempts,
                    created_at=row.created_at, channel=row.channel,
                    recipient_id=row.recipient_id,
                    must_reconcile=prior in (OutboundStatus.UNKNOWN.value,
                                             OutboundStatus.SENDING.value)))
        return jobs

    def renew(self, *, job_id: int, owner: str, now: datetime, lease_seconds: float) -> bool:
        """Extend our unexpired lease; False if it ran out (another worker may hold the row).

        Called right before talking to X: a worker that stalled past its lease (a long
        batch, a pause) must not send what another worker has taken over meanwhile.
        """
        with self.db.transaction() as s:
            return s.execute(update(OutboundRow)
                             .where(OutboundRow.id == job_id, OutboundRow.lease_owner == owner,
                                    OutboundRow.status == OutboundStatus.SENDING.value,
                                    OutboundRow.lease_expires_at > now)
                             .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
                             ).rowcount == 1

    def postpone(self, *, job_id: int, owner: str, status: OutboundStatus,
                 next_attempt_at: datetime, error: str) -> bool:
        with self.db.transaction() as s:
            return s.execute(update(OutboundRow)
                             .where(OutboundRow.id == job_id, OutboundRow.lease_owner == owner)
                             .values(status=status.value, next_attempt_at=next_attempt_at,
                                     last_error=error, lease_owner=None,
                                     lease_expires_at=None)).rowcount == 1

    def backlog(self) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(OutboundRow).where(
                OutboundRow.status.in_([OutboundStatus.PENDING.value,
                                        OutboundStatus.UNKNOWN.value,
                                        OutboundStatus.SENDING.value]))) or 0

    def statuses(self) -> list[tuple[int, str, str | None]]:
        with self.db.transaction() as s:
            return [tuple(r) for r in s.execute(
                select(OutboundRow.case_id, OutboundRow.status, OutboundRow.x_post_id)
                .order_by(OutboundRow.id))]


class SlackOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 50) -> list[SlackJob]:
        """Due rows in order; a case's rows wait until its parent message exists."""
        due = and_(SlackOutboxRow.status == "pending",
                   or_(SlackOutboxRow.lease_expires_at.is_(None),
                       SlackOutboxRow.lease_expires_at < now),
                   SlackOutboxRow.next_attempt_at <= now)
        with self.db.transaction() as s:
            rows = s.execute(
                select(SlackOutboxRow.id, SlackOutboxRow.case_id, SlackOutboxRow.kind,
                       CaseRow.slack_ts)
                .join(CaseRow, CaseRow.id == SlackOutboxRow.case_id)
                .where(due, or_(SlackOutboxRow.kind == "parent", CaseRow.slack_ts.is_not(None)))
                .order_by(SlackOutboxRow.id).limit(limit)).all()
        # An update re-renders the case as it is when delivered, so of several queued
        # updates of one case only the newest needs to go out.
        newest_update = {case_id: row_id for row_id, case_id, kind, _ts in rows
                         if kind == "update"}
        moot = [row_id for row_id, case_id, kind, _ts in rows
                if kind == "update" and newest_update[case_id] != row_id]
        if moot:
            with self.db.transaction() as s:
                s.execute(update(SlackOutboxRow).where(SlackOutboxRow.id.in_(moot), due)
                          .values(status="done"))
        jobs: list[SlackJob] = []
        blocked: set[int] = set()
        for row_id, case_id, _kind, _ts in rows:
            if case_id in blocked or row_id in moot:
                continue
            with self.db.transaction() as s:
                changed = s.execute(
                    update(SlackOutboxRow).where(SlackOutboxRow.id == row_id, due)
                    .values(lease_owner=owner,
                            lease_expires_at=now + timedelta(seconds=lease_seconds),
                            attempts=SlackOutboxRow.attempts + 1)).rowcount
                if changed != 1:
                    blocked.add(case_id)  # another worker has this case's next row
                    continue
                row = s.get(SlackOutboxRow, row_id)
                case = s.get(CaseRow, case_id)
                jobs.append(SlackJob(id=row.id, case_id=case_id, kind=row.kind, text=row.text,
                                     blocks=row.blocks, attempts=row.attempts,
                                     channel=case.slack_channel, parent_ts=case.slack_ts))
        return jobs

    def done(self, *, job: SlackJob, owner: str, slack_ts: str | None) -> None:
        with self.db.transaction() as s:
            s.execute(update(SlackOutboxRow)
                      .where(SlackOutboxRow.id == job.id, SlackOutboxRow.lease_owner == owner)
                      .values(status="done", slack_ts=slack_ts, lease_owner=None,
                              lease_expires_at=None))
            if job.kind == "parent" and slack_ts:
                s.execute(update(CaseRow).where(CaseRow.id == job.case_id,
                                                CaseRow.slack_ts.is_(None))
                          .values(slack_ts=slack_ts))

    def retry_later(self, *, job: SlackJob, owner: str, at: datetime, error: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(SlackOutboxRow)
                      .where(SlackOutboxRow.id == job.id, SlackOutboxRow.lease_owner == owner)
                      .values(next_attempt_at=at, last_error=error[:500], lease_owner=None,
                              lease_expires_at=None))

    def give_up(self, *, job: SlackJob, owner: str, error: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(SlackOutboxRow)
                      .where(SlackOutboxRow.id == job.id, SlackOutboxRow.lease_owner == owner)
                      .values(status="failed", last_error=error[:500], lease_owner=None,
                              lease_expires_at=None))

    def pending(self) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(SlackOutboxRow)
                            .where(SlackOutboxRow.status == "pending")) or 0
