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
        "signature": None,
        "crisis": None,
        "": lambda user: care_answers.HELP,
    }

    @app.command("/care")
    def care(ack, command):
        sub, _, rest = (command.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        answer = answers.get(sub)
        user_id = command.get("user_id", "")
        try:
            if sub == "filtered":
                blocks, text = services.triage.listing()
                ack(text=text, blocks=blocks, response_type="ephemeral")
                return
            if sub == "crisis":
                text = services.triage.crisis_command(args=rest, user_id=user_id)
            elif sub == "signature":
                text = services.people.set_signature(user_id=user_id, text=rest)
            else:
                text = answer(user_id) if answer else care_answers.unknown(escape(sub[:30]))
        except Exception:
            log.exception("/care %s failed", sub[:30])
            text = strings.SOMETHING_WENT_WRONG
        ack(text=text, response_type="ephemeral")
