"""Response-time targets in office hours, nudges and /care, with an injected clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, LEAD2, Desk, FakeClock, wait_until

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = {"CARE_OFFICE_HOURS": "mon-fri 09:00-18:00", "CARE_TIMEZONE": "Europe/Berlin",
         "CARE_SLA_MINUTES": "60"}


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def clock():
    return FakeClock(berlin(2026, 6, 5, 17, 45))  # a Friday, 15 minutes before closing


@pytest.fixture
def sla_desk(database_url, clock):
    desk = Desk.start(database_url=database_url, clock=clock, **HOURS)
    yield desk
    desk.stop()


def nudges(desk, parent, word):
    return [t for t in desk.thread_texts(parent["ts"]) if word in t]


def sweep(desk):
    result = desk.runtime.sweeper.sweep()
    desk.runtime.sync.deliver_due()
    return result


def test_deadline_skips_the_weekend_and_each_level_is_posted_once(sla_desk, clock):
    desk = sla_desk
    parent = desk.parent_for(desk.mention("@acme my booking vanished"))
    assert "due Mon 09:45" in str(parent["blocks"])

    clock.set(berlin(2026, 6, 6, 12, 0))  # Saturday: closed, nothing is posted
    assert sweep(desk).closed_hours
    clock.set(berlin(2026, 6, 8, 9, 29))
    assert sweep(desk).posted == 0

    clock.set(berlin(2026, 6, 8, 9, 31))  # 45 business minutes used: the warning
    assert sweep(desk).posted == 1
    assert sweep(desk).posted == 0
    warning = wait_until(lambda: nudges(desk, parent, "nearly used"), message="warning")
    assert "Nobody has claimed this case yet" in warning[0]
    assert "due in 14 min" in str(desk.fresh_parent(parent["ts"])["blocks"])

    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    clock.set(berlin(2026, 6, 8, 9, 46))
    assert sweep(desk).posted == 1
    breach = wait_until(lambda: nudges(desk, parent, "target missed"), message="breach")
    assert f"<@{AGENT}>" in breach[0] and f"<@{LEAD}>" in breach[0] and f"<@{LEAD2}>" in breach[0]
    wait_until(lambda: "overdue by 1 min" in str(desk.fresh_parent(parent["ts"])["blocks"]),
               message="overdue on the parent")

    clock.set(berlin(2026, 6, 8, 10, 46))
    assert sweep(desk).posted == 1
    escalation = wait_until(lambda: nudges(desk, parent, "Escalation"), message="escalation")
    assert f"<@{LEAD}>" in escalation[0] and f"<@{AGENT}>" not in escalation[0]
    sla = desk.requests.command(user_id=LEAD, text="sla", channel_id=CHANNEL).json()["text"]
    assert "At risk or overdue (1)" in sla and "escalated" in sla and "overdue by 1 h 1 min" in sla

    clock.set(berlin(2026, 6, 9, 10, 0))
    assert sweep(desk).posted == 0
    assert desk.runtime.sweeper.sla.nudges(1) == [(0, "warning"), (0, "breach"),
                                                  (0, "escalation")]


def test_a_public_holiday_moves_the_deadline(database_url):
    clock = FakeClock(berlin(2026, 5, 22, 17, 45))  # Friday before Whit Monday
    desk = Desk.start(database_url=database_url, clock=clock, CARE_HOLIDAYS="DE-BE", **HOURS)
    try:
        parent = desk.parent_for(desk.mention("@acme any news on my refund?"))
        assert "due Tue 09:45" in str(parent["blocks"])
        clock.set(berlin(2026, 5, 25, 10, 0))  # Whit Monday: closed
        assert sweep(desk).closed_hours
        clock.set(berlin(2026, 5, 26, 9, 31))
        assert sweep(desk).posted == 1
    finally:
        desk.stop()


def test_closed_and_replied_cases_are_never_nudged(sla_desk, clock):
    desk = sla_desk
    closed = desk.parent_for(desk.mention("@acme where is gate B12?"))
    replied = desk.parent_for(desk.mention("@acme what time is check-in?", username="bob"))
    desk.click(closed, ActionId.CLOSE, user=AGENT, option="not_a_request")
    desk.wait_state(closed, "Ignored")
    desk.click(replied, ActionId.CLAIM, user=AGENT)
    desk.wait_state(replied, "Claimed")
    desk.draft(replied, "Check-in opens 24 h before departure.", user=AGENT)
    desk.wait_state(replied, "Awaiting approval")
    desk.click(replied, ActionId.APPROVE, user=LEAD)
    desk.wait_state(replied, "Replied")
    status = desk.requests.command(user_id=LEAD, text="status", channel_id=CHANNEL).json()
    assert "1 first responses · median 0 min" in status["text"]
    assert "100% within target" in status["text"]
    for day, hour in ((8, 9), (8, 12), (9, 12)):
        clock.set(berlin(2026, 6, day, hour, 0))
        assert sweep(desk).posted == 0
    assert desk.runtime.sweeper.sla.nudges(1) == [] and desk.runtime.sweeper.sla.nudges(2) == []


def test_levels_that_fall_due_at_closing_are_summed_up_once_at_opening(database_url):
    clock = FakeClock(berlin(2026, 6, 5, 17, 0))  # breach exactly at closing, 18:00
    desk = Desk.start(database_url=database_url, clock=clock, **HOURS)
    try:
        first = desk.parent_for(desk.mention("@acme flight AB1 delayed?"))
        second = desk.parent_for(desk.mention("@acme lost my bag", username="bob"))
        clock.set(berlin(2026, 6, 5, 17, 50))
        assert sweep(desk).posted == 2  # warnings at 17:45, in office hours
        clock.set(berlin(2026, 6, 5, 18, 0))
        assert sweep(desk).closed_hours
        clock.set(berlin(2026, 6, 8, 9, 5))
        result = sweep(desk)
        assert result.posted == 2 and result.summarised == 2
        assert sweep(desk).posted == 0
        summaries = wait_until(lambda: [m for m in desk.parents() if "desk was closed" in
                                        m.get("text", "")], message="summary")
        assert len(summaries) == 1
        assert "#1 @jane_doe" in summaries[0]["text"] and "#2 @bob" in summaries[0]["text"]
        assert nudges(desk, first, "target missed") == []
        assert nudges(desk, second, "target missed") == []
    finally:
        desk.stop()


def test_restart_in_the_middle_posts_no_level_twice(database_url, clock):
    desk = Desk.start(database_url=database_url, clock=clock, **HOURS)
    desk.mention("@acme hello, anyone? my flight is delayed and I need help")
    clock.set(berlin(2026, 6, 8, 9, 31))
    assert sweep(desk).posted == 1
    slack, x = desk.slack, desk.x
    desk.requests.session.close()
    from bot.web import stop_server

    stop_server(desk.server)
    desk.runtime.stop()
    again = Desk.start(database_url=database_url, clock=clock, slack=slack, x=x, **HOURS)
    try:
        assert sweep(again).posted == 0
        clock.set(berlin(2026, 6, 8, 9, 50))
        assert sweep(again).posted == 1
        parent = again.parents()[0]
        wait_until(lambda: nudges(again, parent, "target missed"), message="breach note")
        assert len(nudges(again, parent, "nearly used")) == 1
        assert len(nudges(again, parent, "target missed")) == 1
    finally:
        again.stop()


def test_concurrent_sweeps_post_each_level_once(sla_desk, clock):
    desk = sla_desk
    for i in range(5):
        desk.x.post_as_customer(username=f"c{i}",
                                text=f"@acme how do I get a refund for booking {i}?")
    desk.poll()
    wait_until(lambda: len(desk.parents()) == 5, message="5 parents")
    clock.set(berlin(2026, 6, 8, 9, 50))  # warning and breach both due
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            list(pool.map(lambda _: desk.runtime.sweeper.sweep(), range(4)))
    for case_id in range(1, 6):
        assert desk.runtime.sweeper.sla.nudges(case_id) == [(0, "warning"), (0, "breach")]


def test_care_mine_hours_help_and_a_large_queue(sla_desk, clock):
    desk = sla_desk
    answer = desk.requests.command(user_id=AGENT, text="mine", channel_id=CHANNEL).json()
    assert "no open cases" in answer["text"]
    empty = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert "The queue is empty" in empty["text"]
    for i in range(40):
        desk.x.post_as_customer(username=f"c{i}", text=f"@acme where is my bag, tag {i}?")
    desk.poll()
    wait_until(lambda: len(desk.parents()) == 40, timeout=20, message="40 parents")
    for parent in desk.parents()[:20]:
        desk.click(parent, ActionId.CLAIM, user=AGENT)
    wait_until(lambda: "20 open" in desk.requests.command(
        user_id=AGENT, text="status", channel_id=CHANNEL).json()["text"], message="claims")
    mine = desk.requests.command(user_id=AGENT, text="mine", channel_id=CHANNEL).json()["text"]
    assert "Your open cases (20)" in mine and "and 5 more" in mine
    assert mine.count("• ") == 15 and "due Mon 09:45" in mine
    clock.set(berlin(2026, 6, 8, 12, 0))
    sla = desk.requests.command(user_id=AGENT, text="sla", channel_id=CHANNEL).json()["text"]
    assert "At risk or overdue (40)" in sla and "and 25 more" in sla
    hours = desk.requests.command(user_id=AGENT, text="hours", channel_id=CHANNEL).json()["text"]
    assert "Mon-Fri 09:00-18:00 (Europe/Berlin)" in hours and "*open* now" in hours
    assert "We answer Mon-Fri 9-18 CEST, usually within an hour" in hours
    clock.set(berlin(2026, 6, 6, 12, 0))
    closed = desk.requests.command(user_id=AGENT, text="hours", channel_id=CHANNEL).json()["text"]
    assert "It opens Mon 08 Jun 09:00" in closed
    help_text = desk.requests.command(user_id=AGENT, text="help", channel_id=CHANNEL).json()
    assert "/care mine" in help_text["text"] and "/care sla" in help_text["text"]
