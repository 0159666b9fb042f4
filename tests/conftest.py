"""Shared fixtures: a fresh database per test, on SQLite or on the PostgreSQL server
named by CARE_TEST_DATABASE_URL (``.ci/run`` starts one and runs the suite on both)."""

from __future__ import annotations

import os

import pytest

from storage.db import Database
from tests.databases import throwaway_database

PG_URL = os.environ.get("CARE_TEST_DATABASE_URL", "")


@pytest.fixture
def database_url(tmp_path):
    with throwaway_database(PG_URL, tmp_path) as url:
        yield url


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
