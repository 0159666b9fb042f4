"""Handling each Slack event once: Slack retries an event it thinks was missed, and
several instances may each receive a copy. The database decides which is the first.

Example::

    once = EventsOnce(SlackEvents(db))
    if once.first_time(event_id="Ev01", now=now):
        handle(event)
"""

from __future__ import annotations

from datetime import datetime

from storage.events import SlackEvents


class EventsOnce:
    def __init__(self, events: SlackEvents) -> None:
        self.events = events

    def first_time(self, *, event_id: str, now: datetime) -> bool:
        """True for the first delivery of ``event_id`` (by any instance), False after."""
        return self.events.first_time(event_id=event_id, now=now)

    def forget_old(self, *, now: datetime) -> int:
        """Drop ids older than any retry Slack would still send; returns how many."""
        return self.events.forget_old(now=now)
