"""The praise lane: posts triaged as praise, kept (not cases), listed in an hourly digest.

Example::

    praise = PraiseItems(db)
    praise.add(post=post, origin="mention", reason="praise: thanks", now=now)
    taken = praise.take_for_digest(hour="2026-12-01T10", shown=15, now=now,
                                   quiet_since=now - timedelta(hours=1))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.model import Author, InboundPost
from storage.db import Database
from storage.models import PraiseDigestRow, PraiseItemRow


@dataclass(frozen=True)
class PraiseItem:
    post: InboundPost
    origin: str
    reason: str
    received_at: datetime
    liked_at: datetime | None = None
    liked_by: str | None = None
    case_id: int | None = None


@dataclass(frozen=True)
class DigestTake:
    """What one digest lists: the ``shown`` items (most-followed first) and how many more."""

    hour: str
    shown: list[PraiseItem]
    more: int


def _by_reach():
    return (PraiseItemRow.author_followers.desc(), PraiseItemRow.received_at.desc(),
            PraiseItemRow.id.desc())


class PraiseItems:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, post: InboundPost, origin: str, reason: str, now: datetime) -> bool:
        """Keep one praise post; False when it is kept already."""
        try:
            with self.db.transaction() as s:
                if s.get(PraiseItemRow, post.id) is not None:
                    return False
                s.execute(insert(PraiseItemRow).values(
                    id=post.id, author_id=post.author.id, author_handle=post.author.username,
                    author_name=post.author.name, author_followers=post.author.followers,
                    text=post.text, created_at=post.created_at,
                    conversation_id=post.conversation_id, origin=origin,
                    lang=(post.lang or None) and post.lang[:16], reason=reason[:240],
                    received_at=now, shown_in_digest=False))
                return True
        except IntegrityError:
            return False

    def get(self, post_id: str) -> PraiseItem | None:
        with self.db.transaction() as s:
            row = s.get(PraiseItemRow, post_id)
            return _item(row) if row else None

    def take_for_digest(self, *, hour: str, shown: int, now: datetime,
                        quiet_since: datetime) -> DigestTake | None:
        """Claim this hour's digest (insert-or-nothing) and the praise not yet in one.
        None when there is nothing new, another instance has this hour, or a digest was
        posted after ``quiet_since``."""
        try:
            with self.db.transaction() as s:
                waiting = s.scalar(select(func.count()).select_from(PraiseItemRow).where(
                    PraiseItemRow.digest_hour.is_(None), PraiseItemRow.case_id.is_(None))) or 0
                if not waiting or s.get(PraiseDigestRow, hour) is not None:
                    return None
                if s.scalar(select(PraiseDigestRow.hour)
                            .where(PraiseDigestRow.created_at > quiet_since).limit(1)):
                    return None
                rows = s.scalars(select(PraiseItemRow).where(
                    PraiseItemRow.digest_hour.is_(None), PraiseItemRow.case_id.is_(None))
                    .order_by(*_by_reach())).all()
                first, rest = rows[:shown], rows[shown:]
                s.add(PraiseDigestRow(hour=hour, created_at=now, shown=len(first),
                                      more=len(rest)))
                s.flush()
                for ids, on in (([r.id for r in first], True), ([r.id for r in rest], False)):
                    if ids:
                        s.execute(update(PraiseItemRow).where(PraiseItemRow.id.in_(ids))
                                  .values(digest_hour=hour, shown_in_digest=on))
                return DigestTake(hour=hour, shown=[_item(r) for r in first], more=len(rest))
        except IntegrityError:
            return None

    def digest_posted(self, *, hour: str, slack_ts: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(PraiseDigestRow).where(PraiseDigestRow.hour == hour)
                      .values(slack_ts=slack_ts))

    def digest_failed(self, *, hour: str) -> None:
        """Give this hour's praise back to the next digest (posting it failed)."""
        with self.db.transaction() as s:
            s.execute(update(PraiseItemRow).where(PraiseItemRow.digest_hour == hour)
                      .values(digest_hour=None, shown_in_digest=False))
            s.execute(delete(PraiseDigestRow).where(PraiseDigestRow.hour == hour))

    def not_shown(self, *, limit: int) -> tuple[list[PraiseItem], int]:
        """Praise no digest has shown (counted as "+N more", or newer than the last
        digest), most-followed first, and how many there are."""
        where = (PraiseItemRow.shown_in_digest.is_(False), PraiseItemRow.case_id.is_(None))
        with self.db.transaction() as s:
            total = s.scalar(select(func.count()).select_from(PraiseItemRow).where(*where)) or 0
            rows = s.scalars(select(PraiseItemRow).where(*where).order_by(*_by_reach())
                             .limit(limit)).all()
            return [_item(r) for r in rows], total

    def mark_liking(self, *, post_id: str, by: str, now: datetime) -> bool:
        """Compare-and-set before asking X: True for the one click that likes it."""
        with self.db.transaction() as s:
            return s.execute(update(PraiseItemRow).where(
                PraiseItemRow.id == post_id, PraiseItemRow.liked_at.is_(None))
                .values(liked_at=now, liked_by=by[:32])).rowcount == 1

    def unmark_liking(self, *, post_id: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(PraiseItemRow).where(PraiseItemRow.id == post_id)
                      .values(liked_at=None, liked_by=None))

    def mark_case(self, *, post_id: str, case_id: int) -> None:
        with self.db.transaction() as s:
            s.execute(update(PraiseItemRow).where(PraiseItemRow.id == post_id)
                      .values(case_id=case_id))


def _item(row: PraiseItemRow) -> PraiseItem:
    post = InboundPost(id=row.id, text=row.text, created_at=row.created_at,
                       conversation_id=row.conversation_id, lang=row.lang,
                       author=Author(id=row.author_id, username=row.author_handle,
                                     name=row.author_name, followers=row.author_followers))
    return PraiseItem(post=post, origin=row.origin, reason=row.reason,
                      received_at=row.received_at, liked_at=row.liked_at,
                      liked_by=row.liked_by, case_id=row.case_id)
