"""``/care quarantine`` (posts that could not be read) and their **Retry** button."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.render.actions import QuarantineRef
from bot.render.ids import ActionId
from bot.services.desk import Outcome
from bot.services.intake import Intake
from bot.services.quarantine import Quarantine
from handlers.context import CLICK, Click, HandlerServices, answer, payload_as


def is_quarantine_command(command: dict) -> bool:
    return (command.get("text") or "").strip().lower().split(" ")[0:1] == ["quarantine"]


def register(app: App, services: HandlerServices, *, quarantine: Quarantine,
             intake: Intake) -> None:
    """Register before the other /care listeners: this one answers only its subcommand."""

    @app.command("/care", matchers=[is_quarantine_command])
    def list_quarantine(ack):
        blocks, text = quarantine.listing()
        ack(text=text, blocks=blocks, response_type="ephemeral")

    app.action(ActionId.QUARANTINE_RETRY.value)(_retry_listener(services, quarantine, intake))


def _retry_listener(services: HandlerServices, quarantine: Quarantine,
                    intake: Intake) -> Callable:
    def retry_quarantined(click: Click, _services: HandlerServices) -> Outcome | str:
        item = payload_as(click, QuarantineRef)
        return quarantine.retry(item_id=item.item_id, receive=intake.receive)

    def ack_then_retry(ack, context):
        ack()
        click = context[CLICK]
        services.after_ack(lambda: answer(services, click, retry_quarantined))

    return ack_then_retry
