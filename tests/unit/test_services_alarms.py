"""Alarms about listening to X against storage on a throwaway database."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.office_hours import OfficeHours
from bot.render import alarm_text
from bot.services.alarms import Alarms, needs_a_person
from bot.x.client import XError, XRateLimited, XRejected
from storage.channel_posts import ChannelPosts
from storage.screening import SharedState
from tests.unit.services_kit import LEAD, Clock, Kicks, leads


def alarms(db, clock: Clock, *, hours: OfficeHours | None = None, silence_hours: float = 2,
           kicks: Kicks | None = None) -> Alarms:
    return Alarms(state=SharedState(db), channel_posts=ChannelPosts(db), channel="C0CARE",
                  hours=hours or OfficeHours(), silence_hours=silence_hours, leads=leads(),
                  clock=clock, kick=kicks or Kicks())


def test_only_errors_a_person_must_fix_raise_an_alarm():
    assert needs_a_person(XRejected("X answered 401: unauthorized", 401)) \
        == alarm_text.FIX_CREDENTIALS
    assert needs_a_person(XRejected("X answered 402: payment required", 402)) \
        == alarm_text.FIX_CREDITS
    assert needs_a_person(XRejected("X answered 403: forbidden", 403)) == alarm_text.FIX_ACCESS
    assert needs_a_person(XRateLimited("X answered 429: UsageCapExceeded", None)) \
        == alarm_text.FIX_CAP
    assert needs_a_person(XRateLimited("X answered 429: too many requests", None)) is None
    assert needs_a_person(XError("connection dropped")) is None


def test_a_failing_poll_is_told_once_and_its_recovery_once(db):
    clock, kicks = Clock(), Kicks()
    service = alarms(db, clock, kicks=kicks)
    refused = XRejected("X answered 401: unauthorized", 401)
    service.poll_failed(source="mentions", error=refused)
    service.poll_failed(source="mentions", error=refused)
    service.poll_failed(source="search", error=XError("timeout"))  # passing: no alarm
    texts = ChannelPosts(db).texts()
    assert len(texts) == 1
    assert "unauthorized" in texts[0] and alarm_text.FIX_CREDENTIALS in texts[0]
    assert f"<@{LEAD}>" in texts[0]
    service.poll_succeeded(source="mentions", posts=1)
    service.poll_succeeded(source="mentions", posts=1)
    texts = ChannelPosts(db).texts()
    assert texts[1:] == [alarm_text.poll_recovered(source="mentions")]
    assert kicks.count == 2


def test_silence_in_office_hours_is_told_once_and_its_end_once(db):
    clock = Clock()
    service = alarms(db, clock, silence_hours=2)
    service.poll_succeeded(source="mentions", posts=1)
    clock.advance(hours=1)
    service.poll_succeeded(source="mentions", posts=0)
    assert ChannelPosts(db).texts() == []
    clock.advance(hours=1, minutes=1)
    service.poll_succeeded(source="mentions", posts=0)
    service.poll_succeeded(source="mentions", posts=0)
    assert ChannelPosts(db).texts() == [alarm_text.silence(hours=2, leads=leads().mention_list())]
    service.poll_succeeded(source="mentions", posts=2)
    assert ChannelPosts(db).texts()[1:] == [alarm_text.SILENCE_OVER]


def test_quiet_hours_while_the_desk_is_closed_do_not_count_as_silence(db):
    clock = Clock()
    weekdays = OfficeHours.parse(schedule="mon-fri 09:00-17:00", timezone="UTC")
    clock.now = datetime(2030, 1, 11, 16, 30, tzinfo=UTC)  # Friday afternoon
    service = alarms(db, clock, hours=weekdays, silence_hours=2)
    service.poll_succeeded(source="mentions", posts=1)
    clock.now = datetime(2030, 1, 14, 9, 30, tzinfo=UTC)  # Monday: one office hour later
    service.poll_succeeded(source="mentions", posts=0)
    assert ChannelPosts(db).texts() == []


def test_two_desks_sharing_the_state_post_an_alarm_once(db):
    clock = Clock()
    first, second = alarms(db, clock), alarms(db, clock)
    refused = XRejected("X answered 402: payment required", 402)
    first.poll_failed(source="dms", error=refused)
    second.poll_failed(source="dms", error=refused)
    assert len(ChannelPosts(db).texts()) == 1
