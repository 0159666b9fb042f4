"""Top-level channel messages (overnight summaries, alerts), delivered like the outbox
(a storage.leased_queue table).

Example::

    with db.transaction() as s:
        queue_channel_post(s, channel="C1", text="Overnight: 3 cases", now=now)
    posts = ChannelPosts(db)
    for job in posts.claim_due(owner="host:1", now=now, lease_seconds=60): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.leased_queue import LeasedQueue
from storage.models import ChannelPostRow


@dataclass(frozen=True)
class ChannelPostJob:
    id: int
    channel: str
    text: str
    attempts: int
    created_at: datetime | None = None


def queue_channel_post(s: Session, *, channel: str, text: str, now: datetime) -> None:
    s.add(ChannelPostRow(channel=channel, text=text, status="pending", attempts=0,
                         next_attempt_at=now, created_at=now))


def _due(now: datetime):
    return and_(ChannelPostRow.status == "pending", ChannelPostRow.next_attempt_at <= now)


class ChannelPosts:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.jobs = LeasedQueue(db, table=ChannelPostRow, due=_due)

    def queue(self, *, channel: str, text: str, now: datetime) -> None:
        with self.db.transaction() as s:
            queue_channel_post(s, channel=channel, text=text, now=now)

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 20) -> list[ChannelPostJob]:
        return [ChannelPostJob(id=row.id, channel=row.channel, text=row.text,
                               attempts=row.attempts, created_at=row.created_at)
                for row in self.jobs.claim(owner=owner, now=now,
                                            lease_seconds=lease_seconds, limit=limit)]

    def renew(self, *, job: ChannelPostJob, owner: str, now: datetime,
              lease_seconds: float) -> bool:
        """Extend our lease right before a call to Slack; False if another worker may
        hold the row now (then we must not post it)."""
        return self.jobs.renew(row_id=job.id, owner=owner, now=now,
                                lease_seconds=lease_seconds)

    def finish(self, *, job: ChannelPostJob, owner: str, status: str,
               slack_ts: str | None = None, error: str | None = None,
               retry_at: datetime | None = None) -> bool:
        """Record the attempt's outcome; False if our lease was lost meanwhile."""
        values = {"slack_ts": slack_ts, "last_error": error[:500] if error else None,
                  "status": status}
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        return self.jobs.release(row_id=job.id, owner=owner, values=values)

    def pending(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(ChannelPostRow)
                            .where(ChannelPostRow.status == "pending")) or 0

    def texts(self) -> list[str]:
        with self.db.read() as s:
            return list(s.scalars(select(ChannelPostRow.text).order_by(ChannelPostRow.id)))
