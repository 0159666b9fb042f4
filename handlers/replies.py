"""Saved replies in the case flow: Use on a suggestion, the draft modal's type-ahead and
the reply chosen there.

Use opens the draft modal with the reply filled in; choosing one in the modal replaces
the text box through ``views.update`` with a new block id (Slack keeps typed text in a
block it already knows). The options request is answered from the database at once.
"""

from __future__ import annotations

import secrets

from slack_bolt import App

from bot.domain.model import Case, Channel
from bot.domain.saved_replies import Channel as ReplyChannel
from bot.render import replies_text
from bot.render.actions import ReplyChoice
from bot.render.ids import ActionId, BadReference, BlockId, CaseRef, InputId
from bot.render.modals import draft_modal
from bot.render.replies_blocks import filled_note, reply_options
from bot.services.desk import Outcome
from handlers.context import Click, HandlerServices, payload_as


def _channel_for(case: Case, reply_channel: ReplyChannel, chosen: str | None) -> Channel:
    if not case.public_reply_allowed or case.moved_to_dm:
        return Channel.DM
    if reply_channel is ReplyChannel.DM:
        return Channel.DM
    if reply_channel is ReplyChannel.PUBLIC:
        return Channel.PUBLIC
    return Channel(chosen) if chosen in (Channel.PUBLIC.value, Channel.DM.value) \
        else case.default_channel


def filled_draft_modal(services: HandlerServices, *, case: Case, reply_id: int, user_id: str,
                       chosen_channel: str | None = None) -> dict | str:
    """The draft modal with saved reply ``reply_id`` filled in, or why it cannot be."""
    stored = services.replies.get(reply_id)
    if stored is None or stored.retired:
        return replies_text.NO_SUCH_REPLY if stored is None else replies_text.RETIRED
    channel = _channel_for(case, stored.reply.channel, chosen_channel)
    filled = services.replies.fill(case=case, reply_id=reply_id, user_id=user_id,
                                   kind="dm" if channel is Channel.DM else "public")
    if filled is None:
        return replies_text.NO_SUCH_REPLY
    text = filled.resolved.text if filled.resolved else stored.reply.text
    note = filled_note(title=stored.reply.title,
                       weighted_length=filled.resolved.weighted_length if filled.resolved
                       else None, problem=filled.problem, public=channel is Channel.PUBLIC)
    return draft_modal(case=case, initial_text=text, initial_channel=channel,
                       signature=services.desk.signature(user_id), saved_replies=True,
                       text_block_id=f"{BlockId.DRAFT_TEXT.value}.{reply_id}."
                                     f"{secrets.token_hex(3)}", note=note)


def use_reply(click: Click, services: HandlerServices) -> Outcome | None:
    """Use on a suggested reply: the draft modal, filled in (the agent must hold the case)."""
    choice = payload_as(click, ReplyChoice)
    allowed = services.desk.can_draft(case_id=choice.case_id, user_id=click.user_id)
    if not allowed.ok:
        return allowed
    view = filled_draft_modal(services, case=allowed.case, reply_id=choice.reply_id,
                              user_id=click.user_id)
    if isinstance(view, str):
        return Outcome(False, allowed.case, view)
    services.slack.open_view(trigger_id=click.place.trigger_id or "", view=view)
    return None


def _chosen_channel(view: dict) -> str | None:
    values = (view.get("state") or {}).get("values") or {}
    entry = (values.get(BlockId.CHANNEL.value) or {}).get(InputId.CHANNEL.value) or {}
    return (entry.get("selected_option") or {}).get("value")


def choose_reply(click: Click, services: HandlerServices) -> Outcome | None:
    """A reply chosen in the draft modal's type-ahead: the text box replaced with it."""
    view = click.place.view or {}
    choice = payload_as(click, ReplyChoice)
    if CaseRef.decode(view.get("private_metadata")).case_id != choice.case_id:
        raise BadReference("a saved reply chosen for another case")
    allowed = services.desk.can_draft(case_id=choice.case_id, user_id=click.user_id)
    if not allowed.ok:
        return allowed
    new_view = filled_draft_modal(services, case=allowed.case, reply_id=choice.reply_id,
                                  user_id=click.user_id, chosen_channel=_chosen_channel(view))
    if isinstance(new_view, str):
        return Outcome(False, allowed.case, new_view)
    services.slack.update_view(view_id=str(view.get("id") or ""), view=new_view,
                               view_hash=view.get("hash"))
    return None


LISTENERS = {ActionId.USE_REPLY: use_reply, ActionId.SAVED_REPLY: choose_reply}
"""The saved-reply clicks; ``handlers.case_actions`` registers them with the rest."""


def register(app: App, services: HandlerServices) -> None:
    """The type-ahead's options request (the clicks are in :data:`LISTENERS`)."""
    if services.replies is None:
        return
    replies = services.replies

    @app.options(ActionId.SAVED_REPLY.value)
    def reply_options_requested(ack, body):
        view = body.get("view") or {}
        try:
            case_id = CaseRef.decode(view.get("private_metadata")).case_id
        except BadReference:
            ack(options=[])
            return
        query = str(body.get("value") or "")[:100]
        ack(options=reply_options(case_id=case_id, replies=replies.search(query)))
