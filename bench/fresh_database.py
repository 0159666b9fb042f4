"""A new, migrated, empty database for one benchmark run (SQLite file or PostgreSQL).

    with fresh(url, tmp) as db:   # url None: a SQLite file in tmp
        ...
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database

_names = itertools.count(1)


@contextmanager
def fresh(url: str | None, tmp: str) -> Iterator[Database]:
    """A new, migrated, empty database: a file for SQLite, a new database on the server."""
    name = f"bench_{os.getpid()}_{next(_names)}"
    if url is None:
        db = Database.connect(f"sqlite:///{tmp}/{name}.db")
        try:
            yield db
        finally:
            db.dispose()
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    db = Database.connect(make_url(url).set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
