"""Throwaway databases for tests and benchmarks: a SQLite file, or a fresh database on the
PostgreSQL server named by a URL, dropped afterwards.

Example::

    with throwaway_database(os.environ.get("CARE_TEST_DATABASE_URL"), tmp_path) as url:
        Database.connect(url)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text


@contextmanager
def throwaway_database(server_url: str | None, workdir: Path, *,
                       prefix: str = "care_test") -> Iterator[str]:
    if not server_url or server_url.startswith("sqlite"):
        yield f"sqlite:///{workdir / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server_url.rpartition('/')[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
