"""Posts set aside because they could not be read, triaged or stored.

Each row keeps what X sent as ASCII JSON (lone surrogates and NULs survive as escapes),
the error and the time. A post id is quarantined at most once; objects without a usable
id each get a row.

Example::

    quarantine = QuarantinedPosts(db)
    quarantine.add(post_id="186...", origin="mention", raw={"data": {...}},
                   error="UnicodeEncodeError", now=now)
    items, total = quarantine.recent(limit=10)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import QuarantinedPostRow

MAX_RAW_CHARS = 200_000  # beyond this the object is kept cut (a Retry then fails again)
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class QuarantinedPost:
    id: int
    post_id: str | None
    origin: str
    raw: dict | None  # None when the kept JSON was cut
    error: str
    quarantined_at: datetime


class QuarantinedPosts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, post_id: str | None, origin: str, raw: object, error: str,
            now: datetime) -> bool:
        """Keep one post aside; False when that post id is quarantined already."""
        text = json.dumps(raw, ensure_ascii=True, default=repr)[:MAX_RAW_CHARS]
        try:
            with self.db.transaction() as s:
                if post_id is not None and s.scalar(select(QuarantinedPostRow.id).where(
                        QuarantinedPostRow.post_id == post_id)) is not None:
                    return False
                s.add(QuarantinedPostRow(post_id=post_id, origin=origin[:16], raw_json=text,
                                         error=_ascii(error)[:MAX_ERROR_CHARS],
                                         quarantined_at=now))
            return True
        except IntegrityError:
            return False

    def recent(self, *, limit: int) -> tuple[list[QuarantinedPost], int]:
        with self.db.transaction() as s:
            rows = s.scalars(select(QuarantinedPostRow)
                             .order_by(QuarantinedPostRow.quarantined_at.desc(),
                                       QuarantinedPostRow.id.desc()).limit(limit)).all()
            total = s.scalar(select(func.count()).select_from(QuarantinedPostRow))
            return [_item(r) for r in rows], total or 0

    def get(self, item_id: int) -> QuarantinedPost | None:
        with self.db.transaction() as s:
            row = s.get(QuarantinedPostRow, item_id)
            return _item(row) if row else None

    def post_ids(self) -> set[str]:
        with self.db.transaction() as s:
            return set(s.scalars(select(QuarantinedPostRow.post_id)
                                 .where(QuarantinedPostRow.post_id.is_not(None))).all())

    def count(self) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(QuarantinedPostRow)) or 0

    def release(self, item_id: int) -> bool:
        """Forget an entry whose post went through on a retry."""
        with self.db.transaction() as s:
            return s.execute(delete(QuarantinedPostRow)
                             .where(QuarantinedPostRow.id == item_id)).rowcount == 1

    def failed_again(self, *, item_id: int, error: str, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(update(QuarantinedPostRow).where(QuarantinedPostRow.id == item_id)
                      .values(error=_ascii(error)[:MAX_ERROR_CHARS], quarantined_at=now))


def _ascii(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _item(row: QuarantinedPostRow) -> QuarantinedPost:
    try:
        raw = json.loads(row.raw_json)
    except ValueError:
        raw = None
    return QuarantinedPost(id=row.id, post_id=row.post_id, origin=row.origin,
                           raw=raw if isinstance(raw, dict) else None, error=row.error,
                           quarantined_at=row.quarantined_at)
