"""``/care quarantine`` (posts that could not be read) and their **Retry** button."""

from __future__ import annotations

from slack_bolt import App

from bot.render.ids import ActionId
from bot.services.intake import Intake
from bot.services.quarantine import Quarantine
from handlers.context import HandlerServices, guarded, read_click


def is_quarantine_command(command: dict) -> bool:
    return (command.get("text") or "").strip().lower().split(" ")[0:1] == ["quarantine"]


def register(app: App, services: HandlerServices, *, quarantine: Quarantine,
             intake: Intake) -> None:
    """Register before the other /care listeners: this one answers only its subcommand."""

    @app.command("/care", matchers=[is_quarantine_command])
    def listing(ack):
        blocks, text = quarantine.listing()
        ack(text=text, blocks=blocks, response_type="ephemeral")

    @app.action(ActionId.QUARANTINE_RETRY.value)
    def retry(ack, body):
        ack()
        click = read_click(body)
        if click.value.isdigit():
            guarded(services, click, lambda: quarantine.retry(item_id=int(click.value),
                                                             receive=intake.receive))
