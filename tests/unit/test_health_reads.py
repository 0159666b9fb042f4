"""What /healthz reads, in one read-only transaction, and the copy it answers from."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bot.domain.model import Author, InboundPost
from storage.cases import CaseStore
from storage.coordination import Cursors
from storage.db import Database
from storage.health import HealthBoard, HealthReads, HealthSnapshot


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


class CountedReads:
    """A HealthReads stand-in that counts its reads and can hold one until released."""

    def __init__(self) -> None:
        self.reads = 0
        self.hold = threading.Event()
        self.hold.set()
        self.reading = threading.Event()

    def snapshot(self, *, poll_cursor: str) -> HealthSnapshot:
        self.reads += 1
        self.reading.set()
        self.hold.wait(10)
        return HealthSnapshot(last_poll=None, x_backlog=self.reads, slack_pending=0)


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_board_answers_from_its_copy_until_it_is_stale_or_old():
    reads, ticks = CountedReads(), Ticks()
    board = HealthBoard(reads, poll_cursor="last_poll", max_age_seconds=6, clock=ticks)

    assert board.current().snapshot.x_backlog == 1  # the first request reads
    ticks.now += 5
    assert [board.current().snapshot.x_backlog for _ in range(50)] == [1] * 50
    board.mark_stale()  # a kick: something changed
    assert board.current().snapshot.x_backlog == 2
    ticks.now += 7  # the refreshing job is late
    assert board.current().snapshot.x_backlog == 3
    board.refresh()  # the job
    assert board.current().snapshot.x_backlog == 4 and reads.reads == 4


def test_requests_do_not_wait_for_a_read_in_progress():
    reads, ticks = CountedReads(), Ticks()
    board = HealthBoard(reads, poll_cursor="last_poll", clock=ticks)
    board.refresh()
    reads.hold.clear()
    reads.reading.clear()
    board.mark_stale()
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(board.current)
        assert reads.reading.wait(10)
        assert board.current().snapshot.x_backlog == 1  # the previous copy, at once
        reads.hold.set()
        assert slow.result(10).snapshot.x_backlog == 2
    assert board.current().snapshot.x_backlog == 2 and reads.reads == 2


def test_an_unreachable_database_shows_on_the_board(tmp_path):
    db = Database.connect(f"sqlite:///{tmp_path}/missing/dir/care.db", migrate=False)
    board = HealthBoard(HealthReads(db), poll_cursor="last_poll")
    assert board.current().snapshot is None
