"""Agents' own settings (initials for the reply signature)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import AgentProfileRow


class AgentProfiles:
    def __init__(self, db: Database) -> None:
        self.db = db

    def initials(self, user_id: str) -> str | None:
        with self.db.transaction() as s:
            row = s.get(AgentProfileRow, user_id)
            return row.initials if row else None

    def set_initials(self, user_id: str, initials: str | None, *, now: datetime) -> None:
        for _ in range(2):
            try:
                with self.db.transaction() as s:
                    row = s.get(AgentProfileRow, user_id)
                    if initials is None:
                        if row is not None:
                            s.delete(row)
                    elif row is None:
                        s.add(AgentProfileRow(user_id=user_id, initials=initials,
                                              updated_at=now))
                    else:
                        row.initials, row.updated_at = initials, now
                return
            except IntegrityError:
                continue
