"""Each Slack event id is handled once, by whichever instance records it first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.slack_events import EventsOnce
from storage.events import SlackEvents

NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)


def test_an_event_is_first_only_once_across_instances(db):
    one, other = EventsOnce(SlackEvents(db)), EventsOnce(SlackEvents(db))
    assert one.first_time(event_id="Ev01", now=NOW)
    assert not one.first_time(event_id="Ev01", now=NOW)
    assert not other.first_time(event_id="Ev01", now=NOW + timedelta(minutes=5))
    assert other.first_time(event_id="Ev02", now=NOW)


def test_old_ids_are_forgotten_and_recent_ones_kept(db):
    once = EventsOnce(SlackEvents(db))
    once.first_time(event_id="EvOld", now=NOW - timedelta(days=3))
    once.first_time(event_id="EvNew", now=NOW - timedelta(hours=1))
    assert once.forget_old(now=NOW) == 1
    assert once.first_time(event_id="EvOld", now=NOW)
    assert not once.first_time(event_id="EvNew", now=NOW)
