"""The two outboxes: replies to X and work for Slack. Rows are claimed with a lease.

Both are worked through storage.leased_queue: a claim is one conditional UPDATE, so two
workers (threads or processes) never hold the same row; a lease that expires (its holder
died) makes the row claimable again, and every later write is fenced on the lease owner.

Example::

    outbox = XOutbox(db)
    for job in outbox.claim_due(owner="host-1:42", now=now, lease_seconds=60):
        ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.domain.model import OutboundStatus
from storage.db import Database
from storage.leased_queue import LeasedQueue
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
    created_at: datetime | None = None


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


def _x_due(now: datetime):
    return or_(and_(OutboundRow.status.in_([OutboundStatus.PENDING.value,
                                            OutboundStatus.UNKNOWN.value]),
                    OutboundRow.next_attempt_at <= now),
               and_(OutboundRow.status == OutboundStatus.SENDING.value,
                    OutboundRow.lease_expires_at < now))


class XOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        # A row being sent is marked by its status: an expired SENDING row is due again.
        self.jobs = LeasedQueue(db, table=OutboundRow, due=_x_due, lease_free_when_due=False)

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 20) -> list[OutboundJob]:
        """Fresh rows first, then rows an earlier try may have sent (those reconcile first)."""
        sending = {"status": OutboundStatus.SENDING.value}
        fresh = self.jobs.claim(owner=owner, now=now, lease_seconds=lease_seconds,
                                 limit=limit, values=sending,
                                 where=[OutboundRow.status == OutboundStatus.PENDING.value])
        doubtful = self.jobs.claim(owner=owner, now=now, lease_seconds=lease_seconds,
                                    limit=limit - len(fresh), values=sending,
                                    where=[OutboundRow.status != OutboundStatus.PENDING.value])
        jobs = [self._job(row, must_reconcile=False) for row in fresh]
        jobs += [self._job(row, must_reconcile=True) for row in doubtful]
        return sorted(jobs, key=lambda job: job.id)

    @staticmethod
    def _job(row, *, must_reconcile: bool) -> OutboundJob:
        return OutboundJob(id=row.id, case_id=row.case_id, draft_id=row.draft_id, text=row.text,
                           in_reply_to_post_id=row.in_reply_to_post_id, attempts=row.attempts,
                           created_at=row.created_at, channel=row.channel,
                           recipient_id=row.recipient_id, must_reconcile=must_reconcile)

    def renew(self, *, job_id: int, owner: str, now: datetime, lease_seconds: float) -> bool:
        """Extend our unexpired lease; False if it ran out (another worker may hold the row).

        Called right before talking to X: a worker that stalled past its lease (a long
        batch, a pause) must not send what another worker has taken over meanwhile.
        """
        return self.jobs.renew(row_id=job_id, owner=owner, now=now,
                                lease_seconds=lease_seconds,
                                where=[OutboundRow.status == OutboundStatus.SENDING.value])

    def postpone(self, *, job_id: int, owner: str, status: OutboundStatus,
                 next_attempt_at: datetime, error: str) -> bool:
        return self.jobs.release(row_id=job_id, owner=owner,
                                  values={"status": status.value,
                                          "next_attempt_at": next_attempt_at,
                                          "last_error": error})

    def backlog(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(OutboundRow).where(
                OutboundRow.status.in_([OutboundStatus.PENDING.value,
                                        OutboundStatus.UNKNOWN.value,
                                        OutboundStatus.SENDING.value]))) or 0

    def statuses(self) -> list[tuple[int, str, str | None]]:
        with self.db.read() as s:
            return [tuple(r) for r in s.execute(
                select(OutboundRow.case_id, OutboundRow.status, OutboundRow.x_post_id)
                .order_by(OutboundRow.id))]


def _slack_due(now: datetime):
    return and_(SlackOutboxRow.status == "pending", SlackOutboxRow.next_attempt_at <= now)


class SlackOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.jobs = LeasedQueue(db, table=SlackOutboxRow, due=_slack_due)

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 50, kinds: tuple[str, ...] | None = None,
                  may_go: Callable[[str, str], bool] | None = None) -> list[SlackJob]:
        """Due rows (of ``kinds``, or any) in order; a case's rows wait until its parent
        message exists, and while another worker holds an earlier row of the case.

        ``may_go(kind, channel)``, asked of the due rows in order, picks those Slack's
        limits let go now: the rest stay queued (an update that waits there is replaced
        by a newer one) and no row held back holds up another channel's."""
        self._drop_moot_updates(now=now)
        earlier = aliased(SlackOutboxRow)
        held_before = exists().where(earlier.case_id == SlackOutboxRow.case_id,
                                     earlier.id < SlackOutboxRow.id,
                                     earlier.status == "pending",
                                     earlier.lease_expires_at >= now)
        has_parent = exists().where(CaseRow.id == SlackOutboxRow.case_id,
                                    CaseRow.slack_ts.is_not(None))
        where = [or_(SlackOutboxRow.kind == "parent", has_parent), ~held_before,
                 *([SlackOutboxRow.kind.in_(kinds)] if kinds else [])]
        if may_go is not None:
            picked = self._pick(now=now, where=where, limit=limit, may_go=may_go)
            if not picked:
                return []
            where.append(SlackOutboxRow.id.in_(picked))
        rows = self.jobs.claim(owner=owner, now=now, lease_seconds=lease_seconds, limit=limit,
                                where=where)
        if not rows:
            return []
        with self.db.transaction() as s:
            cases = {case_id: (channel, ts) for case_id, channel, ts in s.execute(
                select(CaseRow.id, CaseRow.slack_channel, CaseRow.slack_ts)
                .where(CaseRow.id.in_({row.case_id for row in rows})))}
        return [SlackJob(id=row.id, case_id=row.case_id, kind=row.kind, text=row.text,
                         blocks=row.blocks, attempts=row.attempts,
                         channel=cases[row.case_id][0], parent_ts=cases[row.case_id][1],
                         created_at=row.created_at)
                for row in rows]

    def _pick(self, *, now: datetime, where: list, limit: int,
              may_go: Callable[[str, str], bool]) -> list[int]:
        """The ids of due rows that ``may_go`` lets through, in order: the first ``limit``
        of each kind in each channel are asked, so a long queue of one (a channel's new
        parents) hides no other (another channel's, or the updates under its budget)."""
        case = aliased(CaseRow)
        ranked = (select(SlackOutboxRow.id, SlackOutboxRow.kind,
                         case.slack_channel.label("channel"),
                         func.row_number().over(
                             partition_by=(SlackOutboxRow.kind, case.slack_channel),
                             order_by=SlackOutboxRow.id).label("rank"))
                  .join(case, case.id == SlackOutboxRow.case_id)
                  .where(self.jobs.due(now), *where).subquery())
        with self.db.read() as s:
            candidates = s.execute(select(ranked.c.id, ranked.c.kind, ranked.c.channel)
                                   .where(ranked.c.rank <= limit)
                                   .order_by(ranked.c.id)).all()
        picked: list[int] = []
        for row_id, kind, channel in candidates:
            if may_go(kind, channel):
                picked.append(row_id)
                if len(picked) >= limit:
                    break
        return picked

    def _drop_moot_updates(self, *, now: datetime) -> None:
        """An update re-renders the case as it is when delivered, so of several queued
        updates of one case only one needs to go out: the oldest, which keeps the case's
        place in the line for the edit budget (one in flight is no stand-in: it may have
        rendered the case before the newer change)."""
        older = aliased(SlackOutboxRow)
        with self.db.transaction() as s:
            s.execute(update(SlackOutboxRow.__table__)
                      .where(SlackOutboxRow.kind == "update", self.jobs.due(now),
                             exists().where(older.case_id == SlackOutboxRow.case_id,
                                            older.kind == "update", older.status == "pending",
                                            older.next_attempt_at <= now,
                                            or_(older.lease_expires_at.is_(None),
                                                older.lease_expires_at < now),
                                            older.id < SlackOutboxRow.id))
                      .values(status="done"))

    def renew(self, *, job: SlackJob, owner: str, now: datetime, lease_seconds: float) -> bool:
        """Extend our lease right before a call to Slack; False if another worker may
        hold the row now (then we must not post it)."""
        return self.jobs.renew(row_id=job.id, owner=owner, now=now,
                                lease_seconds=lease_seconds)

    def done(self, *, job: SlackJob, owner: str, slack_ts: str | None) -> bool:
        """Record delivery; False (and nothing recorded) if our lease was lost meanwhile."""
        with self.db.transaction() as s:
            if not self.jobs.release_in(s, row_id=job.id, owner=owner,
                                         values={"status": "done", "slack_ts": slack_ts}):
                return False
            if job.kind == "parent" and slack_ts:
                s.execute(update(CaseRow).where(CaseRow.id == job.case_id,
                                                CaseRow.slack_ts.is_(None))
                          .values(slack_ts=slack_ts))
            return True

    def retry_later(self, *, job: SlackJob, owner: str, at: datetime, error: str) -> bool:
        return self.jobs.release(row_id=job.id, owner=owner,
                                  values={"next_attempt_at": at, "last_error": error[:500]})

    def give_up(self, *, job: SlackJob, owner: str, error: str) -> bool:
        return self.jobs.release(row_id=job.id, owner=owner,
                                  values={"status": "failed", "last_error": error[:500]})

    def pending(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(SlackOutboxRow)
                            .where(SlackOutboxRow.status == "pending")) or 0
