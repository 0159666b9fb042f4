"""Saved replies in the database, shared by every instance, with the history of each change.

The replies file is imported matched by title (ignoring case): the file's version wins for
the entries it holds, entries made in Slack stay, and a file entry no longer in the file is
retired. Every change is an event with who and when.

Example::

    replies = SavedReplies(db)
    summary = replies.import_file(load_saved_replies("replies.yml"), actor="file", now=now)
    for stored in replies.active():
        rank_against = stored.reply
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.saved_replies import Channel, ReplyChange, SavedReply, Source, StoredReply
from storage.db import Database
from storage.models import SavedReplyEventRow, SavedReplyRow

FIELDS = ("title", "text", "channel", "tags", "faq")


class DuplicateTitleError(ValueError):
    """Another saved reply already has this title."""


class ReplyChangedError(RuntimeError):
    """The reply changed since it was read (someone else saved first)."""


class ReplyNotFoundError(LookupError):
    """No saved reply has this id."""


@dataclass(frozen=True)
class ImportSummary:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    retired: tuple[str, ...]


class SavedReplies:
    def __init__(self, db: Database) -> None:
        self.db = db

    def active(self) -> list[StoredReply]:
        """The replies agents can use, by title."""
        return self.all(include_retired=False)

    def all(self, *, include_retired: bool = True) -> list[StoredReply]:
        with self.db.transaction() as s:
            query = select(SavedReplyRow).order_by(SavedReplyRow.title)
            if not include_retired:
                query = query.where(SavedReplyRow.retired.is_(False))
            return [_stored(row) for row in s.scalars(query)]

    def fingerprint(self) -> tuple[int, int, int]:
        """Changes whenever a reply is added, edited, retired or restored (not on use):
        a cheap check before reading the whole set again."""
        with self.db.transaction() as s:
            row = s.execute(select(func.count(SavedReplyRow.id),
                                   func.coalesce(func.sum(SavedReplyRow.version), 0),
                                   func.coalesce(func.max(SavedReplyRow.id), 0))).one()
            return int(row[0]), int(row[1]), int(row[2])

    def get(self, reply_id: int) -> StoredReply | None:
        with self.db.transaction() as s:
            row = s.get(SavedReplyRow, reply_id)
            return _stored(row) if row else None

    def by_title(self, title: str) -> StoredReply | None:
        """The reply titled ``title``, ignoring case."""
        with self.db.transaction() as s:
            row = _rows_by_title(s).get(title.strip().casefold())
            return _stored(row) if row else None

    def add(self, reply: SavedReply, *, actor: str, now: datetime) -> StoredReply:
        """Save a reply made in Slack; raises DuplicateTitleError."""
        try:
            with self.db.transaction() as s:
                if reply.title.casefold() in _rows_by_title(s):
                    raise DuplicateTitleError(reply.title)
                row = _new_row(reply, source=Source.SLACK, actor=actor, now=now)
                s.add(row)
                s.flush()
                _event(s, row.id, actor=actor, action="added", detail=None, now=now)
                return _stored(row)
        except IntegrityError:
            raise DuplicateTitleError(reply.title) from None

    def edit(self, reply_id: int, reply: SavedReply, *, expected_version: int, actor: str,
             now: datetime) -> StoredReply:
        """Replace a reply's content if nobody changed it since ``expected_version``;
        raises ReplyNotFoundError, ReplyChangedError or DuplicateTitleError."""
        try:
            with self.db.transaction() as s:
                row = s.get(SavedReplyRow, reply_id)
                if row is None:
                    raise ReplyNotFoundError(reply_id)
                if row.version != expected_version:
                    raise ReplyChangedError(reply_id)
                other = _rows_by_title(s).get(reply.title.casefold())
                if other is not None and other.id != reply_id:
                    raise DuplicateTitleError(reply.title)
                changed = _apply(row, reply)
                if changed:
                    _touch(row, actor=actor, now=now)
                    _event(s, row.id, actor=actor, action="edited",
                           detail="changed " + ", ".join(changed), now=now)
                return _stored(row)
        except IntegrityError:
            raise DuplicateTitleError(reply.title) from None

    def retire(self, reply_id: int, *, actor: str, now: datetime) -> bool:
        """Stop offering a reply (kept, with its history); False if already retired."""
        return self._set_retired(reply_id, retired=True, actor=actor, now=now)

    def restore(self, reply_id: int, *, actor: str, now: datetime) -> bool:
        return self._set_retired(reply_id, retired=False, actor=actor, now=now)

    def _set_retired(self, reply_id: int, *, retired: bool, actor: str, now: datetime) -> bool:
        with self.db.transaction() as s:
            changed = s.execute(
                update(SavedReplyRow)
                .where(SavedReplyRow.id == reply_id, SavedReplyRow.retired.is_(not retired))
                .values(retired=retired, updated_by=actor[:32], updated_at=now,
                        version=SavedReplyRow.version + 1)).rowcount
            if changed:
                _event(s, reply_id, actor=actor, action="retired" if retired else "restored",
                       detail=None, now=now)
            return bool(changed)

    def record_use(self, reply_id: int, *, now: datetime) -> None:
        """Count one use of the reply (an agent took it into a draft)."""
        with self.db.transaction() as s:
            s.execute(update(SavedReplyRow).where(SavedReplyRow.id == reply_id)
                      .values(use_count=SavedReplyRow.use_count + 1, last_used_at=now))

    def history(self, reply_id: int | None = None, *, limit: int = 50) -> list[ReplyChange]:
        """The newest changes first, of one reply or of all."""
        with self.db.transaction() as s:
            query = select(SavedReplyEventRow).order_by(SavedReplyEventRow.id.desc())
            if reply_id is not None:
                query = query.where(SavedReplyEventRow.reply_id == reply_id)
            return [ReplyChange(reply_id=e.reply_id, actor=e.actor, action=e.action,
                                detail=e.detail, at=e.at)
                    for e in s.scalars(query.limit(limit))]

    def import_file(self, replies: list[SavedReply], *, actor: str, now: datetime,
                    attempts: int = 3) -> ImportSummary:
        """Bring the database in line with the file's ``replies`` in one transaction: the
        file's version wins for every title it holds (and makes it active again), entries
        made in Slack stay, and file entries the file no longer holds are retired."""
        for attempt in range(attempts):
            try:
                with self.db.transaction() as s:
                    return _import(s, replies, actor=actor, now=now)
            except IntegrityError:
                # Another instance imported the same titles at the same moment.
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")


def _import(s: Session, replies: list[SavedReply], *, actor: str,
            now: datetime) -> ImportSummary:
    existing = _rows_by_title(s)
    added, updated, unchanged = [], [], []
    in_file = set()
    for reply in replies:
        key = reply.title.casefold()
        in_file.add(key)
        row = existing.get(key)
        if row is None:
            row = _new_row(reply, source=Source.FILE, actor=actor, now=now)
            s.add(row)
            s.flush()
            _event(s, row.id, actor=actor, action="added", detail="from the file", now=now)
            added.append(reply.title)
            continue
        changed = _apply(row, reply)
        if row.source != Source.FILE.value:
            changed.append("source")
            row.source = Source.FILE.value
        if row.retired:
            changed.append("retired")
            row.retired = False
        if changed:
            _touch(row, actor=actor, now=now)
            _event(s, row.id, actor=actor, action="imported",
                   detail="from the file: changed " + ", ".join(changed), now=now)
            updated.append(reply.title)
        else:
            unchanged.append(reply.title)
    retired = []
    for key, row in existing.items():
        if key not in in_file and row.source == Source.FILE.value and not row.retired:
            row.retired = True
            _touch(row, actor=actor, now=now)
            _event(s, row.id, actor=actor, action="retired", detail="no longer in the file",
                   now=now)
            retired.append(row.title)
    return ImportSummary(added=tuple(added), updated=tuple(updated),
                         unchanged=tuple(unchanged), retired=tuple(retired))


def _rows_by_title(s: Session) -> dict[str, SavedReplyRow]:
    return {row.title.casefold(): row for row in s.scalars(select(SavedReplyRow))}


def _new_row(reply: SavedReply, *, source: Source, actor: str, now: datetime) -> SavedReplyRow:
    return SavedReplyRow(title=reply.title, text=reply.text, channel=reply.channel.value,
                         tags=list(reply.tags), faq=reply.faq, source=source.value,
                         retired=False, use_count=0, version=1, created_by=actor[:32],
                         created_at=now, updated_by=actor[:32], updated_at=now)


def _apply(row: SavedReplyRow, reply: SavedReply) -> list[str]:
    """Copy ``reply`` onto ``row``; the names of the fields that changed."""
    new = {"title": reply.title, "text": reply.text, "channel": reply.channel.value,
           "tags": list(reply.tags), "faq": reply.faq}
    changed = [name for name in FIELDS if getattr(row, name) != new[name]]
    for name in changed:
        setattr(row, name, new[name])
    return changed


def _touch(row: SavedReplyRow, *, actor: str, now: datetime) -> None:
    row.updated_by, row.updated_at = actor[:32], now
    row.version += 1


def _event(s: Session, reply_id: int, *, actor: str, action: str, detail: str | None,
           now: datetime) -> None:
    s.add(SavedReplyEventRow(reply_id=reply_id, actor=actor[:32], action=action,
                             detail=detail, at=now))


def _stored(row: SavedReplyRow) -> StoredReply:
    reply = SavedReply(title=row.title, text=row.text, channel=Channel(row.channel),
                       tags=tuple(row.tags or ()), faq=row.faq)
    return StoredReply(id=row.id, reply=reply, source=Source(row.source), retired=row.retired,
                       use_count=row.use_count, last_used_at=row.last_used_at,
                       version=row.version, updated_by=row.updated_by,
                       updated_at=row.updated_at)
