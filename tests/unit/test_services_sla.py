"""The response clock and the SLA sweep against storage on a throwaway database."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.case import CloseReason
from bot.domain.office_hours import OfficeHours
from bot.domain.sla import SlaPolicy
from bot.services.sla_clock import start_clock
from bot.services.sla_sweep import SlaSweeper
from storage.cases import CaseStore
from storage.channel_posts import ChannelPosts
from storage.sla import SlaStore
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    LEAD,
    OTHER_LEAD,
    Clock,
    Kicks,
    leads,
    make_desk,
    post,
)

WEEKDAYS = OfficeHours.parse(schedule="mon-fri 09:00-17:00", timezone="UTC")


def sweeper(db, clock: Clock, policy: SlaPolicy, kicks: Kicks | None = None) -> SlaSweeper:
    return SlaSweeper(sla=SlaStore(db), channel_posts=ChannelPosts(db), policy=policy,
                      leads=leads(), channel="C0CARE", clock=clock, kick=kicks or Kicks())


def case_with_clock(db, policy: SlaPolicy, *, start: datetime, minutes: int = 60,
                    assignee_id: str | None = None) -> int:
    case_id = CaseStore(db).open_case(post=post(at=start), channel="C0CARE", now=start,
                                      brand_id=BRAND[0], assignee_id=assignee_id,
                                      clock=start_clock(policy, start=start, minutes=minutes))
    assert case_id is not None
    return case_id


def test_a_new_clock_counts_office_minutes_and_starts_at_the_first_level():
    policy = SlaPolicy(hours=WEEKDAYS)
    friday_afternoon = datetime(2030, 1, 11, 16, 30, tzinfo=UTC)
    clock = start_clock(policy, start=friday_afternoon, minutes=60)
    assert clock.started_at == friday_afternoon and clock.minutes == 60
    # 30 minutes on Friday, the other 30 on Monday morning.
    assert clock.due_at == datetime(2030, 1, 14, 9, 30, tzinfo=UTC)
    assert clock.next_nudge_level == "warning"
    assert clock.next_nudge_at == datetime(2030, 1, 14, 9, 15, tzinfo=UTC)  # 75% of 60


def test_each_level_is_posted_once_and_the_case_moves_to_the_next(db):
    clock, kicks = Clock(), Kicks()
    policy = SlaPolicy(hours=OfficeHours())
    case_id = case_with_clock(db, policy, start=clock(), assignee_id=AGENT)
    sweep = sweeper(db, clock, policy, kicks)
    assert sweep.sweep().posted == 0 and SlaStore(db).nudges(case_id) == []
    clock.advance(minutes=46)
    assert sweep.sweep().posted == 1
    assert sweep.sweep().posted == 0  # the same level is not posted twice
    clock.advance(minutes=15)
    assert sweep.sweep().posted == 1
    clock.advance(minutes=60)
    assert sweep.sweep().posted == 1
    clock.advance(hours=5)
    assert sweep.sweep().posted == 0  # no level after escalation
    assert [level for _, level in SlaStore(db).nudges(case_id)] == ["warning", "breach",
                                                                    "escalation"]
    assert kicks.count == 3
    assert ChannelPosts(db).texts() == []  # nudges go to the case thread, not the channel


def test_nothing_is_swept_while_the_desk_is_closed(db):
    policy = SlaPolicy(hours=WEEKDAYS)
    clock = Clock()
    case_with_clock(db, policy, start=clock())
    clock.now = datetime(2030, 1, 12, 11, tzinfo=UTC)  # Saturday
    result = sweeper(db, clock, policy).sweep()
    assert result.closed_hours and result.posted == 0


def test_levels_that_fell_due_overnight_are_summed_up_once_at_opening(db):
    policy = SlaPolicy(hours=WEEKDAYS)
    clock = Clock()
    clock.now = datetime(2030, 1, 7, 16, 30, tzinfo=UTC)  # Monday, half an hour before closing
    first = case_with_clock(db, policy, start=clock(), minutes=30)
    second = case_with_clock(db, policy, start=clock(), minutes=30, assignee_id=AGENT)
    clock.now = datetime(2030, 1, 8, 9, 30, tzinfo=UTC)  # Tuesday, after opening
    result = sweeper(db, clock, policy).sweep()
    assert result.summarised == 2 and result.posted == 2
    summaries = ChannelPosts(db).texts()
    assert len(summaries) == 1
    assert f"<@{LEAD}>" in summaries[0] and f"<@{OTHER_LEAD}>" in summaries[0]
    assert SlaStore(db).nudges(first) == [(0, "warning")]
    assert SlaStore(db).nudges(second) == [(0, "warning")]


def test_a_closed_case_is_nudged_no_more(db):
    clock = Clock()
    policy = SlaPolicy(hours=OfficeHours())
    case_id = case_with_clock(db, policy, start=clock())
    desk = make_desk(db, clock)
    assert desk.claim(case_id=case_id, user_id=AGENT).ok
    clock.advance(minutes=50)
    assert sweeper(db, clock, policy).sweep().posted == 1  # the warning
    assert desk.close(case_id=case_id, user_id=AGENT, reason=CloseReason.RESOLVED).ok
    clock.advance(hours=3)
    assert sweeper(db, clock, policy).sweep().posted == 0
    assert SlaStore(db).due(now=clock()) == []
    assert [level for _, level in SlaStore(db).nudges(case_id)] == ["warning"]
