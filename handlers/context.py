"""What handlers need, the one reader of a click, and how a click is answered.

Every ``block_actions`` request passes :func:`decode_clicks` first: it reads who clicked
where and turns the action's value into a typed payload (``bot.render.actions``), or
refuses the click with an ephemeral answer. Listeners then take ``context["click"]``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from slack_bolt import BoltResponse

from bot.render import handler_text, strings
from bot.render.actions import ActionPayload, decode_action
from bot.render.ids import ActionId, BadReference
from bot.services.desk import CareDesk, Outcome
from bot.services.home_tab import HomeTab
from bot.services.intake import Intake
from bot.services.learning import Learning
from bot.services.moderation import Moderation
from bot.services.people import People
from bot.services.period_report import PeriodReports
from bot.services.phone import PhoneDesk
from bot.services.praise import PraiseLane
from bot.services.queue_report import QueueReport
from bot.services.route_to import CaseRouter
from bot.services.saved_replies import ReplyDesk
from bot.services.triage_actions import TriageActions
from bot.slack_out import SlackOut

log = logging.getLogger(__name__)

P = TypeVar("P")

CLICK = "click"
"""The key of the decoded ``Click`` in Bolt's request context."""


def run_now(work: Callable[[], object]) -> None:
    work()


@dataclass(frozen=True)
class HandlerServices:
    desk: CareDesk
    slack: SlackOut
    report: QueueReport
    people: People
    brand_id: Callable[[], str]
    moderation: Moderation
    triage: TriageActions
    intake: Intake
    praise: PraiseLane | None = None
    learning: Learning | None = None
    period_reports: PeriodReports | None = None
    replies: ReplyDesk | None = None
    phone: PhoneDesk | None = None
    home: HomeTab | None = None
    router: CaseRouter | None = None
    after_ack: Callable[[Callable[[], object]], object] = run_now
    """Runs a click's work once it is acked; the runtime gives its own bounded pool, so
    an ack never waits for a thread that is busy with database work."""


@dataclass(frozen=True)
class Place:
    """Who clicked, and where: enough to answer them privately."""

    user_id: str
    channel_id: str | None
    message_ts: str | None
    trigger_id: str | None
    view: dict | None = None
    """The modal or Home tab the click came from (its id, hash, metadata and state)."""


@dataclass(frozen=True)
class Click:
    """A decoded click: where it happened, which action, and its typed payload."""

    place: Place
    action: ActionId
    payload: ActionPayload

    @property
    def user_id(self) -> str:
        return self.place.user_id


def read_place(body: dict) -> Place:
    container = body.get("container") or {}
    message = body.get("message") or {}
    return Place(user_id=str((body.get("user") or {}).get("id") or ""),
                 channel_id=(body.get("channel") or {}).get("id") or container.get("channel_id"),
                 message_ts=message.get("ts") or container.get("message_ts"),
                 trigger_id=body.get("trigger_id"),
                 view=body.get("view") if isinstance(body.get("view"), dict) else None)


def read_click(body: dict) -> Click:
    """The click in a ``block_actions`` body; :class:`BadReference` if this app did not
    write its action or value."""
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else None
    if not isinstance(action, dict):
        raise BadReference("a click without an action")
    raw = action.get("value") or (action.get("selected_option") or {}).get("value")
    action_id, payload = decode_action(action.get("action_id"), raw)
    return Click(place=read_place(body), action=action_id, payload=payload)


def decode_clicks(services: HandlerServices) -> Callable:
    """A Bolt middleware: decode each click once, or refuse it before any listener runs."""

    def decode_click(body, context, next):  # noqa: A002 - Bolt's argument name
        if body.get("type") != "block_actions":
            return next()
        try:
            context[CLICK] = read_click(body)
        except BadReference as exc:
            log.warning("refused a click this app did not write: %s", exc)
            tell(services, read_place(body), handler_text.NOT_OUR_BUTTON)
            return BoltResponse(status=200, body="")
        return next()

    return decode_click


def tell(services: HandlerServices, place: Place, outcome: Outcome | str | None) -> None:
    """Answer the clicking user privately when there is something to say."""
    message = outcome if isinstance(outcome, str) else (outcome.message if outcome else None)
    if message and place.channel_id and place.user_id:
        services.slack.ephemeral(channel=place.channel_id, user=place.user_id, text=message,
                                 thread_ts=None)


def payload_as(click: Click, kind: type[P]) -> P:
    """The click's payload as ``kind`` (the codec's table decides which kind an action has)."""
    if not isinstance(click.payload, kind):
        raise BadReference(f"{click.action.value} does not carry a {kind.__name__}")
    return click.payload


def answer(services: HandlerServices, click: Click,
           listener: Callable[[Click, HandlerServices], Outcome | None]) -> None:
    """Run ``listener`` and tell the user its outcome; a failure is logged, never shown raw."""
    try:
        tell(services, click.place, listener(click, services))
    except Exception:
        log.exception("handling %s failed", click.action.value)
        tell(services, click.place, strings.SOMETHING_WENT_WRONG)
