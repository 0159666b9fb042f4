"""The /care slash command: answers are ephemeral (only the caller sees them)."""

from __future__ import annotations

from slack_bolt import App

from bot.render.mrkdwn import escape
from handlers.context import HandlerServices

HELP = ("*/care* commands:\n"
        "• `/care status`: the queue at a glance\n"
        "• `/care help`: this list")


def register(app: App, services: HandlerServices) -> None:
    @app.command("/care")
    def care(ack, command):
        sub = (command.get("text") or "").strip().split(" ", 1)[0].lower()
        if sub == "status":
            ack(text=services.status(), response_type="ephemeral")
        elif sub in ("", "help"):
            ack(text=HELP, response_type="ephemeral")
        else:
            ack(text=f"I don't know `/care {escape(sub[:30])}`.\n{HELP}",
                response_type="ephemeral")
