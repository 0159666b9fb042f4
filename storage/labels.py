"""Learning from the desk: agent decisions that contradict triage, kept as labelled
examples, and the week's triage figures for ``/care triage``.

Example::

    labels = TriageLabels(db)
    labels.record(example, now=now)          # once per post
    labels.since(now - timedelta(days=7))    # newest first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import CaseRow, FilteredPostRow, PraiseItemRow, TriageLabelRow


@dataclass(frozen=True)
class LabelledExample:
    """One post as triage saw it, and the lane an agent's decision says it belongs in.
    ``correction`` names the decision (``filtered_made_case``, ``closed_not_a_request``,
    ``closed_spam``, ``praise_made_case``)."""

    post_id: str
    text: str
    brand_handle: str
    author_followers: int
    lang: str | None
    triage_lane: str
    triage_kind: str | None
    triage_reason: str
    label: str
    correction: str
    labelled_by: str
    labelled_at: datetime | None = None


class TriageLabels:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, example: LabelledExample, *, now: datetime) -> bool:
        """Keep one example per post (the first decision about it); False if kept."""
        try:
            with self.db.transaction() as s:
                if s.scalar(select(TriageLabelRow.id)
                            .where(TriageLabelRow.post_id == example.post_id)):
                    return False
                s.add(TriageLabelRow(
                    post_id=example.post_id, text=example.text,
                    brand_handle=example.brand_handle[:64],
                    author_followers=example.author_followers,
                    lang=example.lang[:16] if example.lang else None,
                    triage_lane=example.triage_lane, triage_kind=example.triage_kind,
                    triage_reason=example.triage_reason[:240], label=example.label,
                    correction=example.correction, labelled_by=example.labelled_by[:32],
                    labelled_at=now))
                return True
        except IntegrityError:
            return False

    def since(self, when: datetime | None = None) -> list[LabelledExample]:
        """Examples recorded at or after ``when`` (all of them without it), oldest first."""
        query = select(TriageLabelRow).order_by(TriageLabelRow.labelled_at, TriageLabelRow.id)
        if when is not None:
            query = query.where(TriageLabelRow.labelled_at >= when)
        with self.db.transaction() as s:
            return [_example(r) for r in s.scalars(query)]

    def lane_counts(self, since: datetime) -> dict[str, int]:
        """Posts triaged into each lane since ``since``: cases opened, praise kept,
        posts filtered."""
        with self.db.transaction() as s:
            def count(column) -> int:
                return s.scalar(select(func.count()).where(column >= since)) or 0
            return {"case": count(CaseRow.created_at),
                    "praise": count(PraiseItemRow.received_at),
                    "filtered": count(FilteredPostRow.filtered_at)}


def _example(row: TriageLabelRow) -> LabelledExample:
    return LabelledExample(
        post_id=row.post_id, text=row.text, brand_handle=row.brand_handle,
        author_followers=row.author_followers, lang=row.lang, triage_lane=row.triage_lane,
        triage_kind=row.triage_kind, triage_reason=row.triage_reason, label=row.label,
        correction=row.correction, labelled_by=row.labelled_by, labelled_at=row.labelled_at)
