"""``/care quarantine`` (posts that could not be read) and their **Retry** button."""

from __future__ import annotations

from slack_bolt import App

from bot.render.actions import QuarantineRef
from bot.render.quarantine_blocks import NOT_KEPT
from handlers.context import Click, HandlerServices, payload_as


def is_quarantine_command(command: dict) -> bool:
    return (command.get("text") or "").strip().lower().split(" ")[0:1] == ["quarantine"]


def register(app: App, services: HandlerServices) -> None:
    """Register before the other /care listeners: this one answers only its subcommand."""

    @app.command("/care", matchers=[is_quarantine_command])
    def list_quarantine(ack):
        quarantine = services.intake.quarantine
        if quarantine is None:
            ack(text=NOT_KEPT, response_type="ephemeral")
            return
        blocks, text = quarantine.listing()
        ack(text=text, blocks=blocks, response_type="ephemeral")


def retry_quarantined(click: Click, services: HandlerServices) -> str:
    """Retry: take a quarantined post in again (case_actions.LISTENERS registers it)."""
    item = payload_as(click, QuarantineRef)
    quarantine = services.intake.quarantine
    if quarantine is None:
        return NOT_KEPT
    return quarantine.retry(item_id=item.item_id, receive=services.intake.receive)
