"""Top-level channel messages (overnight summaries, alerts), delivered like the outbox.

Example::

    with db.transaction() as s:
        queue_channel_post(s, channel="C1", text="Overnight: 3 cases", now=now)
    posts = ChannelPosts(db)
    for job in posts.claim_due(owner="host:1", now=now, lease_seconds=60): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import ChannelPostRow


@dataclass(frozen=True)
class ChannelPostJob:
    id: int
    channel: str
    text: str
    attempts: int


def queue_channel_post(s: Session, *, channel: str, text: str, now: datetime) -> None:
    s.add(ChannelPostRow(channel=channel, text=text, status="pending", attempts=0,
                         next_attempt_at=now, created_at=now))


class ChannelPosts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def queue(self, *, channel: str, text: str, now: datetime) -> None:
        with self.db.transaction() as s:
            queue_channel_post(s, channel=channel, text=text, now=now)

    def claim_due(self, *, owner: str, now: datetime, lease_seconds: float,
                  limit: int = 20) -> list[ChannelPostJob]:
        due = and_(ChannelPostRow.status == "pending", ChannelPostRow.next_attempt_at <= now,
                   or_(ChannelPostRow.lease_expires_at.is_(None),
                       ChannelPostRow.lease_expires_at < now))
        with self.db.transaction() as s:
            ids = s.scalars(select(ChannelPostRow.id).where(due).order_by(ChannelPostRow.id)
                            .limit(limit)).all()
        jobs = []
        for row_id in ids:
            with self.db.transaction() as s:
                taken = s.execute(update(ChannelPostRow).where(ChannelPostRow.id == row_id, due)
                                  .values(lease_owner=owner,
                                          lease_expires_at=now + timedelta(seconds=lease_seconds),
                                          attempts=ChannelPostRow.attempts + 1)).rowcount
                if taken == 1:
                    row = s.get(ChannelPostRow, row_id)
                    jobs.append(ChannelPostJob(id=row.id, channel=row.channel, text=row.text,
                                               attempts=row.attempts))
        return jobs

    def finish(self, *, job: ChannelPostJob, owner: str, status: str,
               slack_ts: str | None = None, error: str | None = None,
               retry_at: datetime | None = None) -> None:
        values = {"lease_owner": None, "lease_expires_at": None, "slack_ts": slack_ts,
                  "last_error": error[:500] if error else None, "status": status}
        if retry_at is not None:
            values["next_attempt_at"] = retry_at
        with self.db.transaction() as s:
            s.execute(update(ChannelPostRow).where(ChannelPostRow.id == job.id,
                                                   ChannelPostRow.lease_owner == owner)
                      .values(**values))

    def pending(self) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(ChannelPostRow)
                            .where(ChannelPostRow.status == "pending")) or 0

    def texts(self) -> list[str]:
        with self.db.transaction() as s:
            return list(s.scalars(select(ChannelPostRow.text).order_by(ChannelPostRow.id)))
