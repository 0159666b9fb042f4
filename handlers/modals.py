"""Modal submissions. Validation errors go back into the modal, so nothing typed is lost."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.render import strings
from bot.render.ids import BadReference, BlockId, CaseRef, InputId, ViewId
from handlers.context import HandlerServices

log = logging.getLogger(__name__)


def _value(view: dict, block: BlockId, field: InputId) -> str:
    return (((view.get("state") or {}).get("values") or {}).get(block.value, {})
            .get(field.value, {}).get("value")) or ""


def register(app: App, services: HandlerServices) -> None:
    desk = services.desk

    def submit(ack, body, view, block: BlockId, call):
        user_id = (body.get("user") or {}).get("id", "")
        try:
            ref = CaseRef.decode(view.get("private_metadata"))
            outcome = call(ref, user_id)
        except BadReference:
            ack(response_action="errors", errors={block.value: strings.NO_SUCH_CASE})
            return
        except Exception:
            log.exception("handling a modal submission failed")
            ack(response_action="errors", errors={block.value: strings.SOMETHING_WENT_WRONG})
            return
        if outcome.ok:
            ack()
        else:
            ack(response_action="errors", errors={block.value: outcome.message[:1900]})

    @app.view(ViewId.DRAFT.value)
    def draft_submitted(ack, body, view):
        text = _value(view, BlockId.DRAFT_TEXT, InputId.DRAFT_TEXT)
        submit(ack, body, view, BlockId.DRAFT_TEXT,
               lambda ref, user: desk.submit_draft(case_id=ref.case_id, user_id=user, text=text))

    @app.view(ViewId.REQUEST_CHANGES.value)
    def changes_submitted(ack, body, view):
        reason = _value(view, BlockId.CHANGES_REASON, InputId.CHANGES_REASON)
        submit(ack, body, view, BlockId.CHANGES_REASON,
               lambda ref, user: desk.request_changes(case_id=ref.case_id, user_id=user,
                                                      draft_id=ref.draft_id, reason=reason))
