"""Engine and transactions.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every write
transaction starts with ``BEGIN IMMEDIATE`` so that two writers queue instead of
one failing with "database is locked". Reads (``db.read()``) start with a plain
``BEGIN``: in WAL mode they see one snapshot and never wait for the write lock.
PostgreSQL needs none of that.

Example::

    db = Database.connect("sqlite:///care.db")
    with db.transaction() as session:
        session.execute(...)
    with db.read() as session:
        session.execute(select(...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
READ_ONLY = "care_read_only"
"""Execution option marking a connection whose transactions only read."""


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str, *, migrate: bool = True) -> Database:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
            _configure_sqlite(engine)
        else:
            # Kept open for the 32 server threads and the workers: a connection opened per
            # request past the pool (PostgreSQL forks a backend for each) costs more than the query.
            engine = create_engine(url, pool_pre_ping=True, pool_size=25, max_overflow=10)
        database = cls(engine)
        if migrate:
            database.migrate()
        return database

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest alembic revision."""
        from alembic import command

        command.upgrade(alembic_config(self.engine), "head")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction: one consistent snapshot that never takes SQLite's
        write lock. Nothing is committed; writing in it is a mistake."""
        with self._read_sessions() as session, session.begin():
            yield session

    def upsert(self, *, change, new_row: Callable[[], object], attempts: int = 3) -> None:
        """Run the UPDATE ``change``; if it matched no row, insert ``new_row()``. Safe when
        another writer inserts the same key meanwhile (the update then runs again)."""
        for _ in range(attempts):
            with self.transaction() as s:
                if s.execute(change).rowcount:
                    return
            try:
                with self.transaction() as s:
                    s.add(new_row())
                return
            except IntegrityError:
                continue

    def ping(self) -> bool:
        try:
            with self._reader.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means unreachable
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is switched off so that BEGIN IMMEDIATE is ours.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY)
                             else "BEGIN IMMEDIATE")
