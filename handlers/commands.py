"""The /care slash command: every answer is ephemeral (only the caller sees it).

Each subcommand has one named function (see :data:`SUBCOMMANDS`) that calls one service
and returns the text to answer with; ``/care filtered`` answers with blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App

from bot.render import care_answers, replies_text, strings
from bot.render.mrkdwn import escape
from handlers.context import HandlerServices
from handlers.report_command import run_report_command

log = logging.getLogger(__name__)

Subcommand = Callable[[HandlerServices, str, str], str]
"""``(services, user_id, rest of the text) -> answer``."""


def status(services: HandlerServices, user_id: str, rest: str) -> str:
    return services.report.status()


def mine(services: HandlerServices, user_id: str, rest: str) -> str:
    return services.report.mine(user_id)


def at_risk(services: HandlerServices, user_id: str, rest: str) -> str:
    return services.report.at_risk()


def hours(services: HandlerServices, user_id: str, rest: str) -> str:
    faq_url = services.replies.faq_url if services.replies else None
    return services.report.hours(faq_url=faq_url) + replies_text.faq_line(faq_url)


def saved_replies(services: HandlerServices, user_id: str, rest: str) -> str:
    if services.replies is None:
        return replies_text.NO_REPLIES
    if rest.strip().lower() == "reload":
        return services.replies.reload(user_id=user_id)
    return services.replies.listing()


def crisis(services: HandlerServices, user_id: str, rest: str) -> str:
    return services.triage.crisis_command(args=rest, user_id=user_id)


def signature(services: HandlerServices, user_id: str, rest: str) -> str:
    return services.people.set_signature(user_id=user_id, text=rest)


def help_text(services: HandlerServices, user_id: str, rest: str) -> str:
    return care_answers.HELP


SUBCOMMANDS: dict[str, Subcommand] = {
    "status": status,
    "mine": mine,
    "sla": at_risk,
    "hours": hours,
    "crisis": crisis,
    "signature": signature,
    "replies": saved_replies,
    "help": help_text,
    "": help_text,
}


def register(app: App, services: HandlerServices) -> None:
    @app.command("/care")
    def care(ack, command):
        sub, _, rest = (command.get("text") or "").strip().partition(" ")
        sub = sub.lower()
        user_id = command.get("user_id", "")
        try:
            if sub == "filtered":
                blocks, text = services.triage.listing()
                ack(text=text, blocks=blocks, response_type="ephemeral")
                return
            if sub == "report" and services.period_reports is not None:
                run_report_command(ack, reports=services.period_reports, slack=services.slack,
                                   user_id=user_id, channel_id=command.get("channel_id", ""),
                                   rest=rest)
                return
            run = SUBCOMMANDS.get(sub)
            text = run(services, user_id, rest) if run else care_answers.unknown(escape(sub[:30]))
        except Exception:
            log.exception("/care %s failed", sub[:30])
            text = strings.SOMETHING_WENT_WRONG
        ack(text=text, response_type="ephemeral")
