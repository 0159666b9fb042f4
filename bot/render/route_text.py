"""Sentences about the triage chart's routes (plain mrkdwn text, ids only)."""

from __future__ import annotations

from bot.domain.routes import Route


def unreachable(route: Route | None, *, care_channel: str) -> str:
    """Said in the care channel at start-up for a route whose channel the bot cannot use."""
    if route is None:
        return ""
    return (f":warning: Route *{route.name}*: I cannot post in <#{route.channel}> (a private "
            f"channel must invite me: `/invite @care desk`). Its cases come to <#{care_channel}> "
            "marked with the route until then; restart me once I am in.")

