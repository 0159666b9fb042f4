"""Bulk import of past, closed cases (the sandbox's seeded history, a migration from
another tool): rows with the columns of ``cases``, written in chunks in one transaction.

Example::

    import_closed_cases(db, rows=[{"source_post_id": "h-1", ..., "state": "closed"}])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import insert

from storage.db import Database
from storage.models import CaseRow

CHUNK = 2000


def import_closed_cases(db: Database, *, rows: Sequence[Mapping[str, object]]) -> int:
    """Insert ``rows`` as closed cases; returns how many. Refuses a row that is not closed."""
    if any(row.get("state") != "closed" for row in rows):
        raise ValueError("only closed cases can be imported as history")
    with db.transaction() as s:
        for start in range(0, len(rows), CHUNK):
            s.execute(insert(CaseRow), list(rows[start:start + CHUNK]))
    return len(rows)
