"""The praise lane's buttons (**Like**, **Thank**, **Make it a case**; named listeners in
``handlers.case_actions.LISTENERS``) and the ``/care praise`` and ``/care triage`` answers."""

from __future__ import annotations

from slack_bolt import App

from bot.render import praise_blocks
from bot.render.actions import PostRef
from bot.render.modals import draft_modal
from bot.services.desk import Outcome
from handlers.context import Click, HandlerServices, payload_as

SUBCOMMANDS = ("praise", "triage")


def is_praise_command(command: dict) -> bool:
    return (command.get("text") or "").strip().lower().split(" ")[0] in SUBCOMMANDS


def register(app: App, services: HandlerServices) -> None:
    """Register before the other /care listeners: this one answers only its subcommands."""

    @app.command("/care", matchers=[is_praise_command])
    def praise_or_triage(ack, command):
        if services.praise is None or services.learning is None:
            ack(text=praise_blocks.NOT_RUNNING, response_type="ephemeral")
        elif (command.get("text") or "").strip().lower().startswith("triage"):
            ack(text=services.learning.week(), response_type="ephemeral")
        else:
            blocks, text = services.praise.listing()
            ack(text=text, blocks=blocks, response_type="ephemeral")


def like_praise(click: Click, services: HandlerServices) -> str:
    if services.praise is None:
        return praise_blocks.NOT_RUNNING
    return services.praise.like(post_id=payload_as(click, PostRef).post_id,
                                user_id=click.user_id)


def thank_praise(click: Click, services: HandlerServices) -> Outcome | str | None:
    """Open (or find) the praise case, then the draft modal on it."""
    if services.praise is None:
        return praise_blocks.NOT_RUNNING
    outcome = services.praise.thank(post_id=payload_as(click, PostRef).post_id,
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


def make_case_of_praise(click: Click, services: HandlerServices) -> str | None:
    if services.praise is None:
        return praise_blocks.NOT_RUNNING
    return services.praise.make_case(post_id=payload_as(click, PostRef).post_id,
                                     user_id=click.user_id).message
