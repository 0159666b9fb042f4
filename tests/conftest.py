"""Shared fixtures: a fresh database per test, on SQLite or on the PostgreSQL server
named by CARE_TEST_DATABASE_URL (``.ci/run`` starts one and runs the suite on both)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database

PG_URL = os.environ.get("CARE_TEST_DATABASE_URL", "")


@pytest.fixture
def database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'care.db'}"
        return
    name = f"care_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_URL.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db(database_url):
    database = Database.connect(database_url)
    yield database
    database.dispose()


def pytest_collection_modifyitems(config, items):
    """Tests that use a database are marked ``db``: scripts/test.sh runs them on PostgreSQL."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
