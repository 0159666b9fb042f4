"""The app's Home tab: published when a user opens it (the queue, an agent's cases, a lead's
figures, the saved replies), and the leads' saved-reply changes made from it (add, edit,
retire, restore, paging). Agents see the replies and may change nothing.
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.render import replies_text
from bot.render.actions import PageRef, ReplyRef
from bot.render.ids import ActionId, BadReference, BlockId, ViewId
from bot.render.replies_home import read_edit_metadata, read_edit_values, reply_edit_modal
from handlers.context import Click, HandlerServices, payload_as

log = logging.getLogger(__name__)


def publish(services: HandlerServices, *, user_id: str, page: int = 0,
            notice: str | None = None) -> None:
    """Build and publish ``user_id``'s Home tab."""
    if services.home is not None:
        services.home.publish(user_id, page=page, notice=notice)


def turn_page(click: Click, services: HandlerServices) -> None:
    publish(services, user_id=click.user_id, page=payload_as(click, PageRef).page)


def open_editor(click: Click, services: HandlerServices) -> None:
    """Add or Edit: the reply modal for a lead; an agent's Home tab says leads only."""
    replies, reply_id = services.replies, payload_as(click, ReplyRef).reply_id
    if not replies.is_lead(click.user_id):
        publish(services, user_id=click.user_id, notice=replies_text.LEADS_ONLY)
        return
    stored = replies.get(reply_id) if reply_id is not None else None
    if reply_id is not None and stored is None:
        publish(services, user_id=click.user_id, notice=replies_text.NO_SUCH_REPLY)
        return
    services.slack.open_view(trigger_id=click.place.trigger_id or "",
                             view=reply_edit_modal(stored))


def retire(click: Click, services: HandlerServices) -> None:
    reply_id = payload_as(click, ReplyRef).reply_id
    change = services.replies.retire(user_id=click.user_id, reply_id=reply_id or 0)
    publish(services, user_id=click.user_id, notice=change.message)


def restore(click: Click, services: HandlerServices) -> None:
    reply_id = payload_as(click, ReplyRef).reply_id
    change = services.replies.restore(user_id=click.user_id, reply_id=reply_id or 0)
    publish(services, user_id=click.user_id, notice=change.message)


LISTENERS = {ActionId.REPLIES_PAGE: turn_page, ActionId.REPLY_ADD: open_editor,
             ActionId.REPLY_EDIT: open_editor, ActionId.REPLY_RETIRE: retire,
             ActionId.REPLY_RESTORE: restore}
"""The Home tab's clicks; ``handlers.case_actions`` registers them with the rest."""


def register(app: App, services: HandlerServices) -> None:
    """The Home tab's publishing and the reply modal's submission."""

    @app.event("app_home_opened")
    def home_opened(event):
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        try:
            publish(services, user_id=str(event["user"]))
        except Exception:
            log.exception("publishing the Home tab failed")

    if services.replies is None:
        return
    replies = services.replies

    @app.view(ViewId.REPLY_EDIT.value)
    def reply_saved(ack, body, view):
        user_id = str((body.get("user") or {}).get("id") or "")
        first = BlockId.REPLY_TITLE.value
        try:
            reply_id, version = read_edit_metadata(view.get("private_metadata"))
        except BadReference:
            ack(response_action="errors", errors={first: replies_text.NO_SUCH_REPLY})
            return
        reply = read_edit_values((view.get("state") or {}).get("values") or {})
        if isinstance(reply, str):
            ack(response_action="errors", errors={reply: "Choose one."})
            return
        change = replies.save(user_id=user_id, reply=reply, reply_id=reply_id, version=version)
        if not change.ok:
            block = BlockId.REPLY_TEXT.value if "text" in (change.message or "") else first
            ack(response_action="errors", errors={block: (change.message or "")[:1900]})
            return
        ack()
        try:
            publish(services, user_id=user_id)
        except Exception:
            log.exception("publishing the Home tab after a saved reply change failed")
