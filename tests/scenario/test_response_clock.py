"""The response clock runs from when the customer posted, bounded by now and the
moment the desk first ran."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.intake import clock_start
from tests.scenario.harness import Desk, FakeClock

DESK_START = datetime(2026, 6, 8, 10, 0, tzinfo=UTC)  # a Monday
HOURS = {"CARE_OFFICE_HOURS": "mon-fri 00:00-23:59", "CARE_TIMEZONE": "UTC",
         "CARE_SLA_MINUTES": "60"}


@pytest.fixture
def clock():
    return FakeClock(DESK_START)


@pytest.fixture
def clocked_desk(database_url, clock):
    desk = Desk.start(database_url=database_url, clock=clock, **HOURS)
    yield desk
    desk.stop()


def due_of(desk, post_id: str) -> datetime:
    desk.parent_for(post_id)
    case = next(c for c in (desk.runtime.store.get(i) for i in range(1, 20))
                if c is not None and c.source_post_id == post_id)
    return case.sla_due_at.astimezone(UTC)


def test_a_post_read_30_minutes_late_is_due_30_minutes_sooner(clocked_desk, clock):
    desk = clocked_desk
    clock.advance(minutes=30)
    late = desk.x.post_as_customer(username="jane", text="@acme my bag is lost",
                                   created_at=DESK_START)
    fresh = desk.x.post_as_customer(username="bob", text="@acme my seat is broken",
                                    created_at=clock())
    desk.poll()
    assert due_of(desk, late) == DESK_START + timedelta(minutes=60)
    assert due_of(desk, fresh) == clock() + timedelta(minutes=60)
    assert "due in 30 min" in str(desk.parent_for(late)["blocks"])


def test_the_clock_never_starts_in_the_future_nor_before_the_desk_first_ran(clocked_desk,
                                                                             clock):
    desk = clocked_desk
    clock.advance(minutes=10)
    future = desk.x.post_as_customer(username="fut", text="@acme clock skew please help",
                                     created_at=clock() + timedelta(hours=3))
    old = desk.x.post_as_customer(username="old", text="@acme refund for last week please",
                                  created_at=DESK_START - timedelta(hours=5))
    desk.poll()
    assert due_of(desk, future) == clock() + timedelta(minutes=60)
    assert due_of(desk, old) == DESK_START + timedelta(minutes=60)


def test_the_first_run_is_kept_across_restarts(database_url, clock):
    first = Desk.start(database_url=database_url, clock=clock, **HOURS)
    first.stop()
    clock.advance(hours=2)
    second = Desk.start(database_url=database_url, clock=clock, **HOURS)
    try:
        assert second.runtime.poller.intake.desk_since == DESK_START
    finally:
        second.stop()


def test_clock_start_bounds():
    now = DESK_START + timedelta(hours=1)
    assert clock_start(posted_at=now - timedelta(minutes=5), now=now,
                       desk_since=DESK_START) == now - timedelta(minutes=5)
    assert clock_start(posted_at=now + timedelta(days=1), now=now, desk_since=None) == now
    assert clock_start(posted_at=DESK_START - timedelta(days=1), now=now,
                       desk_since=DESK_START) == DESK_START
