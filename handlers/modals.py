"""Modal submissions. Validation errors go back into the modal, so nothing typed is lost."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.domain.model import Channel
from bot.render import handler_text, strings
from bot.render.ids import BadReference, BlockId, CaseRef, InputId, ViewId
from handlers.context import HandlerServices

log = logging.getLogger(__name__)


def _input(view: dict, block: BlockId, field: InputId) -> dict:
    return ((view.get("state") or {}).get("values") or {}).get(block.value, {}).get(
        field.value, {}) or {}


def _text(view: dict, block: BlockId, field: InputId) -> str:
    return _input(view, block, field).get("value") or ""


def draft_text_block(view: dict) -> str:
    """The block id of the draft's text box: a saved reply chosen in the modal gives it a
    new one (``draft_text.<reply>.<n>``) so Slack shows the new text."""
    values = (view.get("state") or {}).get("values") or {}
    prefix = BlockId.DRAFT_TEXT.value
    found = [b for b in values if b == prefix or b.startswith(prefix + ".")]
    return found[-1] if found else prefix


def _choice(view: dict, block: BlockId, field: InputId) -> str | None:
    return (_input(view, block, field).get("selected_option") or {}).get("value")


def register(app: App, services: HandlerServices) -> None:
    desk = services.desk

    def submit(ack, body, view, fields: dict[str, str], call):
        """Run ``call(ref, user)``; map a refusal's ``field`` to the block to show it under."""
        user_id = (body.get("user") or {}).get("id", "")
        first = next(iter(fields.values()))
        try:
            ref = CaseRef.decode(view.get("private_metadata"))
            outcome = call(ref, user_id)
        except BadReference:
            ack(response_action="errors", errors={str(first): strings.NO_SUCH_CASE})
            return
        except Exception:
            log.exception("handling a modal submission failed")
            ack(response_action="errors", errors={str(first): strings.SOMETHING_WENT_WRONG})
            return
        if outcome.ok:
            ack()
        else:
            block = fields.get(outcome.field or "", first)
            ack(response_action="errors", errors={str(block): outcome.message[:1900]})

    @app.view(ViewId.DRAFT.value)
    def draft_submitted(ack, body, view):
        text_block = draft_text_block(view)
        text = ((view.get("state") or {}).get("values") or {}).get(text_block, {}).get(
            InputId.DRAFT_TEXT.value, {}).get("value") or ""
        chosen = _choice(view, BlockId.CHANNEL, InputId.CHANNEL)
        channel = Channel(chosen) if chosen in (Channel.PUBLIC.value, Channel.DM.value) else None
        submit(ack, body, view, {"text": text_block},
               lambda ref, user: desk.submit_draft(case_id=ref.case_id, user_id=user, text=text,
                                                   channel=channel))

    @app.view(ViewId.MOVE_TO_DM.value)
    def move_to_dm_submitted(ack, body, view):
        invite = _text(view, BlockId.DRAFT_TEXT, InputId.DRAFT_TEXT).strip()
        direct = _text(view, BlockId.DM_TEXT, InputId.DM_TEXT).strip()
        if not invite and not direct:
            ack(response_action="errors",
                errors={BlockId.DM_TEXT.value: handler_text.WRITE_SOMETHING})
            return
        channel = Channel.BOTH if invite and direct else (Channel.PUBLIC if invite
                                                          else Channel.DM)
        fields = {"text": BlockId.DRAFT_TEXT if invite else BlockId.DM_TEXT,
                  "dm_text": BlockId.DM_TEXT}
        submit(ack, body, view, fields,
               lambda ref, user: desk.submit_draft(
                   case_id=ref.case_id, user_id=user, text=invite or direct, channel=channel,
                   dm_text=direct if channel is Channel.BOTH else None, move_to_dm=True))

    @app.view(ViewId.ESCALATE.value)
    def escalate_submitted(ack, body, view):
        department = _choice(view, BlockId.DEPARTMENT, InputId.DEPARTMENT) or ""
        note = _text(view, BlockId.ESCALATION_NOTE, InputId.ESCALATION_NOTE)
        submit(ack, body, view, {"note": BlockId.ESCALATION_NOTE,
                                 "department": BlockId.DEPARTMENT},
               lambda ref, user: services.people.escalate(
                   case_id=ref.case_id, user_id=user, department=department, note=note))

    @app.view(ViewId.REQUEST_CHANGES.value)
    def changes_submitted(ack, body, view):
        reason = _text(view, BlockId.CHANGES_REASON, InputId.CHANGES_REASON)
        submit(ack, body, view, {"text": BlockId.CHANGES_REASON},
               lambda ref, user: desk.request_changes(case_id=ref.case_id, user_id=user,
                                                      draft_id=ref.draft_id, reason=reason))
