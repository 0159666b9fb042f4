"""What the intake screens posts against, and what it keeps of those it filters out:
the filtered log, the local mute list, read counts per month, and small shared states.

Example::

    filtered = FilteredPosts(db)
    filtered.add(post=post, origin="mention", kind="praise", reason="praise: thanks", now=now)
    recent = filtered.recent(limit=10)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.model import Author, InboundPost
from storage.cases import queue_slack
from storage.db import Database
from storage.models import (
    CaseRow,
    FilteredPostRow,
    MutedAuthorRow,
    SlackOutboxRow,
    StateRow,
    UsageRow,
)


@dataclass(frozen=True)
class FilteredPost:
    post: InboundPost
    origin: str
    kind: str | None
    reason: str
    filtered_at: datetime
    case_id: int | None


class FilteredPosts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, post: InboundPost, origin: str, kind: str | None, reason: str,
            now: datetime) -> bool:
        try:
            with self.db.transaction() as s:
                if s.get(FilteredPostRow, post.id) is not None:
                    return False
                s.execute(insert(FilteredPostRow).values(**_values(
                    post, origin=origin, kind=kind, reason=reason, now=now)))
                return True
        except IntegrityError:
            return False

    def recent(self, *, limit: int) -> tuple[list[FilteredPost], int]:
        with self.db.transaction() as s:
            total = s.scalar(select(func.count()).select_from(FilteredPostRow)
                             .where(FilteredPostRow.case_id.is_(None))) or 0
            rows = s.scalars(select(FilteredPostRow).where(FilteredPostRow.case_id.is_(None))
                             .order_by(FilteredPostRow.filtered_at.desc(),
                                       FilteredPostRow.id.desc()).limit(limit)).all()
            return [_filtered(r) for r in rows], total

    def group(self, *, post: InboundPost, origin: str, kind: str | None, case_id: int,
              now: datetime) -> bool:
        """File ``post`` under crisis digest case ``case_id``: kept in the log (answerable
        with Make it a case) and counted on the digest's parent, in one transaction."""
        try:
            with self.db.transaction() as s:
                if s.get(FilteredPostRow, post.id) is not None:
                    return False
                s.execute(insert(FilteredPostRow).values(**_values(
                    post, origin=origin, kind=kind, now=now,
                    reason=f"grouped into crisis digest case #{case_id}")))
                s.execute(update(CaseRow).where(CaseRow.id == case_id)
                          .values(digest_count=CaseRow.digest_count + 1,
                                  version=CaseRow.version + 1, updated_at=now))
                queued = s.scalar(select(SlackOutboxRow.id).where(
                    SlackOutboxRow.case_id == case_id, SlackOutboxRow.kind == "update",
                    SlackOutboxRow.status == "pending", SlackOutboxRow.lease_owner.is_(None))
                    .limit(1))
                if queued is None:  # one pending re-render shows every grouped post
                    queue_slack(s, case_id=case_id, kind="update", now=now)
                return True
        except IntegrityError:
            return False

    def get(self, post_id: str) -> FilteredPost | None:
        with self.db.transaction() as s:
            row = s.get(FilteredPostRow, post_id)
            return _filtered(row) if row else None

    def mark_case(self, *, post_id: str, case_id: int) -> None:
        with self.db.transaction() as s:
            s.execute(update(FilteredPostRow).where(FilteredPostRow.id == post_id)
                      .values(case_id=case_id))


def _values(post: InboundPost, *, origin: str, kind: str | None, reason: str,
            now: datetime) -> dict:
    return dict(
        id=post.id, author_id=post.author.id, author_handle=post.author.username,
        author_name=post.author.name, author_followers=post.author.followers, text=post.text,
        created_at=post.created_at, conversation_id=post.conversation_id, origin=origin,
        kind=kind, reason=reason[:240], filtered_at=now)


def _filtered(row: FilteredPostRow) -> FilteredPost:
    post = InboundPost(id=row.id, text=row.text, created_at=row.created_at,
                       conversation_id=row.conversation_id,
                       author=Author(id=row.author_id, username=row.author_handle,
                                     name=row.author_name, followers=row.author_followers))
    return FilteredPost(post=post, origin=row.origin, kind=row.kind, reason=row.reason,
                        filtered_at=row.filtered_at, case_id=row.case_id)


class MutedAuthors:
    """The local mute list. Reads come from a copy refreshed every few seconds (a burst
    asks for every post); a mute or unmute in this process takes effect at once."""

    REFRESH_SECONDS = 5.0

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: frozenset[str] | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()

    def is_muted(self, author_id: str) -> bool:
        with self._lock:
            if self._ids is None or time.monotonic() - self._read_at > self.REFRESH_SECONDS:
                with self.db.transaction() as s:
                    self._ids = frozenset(s.scalars(select(MutedAuthorRow.author_id)))
                self._read_at = time.monotonic()
            return author_id in self._ids

    def _forget(self) -> None:
        with self._lock:
            self._ids = None

    def mute(self, *, author_id: str, handle: str, by: str, now: datetime,
             on_x: bool) -> bool:
        try:
            with self.db.transaction() as s:
                if s.get(MutedAuthorRow, author_id) is not None:
                    return False
                s.add(MutedAuthorRow(author_id=author_id, handle=handle, muted_by=by,
                                     muted_at=now, muted_on_x=on_x))
            return True
        except IntegrityError:
            return False
        finally:
            self._forget()

    def unmute(self, author_id: str) -> bool:
        try:
            with self.db.transaction() as s:
                row = s.get(MutedAuthorRow, author_id)
                if row is None:
                    return False
                s.delete(row)
                return True
        finally:
            self._forget()


class Usage:
    """Posts read from X, per calendar month (UTC) and source."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, source: str, reads: int, now: datetime) -> None:
        if reads <= 0:
            return
        month = f"{now:%Y-%m}"
        self.db.upsert(change=update(UsageRow)
                       .where(UsageRow.month == month, UsageRow.source == source)
                       .values(reads=UsageRow.reads + reads),
                       new_row=lambda: UsageRow(month=month, source=source, reads=reads))

    def month(self, now: datetime) -> dict[str, int]:
        with self.db.transaction() as s:
            return dict(s.execute(select(UsageRow.source, UsageRow.reads)
                                  .where(UsageRow.month == f"{now:%Y-%m}")).all())


class SharedState:
    """A named JSON value with a version: ``compare_and_set`` lets one instance win."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> tuple[dict | None, int]:
        with self.db.transaction() as s:
            row = s.get(StateRow, name)
            return (dict(row.value), row.version) if row else (None, 0)

    def compare_and_set(self, name: str, *, value: dict, version: int, now: datetime) -> bool:
        """Store ``value`` if the stored version is still ``version`` (0: not stored yet)."""
        try:
            with self.db.transaction() as s:
                if version == 0:
                    if s.get(StateRow, name) is not None:
                        return False
                    s.add(StateRow(name=name, value=value, version=1, updated_at=now))
                    return True
                return s.execute(update(StateRow)
                                 .where(StateRow.name == name, StateRow.version == version)
                                 .values(value=value, version=version + 1,
                                         updated_at=now)).rowcount == 1
        except IntegrityError:
            return False
