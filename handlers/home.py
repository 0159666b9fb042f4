"""The Home tab listener: ``app_home_opened`` publishes the user's view."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.services.home_tab import HomeTab

log = logging.getLogger(__name__)


def register(app: App, *, home: HomeTab) -> None:
    @app.event("app_home_opened")
    def opened(event):
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        try:
            home.publish(str(event["user"]))
        except Exception:
            log.exception("publishing the Home tab failed")
