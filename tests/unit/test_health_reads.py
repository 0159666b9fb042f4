"""What /healthz reads, in one read-only transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.model import Author, InboundPost
from storage.cases import CaseStore
from storage.coordination import Cursors
from storage.db import Database
from storage.health import HealthReads


def test_the_snapshot_shows_the_last_poll_and_the_slack_backlog(db):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    reads = HealthReads(db)
    assert reads.snapshot(poll_cursor="last_poll").last_poll is None
    Cursors(db).set("last_poll", "1700", now=now)
    CaseStore(db).open_case(post=InboundPost(
        id="77", text="@acme hello", created_at=now, conversation_id="77",
        author=Author(id="5", username="jo", name="Jo", followers=1)), channel="C0CARE", now=now)

    snapshot = reads.snapshot(poll_cursor="last_poll")

    assert snapshot.last_poll[0] == "1700"
    assert snapshot.slack_pending == 1 and snapshot.x_backlog == 0


def test_an_unreachable_database_gives_no_snapshot(tmp_path):
    db = Database.connect(f"sqlite:///{tmp_path}/missing/dir/care.db", migrate=False)
    assert HealthReads(db).snapshot(poll_cursor="last_poll") is None
