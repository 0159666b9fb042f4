"""The praise lane's buttons (**Like**, **Thank**, **Make it a case**) and the
``/care praise`` and ``/care triage`` answers."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.render.actions import PostRef
from bot.render.ids import ActionId
from bot.render.modals import draft_modal
from bot.services.desk import Outcome
from bot.services.learning import Learning
from bot.services.praise import PraiseLane
from handlers.context import CLICK, Click, HandlerServices, answer, payload_as

SUBCOMMANDS = ("praise", "triage")


def is_praise_command(command: dict) -> bool:
    return (command.get("text") or "").strip().lower().split(" ")[0] in SUBCOMMANDS


def register(app: App, services: HandlerServices, *, praise: PraiseLane,
             learning: Learning) -> None:
    """Register before the other /care listeners: this one answers only its subcommands."""

    @app.command("/care", matchers=[is_praise_command])
    def praise_or_triage(ack, command):
        if (command.get("text") or "").strip().lower().startswith("triage"):
            ack(text=learning.week(), response_type="ephemeral")
            return
        blocks, text = praise.listing()
        ack(text=text, blocks=blocks, response_type="ephemeral")

    def like(click: Click, _services: HandlerServices) -> str:
        return praise.like(post_id=payload_as(click, PostRef).post_id, user_id=click.user_id)

    def thank(click: Click, services: HandlerServices) -> Outcome | str | None:
        outcome = praise.thank(post_id=payload_as(click, PostRef).post_id,
                               user_id=click.user_id)
        if outcome.case_id is None:
            return outcome.message
        allowed = services.desk.can_draft(case_id=outcome.case_id, user_id=click.user_id)
        if not allowed.ok:
            return allowed
        latest = allowed.case.latest_draft
        services.slack.open_view(trigger_id=click.place.trigger_id or "", view=draft_modal(
            case=allowed.case, initial_text=latest.text if latest else "",
            initial_channel=latest.channel if latest else None,
            signature=services.desk.signature(click.user_id)))
        return outcome.message

    def make_case(click: Click, _services: HandlerServices) -> str | None:
        return praise.make_case(post_id=payload_as(click, PostRef).post_id,
                                user_id=click.user_id).message

    for action, listener in ((ActionId.PRAISE_LIKE, like), (ActionId.PRAISE_THANK, thank),
                             (ActionId.PRAISE_MAKE_CASE, make_case)):
        app.action(action.value)(_acknowledged(listener, services))


def _acknowledged(listener: Callable, services: HandlerServices) -> Callable:
    def ack_then_answer(ack, context):
        ack()
        answer(services, context[CLICK], listener)

    ack_then_answer.__qualname__ = f"ack_then_answer[{listener.__name__}]"
    return ack_then_answer
