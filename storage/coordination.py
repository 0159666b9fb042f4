"""Leases (who does a singleton job), instance identities and cursors (where polling left off).

A lease is taken with one statement that succeeds only when the row is free, ours,
or expired, so of several instances exactly one holds it at a time. Leases are held in
the name of an instance id, which outlives a process: the ``instances`` row says which
process acts under the id now (host, pid, a token drawn at each start, a heartbeat).
A holder is live while its heartbeat is fresh and, on the same host, its pid still runs;
a restarted process takes a dead holder's id, and with it its leases, at once.

Example::

    leases = Leases(db)
    if leases.acquire(name="x_poller", owner="host:42", now=now, ttl_seconds=180):
        ...
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import CursorRow, InstanceRow, LeaseRow


class Leases:
    def __init__(self, db: Database) -> None:
        self.db = db

    def acquire(self, *, name: str, owner: str, now: datetime, ttl_seconds: float) -> bool:
        expires = now + timedelta(seconds=ttl_seconds)
        with self.db.transaction() as s:
            taken = s.execute(update(LeaseRow)
                              .where(LeaseRow.name == name,
                                     or_(LeaseRow.owner == owner, LeaseRow.expires_at < now))
                              .values(owner=owner, expires_at=expires)).rowcount
            if taken == 1:
                return True
            if s.get(LeaseRow, name) is not None:
                return False
        try:
            with self.db.transaction() as s:
                s.add(LeaseRow(name=name, owner=owner, expires_at=expires))
            return True
        except IntegrityError:
            return False

    def release(self, *, name: str, owner: str, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(update(LeaseRow).where(LeaseRow.name == name, LeaseRow.owner == owner)
                      .values(expires_at=now))

    def release_all(self, *, owner: str, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(update(LeaseRow).where(LeaseRow.owner == owner).values(expires_at=now))

    def holder(self, name: str) -> tuple[str, datetime] | None:
        with self.db.transaction() as s:
            row = s.get(LeaseRow, name)
            return (row.owner, row.expires_at) if row else None


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` runs on this host (signal 0 checks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


@dataclass(frozen=True)
class Process:
    """One start of the program: where it runs and the token drawn for this start."""

    host: str
    pid: int
    boot_token: str


@dataclass(frozen=True)
class Holder:
    """The live process that already acts under an instance id."""

    host: str
    pid: int
    heartbeat_at: datetime


class Instances:
    """Who acts under each instance id; at most one live process per id."""

    def __init__(self, db: Database, *, stale_seconds: float,
                 alive: Callable[[int], bool] = process_alive) -> None:
        self.db = db
        self.stale_seconds = stale_seconds
        self.alive = alive

    def claim(self, *, instance_id: str, me: Process, now: datetime) -> Holder | None:
        """Act under ``instance_id``; returns the live holder instead when there is one."""
        for _ in range(3):
            with self.db.transaction() as s:
                row = s.get(InstanceRow, instance_id)
                if row is not None:
                    if self._live(row, me=me, now=now):
                        return Holder(host=row.host, pid=row.pid, heartbeat_at=row.heartbeat_at)
                    taken = s.execute(
                        update(InstanceRow).where(InstanceRow.id == instance_id,
                                                  InstanceRow.boot_token == row.boot_token)
                        .values(host=me.host, pid=me.pid, boot_token=me.boot_token,
                                started_at=now, heartbeat_at=now)).rowcount
                    if taken == 1:
                        return None
                    continue
            try:
                with self.db.transaction() as s:
                    s.add(InstanceRow(id=instance_id, host=me.host, pid=me.pid,
                                      boot_token=me.boot_token, started_at=now,
                                      heartbeat_at=now))
                return None
            except IntegrityError:
                continue
        raise RuntimeError(f"instance {instance_id!r} changed hands three times during start-up")

    def beat(self, *, instance_id: str, me: Process, now: datetime) -> bool:
        """Record a sign of life; False when another process has taken the id over."""
        with self.db.transaction() as s:
            return s.execute(update(InstanceRow)
                             .where(InstanceRow.id == instance_id,
                                    InstanceRow.boot_token == me.boot_token)
                             .values(heartbeat_at=now)).rowcount == 1

    def release(self, *, instance_id: str, me: Process) -> bool:
        """A clean stop frees the id at once; False if another process holds it by now."""
        with self.db.transaction() as s:
            return s.execute(delete(InstanceRow)
                             .where(InstanceRow.id == instance_id,
                                    InstanceRow.boot_token == me.boot_token)).rowcount == 1

    def _live(self, row: InstanceRow, *, me: Process, now: datetime) -> bool:
        if row.boot_token == me.boot_token:
            return False
        if row.heartbeat_at < now - timedelta(seconds=self.stale_seconds):
            return False
        if row.host == me.host:
            return row.pid != me.pid and self.alive(row.pid)
        return True


class Cursors:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> str | None:
        with self.db.transaction() as s:
            return s.scalar(select(CursorRow.value).where(CursorRow.name == name))

    def get_with_time(self, name: str) -> tuple[str, datetime] | None:
        with self.db.read() as s:
            row = s.get(CursorRow, name)
            return (row.value, row.updated_at) if row else None

    def set(self, name: str, value: str, *, now: datetime) -> None:
        """Store ``value`` under ``name`` (an upsert that is safe under concurrency)."""
        self.db.upsert(change=update(CursorRow).where(CursorRow.name == name)
                       .values(value=value, updated_at=now),
                       new_row=lambda: CursorRow(name=name, value=value, updated_at=now))
