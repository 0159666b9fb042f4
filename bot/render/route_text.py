"""Sentences about the triage chart's routes (plain mrkdwn text, ids only)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.model import Case
from bot.domain.routes import Route
from bot.domain.transition import CaseEvent
from bot.render.mrkdwn import safe

SYSTEM_ACTOR = "system"


def unreachable(route: Route | None, *, care_channel: str) -> str:
    """Said in the care channel at start-up for a route whose channel the bot cannot use."""
    if route is None:
        return ""
    return (f":warning: Route *{route.name}*: I cannot post in <#{route.channel}> (a private "
            f"channel must invite me: `/invite @care desk`). Its cases come to <#{care_channel}> "
            "marked with the route until I am in.")


def reachable(route: Route | None) -> str:
    """Said in the care channel once a route's channel takes the bot's posts."""
    if route is None:
        return ""
    return (f":white_check_mark: Route *{route.name}*: I can post in <#{route.channel}> now; "
            "its new cases go there. Cases that waited here can go with *Route to…*.")


NO_SUCH_CASE = "That case no longer exists."
CLOSED = "A closed case stays where it is; reopen it first."
NOT_POSTED_YET = "The case is still being posted; try again in a moment."
NOT_ALLOWED = "Only a lead of this route or the case's assignee can route it."
UNKNOWN_ROUTE = "Choose another route of the chart."
CHANGED_MEANWHILE = "The case changed meanwhile; open Route to… again."
MAX_HISTORY_LINES = 40


def moved_marker(*, channel: str, by: str) -> str:
    """The old parent's new text, once the case has moved."""
    return f":twisted_rightwards_arrows: Moved to <#{channel}> by <@{by}>."


def moved_marker_with_link(marker: str, *, link: str) -> str:
    return f"{marker} <{link}|Continue there>"


def history(*, case: Case, events: list[CaseEvent], by: str, tz: ZoneInfo) -> str:
    """The first note of the new thread: where the case came from and what happened."""
    came_from = f"<#{case.slack_channel}>"
    if case.slack_ts:
        came_from += f" (<{archive_link(case.slack_channel, case.slack_ts)}|the old thread>)"
    lines = [f":twisted_rightwards_arrows: Routed here from {came_from} by <@{by}>. "
             "The story so far:"]
    for event in events[-MAX_HISTORY_LINES:]:
        when = event.at.astimezone(tz).strftime("%d %b %H:%M")
        who = "the desk" if event.actor == SYSTEM_ACTOR else f"<@{safe(event.actor, 32)}>"
        detail = f": {safe(event.detail, 200)}" if event.detail else ""
        lines.append(f"• {when} {who} {safe(event.action, 32)}{detail}")
    return "\n".join(lines)


def archive_link(channel: str, ts: str) -> str:
    """A link to a message that Slack resolves in any workspace the reader is in."""
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"

NO_CHART = "There is no triage chart (CARE_ROUTES_FILE) to route cases by."
