"""What handlers need, and small readers of Slack payloads shared by the listener groups."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.render import strings
from bot.render.ids import BadReference, CaseRef
from bot.services.desk import CareDesk, Outcome
from bot.services.moderation import Moderation
from bot.services.people import People
from bot.services.queue_report import QueueReport
from bot.services.triage_actions import TriageActions
from bot.slack_out import SlackOut

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandlerServices:
    desk: CareDesk
    slack: SlackOut
    report: QueueReport
    people: People
    brand_id: Callable[[], str]
    moderation: Moderation
    triage: TriageActions


@dataclass(frozen=True)
class Click:
    user_id: str
    channel_id: str | None
    message_ts: str | None
    value: str


def read_click(body: dict) -> Click:
    action = (body.get("actions") or [{}])[0]
    value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    container = body.get("container") or {}
    message = body.get("message") or {}
    return Click(user_id=(body.get("user") or {}).get("id", ""),
                 channel_id=(body.get("channel") or {}).get("id") or container.get("channel_id"),
                 message_ts=message.get("ts") or container.get("message_ts"),
                 value=value)


def case_ref(raw: str) -> CaseRef | None:
    try:
        return CaseRef.decode(raw)
    except BadReference:
        log.warning("ignored a click with a value this app did not write")
        return None


def tell(services: HandlerServices, click: Click, outcome: Outcome | str | None) -> None:
    """Answer the clicking user privately when there is something to say."""
    message = outcome if isinstance(outcome, str) else (outcome.message if outcome else None)
    if message and click.channel_id:
        services.slack.ephemeral(channel=click.channel_id, user=click.user_id, text=message,
                                 thread_ts=None)


def guarded(services: HandlerServices, click: Click, work: Callable[[], Outcome | None]) -> None:
    try:
        tell(services, click, work())
    except Exception:
        log.exception("handling a click failed")
        tell(services, click, strings.SOMETHING_WENT_WRONG)
