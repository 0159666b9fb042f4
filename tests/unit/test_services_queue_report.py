"""Answers to /care (status, mine, sla, hours) against storage on a throwaway database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.model import Author
from bot.domain.office_hours import OfficeHours
from bot.domain.sla import SlaPolicy
from bot.services.queue_report import QueueReport, response_stats, spend
from bot.services.sending import ReplySender
from bot.services.sla_clock import start_clock
from storage.outbox import XOutbox
from storage.reports import FirstResponse, Reports
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    LEAD,
    OTHER_AGENT,
    Clock,
    MemoryX,
    make_desk,
    post,
)

POLICY = SlaPolicy(hours=OfficeHours(), first_minutes=60)


def report(db, clock: Clock, **kwargs) -> QueueReport:
    return QueueReport(reports=Reports(db), policy=POLICY, clock=clock,
                       slack_pending=lambda: 4, x_backlog=lambda: 2, **kwargs)


def case_on_the_clock(desk, clock: Clock, *, handle: str = "jane") -> int:
    at = clock()
    author = Author(id=f"id-{handle}", username=handle, name=handle, followers=1)
    case_id = desk.store.open_case(post=post(at=at, author=author), channel="C0CARE", now=at,
                                   brand_id=BRAND[0],
                                   clock=start_clock(POLICY, start=at, minutes=60))
    assert case_id is not None
    return case_id


def test_response_stats_count_office_minutes_and_the_share_within_target():
    start = datetime(2030, 1, 7, 10, tzinfo=UTC)
    firsts = [FirstResponse(start, start + timedelta(minutes=m), start + timedelta(minutes=60))
              for m in (10, 20, 30, 90)]
    stats = response_stats(firsts, POLICY)
    assert stats.count == 4 and stats.median == pytest.approx(25.0)
    assert stats.p90 == pytest.approx(90.0) and stats.within_target_percent == 75.0
    assert response_stats([], POLICY).count == 0


def test_spend_prices_owned_reads_apart_from_search():
    cost = spend({"mentions": 1000, "dms": 500, "search": 200}, price=0.005, owned_price=0.001,
                 cap=10_000)
    assert cost.total == 1700 and cost.estimate == pytest.approx(1.5 + 1.0)


def test_status_sums_up_the_queue_today(db):
    clock, x = Clock(), MemoryX()
    desk = make_desk(db, clock)
    case_on_the_clock(desk, clock, handle="new_one")
    claimed = case_on_the_clock(desk, clock, handle="claimed_one")
    assert desk.claim(case_id=claimed, user_id=OTHER_AGENT).ok
    answered = case_on_the_clock(desk, clock, handle="answered_one")
    assert desk.claim(case_id=answered, user_id=AGENT).ok
    clock.advance(minutes=20)
    assert desk.submit_draft(case_id=answered, user_id=AGENT, text="Sorry, on it!").ok
    assert desk.approve(case_id=answered, user_id=LEAD).ok
    sender = ReplySender(outbox=XOutbox(db), store=desk.store, x=x, brand=lambda: BRAND,
                         clock=clock, owner="worker-1")
    assert sender.deliver_due() == 1
    text = report(db, clock, usage=lambda now: {"mentions": 100},
                  crisis=lambda: "CRISIS LINE").status()
    lines = text.splitlines()
    assert lines[0] == "CRISIS LINE"
    assert "1 unclaimed" in lines[1] and "0 overdue" in lines[1]
    assert "@new_one" in text  # the oldest waiting case
    assert "*Today:* 1 first responses · median 20 min" in text
    assert f"<@{AGENT}> 1 open" in text and f"<@{OTHER_AGENT}> 1 open" in text
    assert "Slack posts pending: 4 · replies waiting to go to X: 2" in text
    assert "*X reads this month:* 100" in text


def test_mine_lists_only_the_agents_open_cases(db):
    clock = Clock()
    desk = make_desk(db, clock)
    mine = case_on_the_clock(desk, clock, handle="mine_one")
    theirs = case_on_the_clock(desk, clock, handle="their_one")
    assert desk.claim(case_id=mine, user_id=AGENT).ok
    assert desk.claim(case_id=theirs, user_id=OTHER_AGENT).ok
    text = report(db, clock).mine(AGENT)
    assert text.startswith("*Your open cases (1):*")
    assert "@mine_one" in text and "@their_one" not in text
    assert report(db, clock).mine("UNOBODY").startswith("You have no open cases")


def test_at_risk_lists_overdue_cases_first(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_on_the_clock(desk, clock, handle="late_one")
    clock.advance(minutes=50)
    case_on_the_clock(desk, clock, handle="fresh_one")
    assert report(db, clock).at_risk().startswith(":white_check_mark:")
    clock.advance(minutes=15)  # the first is overdue, the second not yet at a level
    text = report(db, clock).at_risk()
    assert text.startswith("*At risk or overdue (1)")
    assert "@late_one" in text and "@fresh_one" not in text


def test_hours_tell_whether_the_desk_is_open(db):
    weekdays = SlaPolicy(hours=OfficeHours.parse(schedule="mon-fri 09:00-17:00",
                                                 timezone="UTC"))
    clock = Clock()
    clock.now = datetime(2030, 1, 12, 11, tzinfo=UTC)  # Saturday
    service = QueueReport(reports=Reports(db), policy=weekdays, clock=clock,
                          slack_pending=lambda: 0, x_backlog=lambda: 0)
    text = service.hours()
    assert "The desk is *closed*. It opens Mon 14 Jan 09:00 (UTC)." in text
    clock.now = datetime(2030, 1, 14, 10, tzinfo=UTC)
    assert "The desk is *open* now." in service.hours()
