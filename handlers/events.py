"""Slack events: each handled once (by event id), and a welcome for new care agents."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_bolt import App, BoltResponse

from bot.render.handler_text import WELCOME
from bot.services.slack_events import EventsOnce

log = logging.getLogger(__name__)

__all__ = ["WELCOME", "register"]


def register(app: App, *, events: EventsOnce, clock: Callable[[], datetime],
             care_channel: str, welcome: Callable[[str, str], None]) -> None:
    @app.middleware
    def handle_each_event_once(body, next):  # noqa: A002 - Bolt's argument name
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not events.first_time(event_id=str(event_id), now=clock()):
            log.info("event %s was handled already (a retry); acknowledged", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.event("member_joined_channel")
    def welcome_new_member(event):
        if event.get("channel") == care_channel and event.get("user"):
            welcome(event["channel"], event["user"])

