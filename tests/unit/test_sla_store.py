"""Recording nudges as a batch: every case advances exactly once, and a case another
instance recorded meanwhile is told apart from the rest of the batch."""

from __future__ import annotations

from bot.services.sla_clock import start_clock
from storage.cases import CaseStore
from storage.sla import DueNudge, SlaStore
from tests.unit.services_kit import Clock, policy, post


def due_nudges(db, clock: Clock, count: int) -> list[DueNudge]:
    store = CaseStore(db)
    for _ in range(count):
        store.open_case(post=post(), channel="C0CARE", now=clock(),
                        clock=start_clock(policy(), start=clock(), minutes=60))
    clock.advance(minutes=59)
    due = SlaStore(db).due(now=clock(), limit=100)
    assert len(due) == count
    return due


def test_a_batch_of_nudges_is_recorded_once_each(db):
    clock, sla = Clock(), SlaStore(db)
    due = due_nudges(db, clock, 4)
    items = [(d, None, f"note {d.case_id}") for d in due]
    assert sla.record_many(items, now=clock()) == [True] * 4
    assert sla.record_many(items, now=clock()) == [False] * 4
    assert all(sla.nudges(d.case_id) == [(d.cycle, d.level)] for d in due)
    assert sla.due(now=clock(), limit=100) == []


def test_a_case_recorded_meanwhile_by_another_instance_is_the_only_one_refused(db):
    clock = Clock()
    mine, theirs = SlaStore(db), SlaStore(db)
    due = due_nudges(db, clock, 3)
    assert theirs.record(due=due[1], now=clock(), next_level=None, note=None)
    outcome = mine.record_many([(d, None, None) for d in due], now=clock())
    assert outcome == [True, False, True]
    assert all(len(mine.nudges(d.case_id)) == 1 for d in due)


def test_dropped_cases_have_nothing_left_to_nudge(db):
    clock, sla = Clock(), SlaStore(db)
    due = due_nudges(db, clock, 2)
    sla.drop_many(due)
    assert sla.due(now=clock(), limit=100) == []
    assert all(sla.nudges(d.case_id) == [] for d in due)
