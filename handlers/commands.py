"""The /care slash command: every answer is ephemeral (only the caller sees it)."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.render import care_answers, strings
from bot.render.mrkdwn import escape
from handlers.context import HandlerServices

log = logging.getLogger(__name__)


def register(app: App, services: HandlerServices) -> None:
    report = services.report
    answers = {
        "status": lambda user: report.status(),
        "mine": report.mine,
        "sla": lambda user: report.at_risk(),
        "hours": lambda user: report.hours(),
        "help": lambda user: care_answers.HELP,
        "": lambda user: care_answers.HELP,
    }

    @app.command("/care")
    def care(ack, command):
        sub = (command.get("text") or "").strip().split(" ", 1)[0].lower()
        answer = answers.get(sub)
        try:
            text = answer(command.get("user_id", "")) if answer else \
                care_answers.unknown(escape(sub[:30]))
        except Exception:
            log.exception("/care %s failed", sub[:30])
            text = strings.SOMETHING_WENT_WRONG
        ack(text=text, response_type="ephemeral")
