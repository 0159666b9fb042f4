"""Move to phone (a modal with the DM asking for a number) and Called (how it went)."""

from __future__ import annotations

from slack_bolt import App

from bot.render import phone_text, strings
from bot.render.actions import CallChoice
from bot.render.ids import ActionId, BadReference, BlockId, CaseRef, InputId, ViewId
from bot.render.modals import move_to_phone_modal
from bot.services.desk import Outcome
from handlers.context import Click, HandlerServices, payload_as


def open_move_to_phone(click: Click, services: HandlerServices) -> Outcome | None:
    allowed = services.desk.can_draft(case_id=payload_as(click, CaseRef).case_id,
                                      user_id=click.user_id)
    if not allowed.ok:
        return allowed
    phone = services.phone
    services.slack.open_view(trigger_id=click.place.trigger_id or "", view=move_to_phone_modal(
        case=allowed.case, ask_text=phone.ask_text(case=allowed.case, user_id=click.user_id),
        hint=phone_text.support_line_hint(phone.phone_number)))
    return None


def called(click: Click, services: HandlerServices) -> Outcome:
    choice = payload_as(click, CallChoice)
    return services.phone.called(case_id=choice.case_id, user_id=click.user_id,
                                 outcome=choice.outcome)


LISTENERS = {ActionId.MOVE_TO_PHONE: open_move_to_phone, ActionId.CALLED: called}
"""The phone clicks; ``handlers.case_actions`` registers them with the rest."""


def register(app: App, services: HandlerServices) -> None:
    """The Move to phone modal's submission (the clicks are in :data:`LISTENERS`)."""
    if services.phone is None:
        return
    @app.view(ViewId.MOVE_TO_PHONE.value)
    def move_to_phone_submitted(ack, body, view):
        user_id = str((body.get("user") or {}).get("id") or "")
        values = (view.get("state") or {}).get("values") or {}
        text = ((values.get(BlockId.DM_TEXT.value) or {}).get(InputId.DM_TEXT.value)
                or {}).get("value") or ""
        block = BlockId.DM_TEXT.value
        try:
            ref = CaseRef.decode(view.get("private_metadata"))
        except BadReference:
            ack(response_action="errors", errors={block: strings.NO_SUCH_CASE})
            return
        outcome = services.phone.move_to_phone(case_id=ref.case_id, user_id=user_id,
                                               text=text)
        if outcome.ok:
            ack()
        else:
            ack(response_action="errors", errors={block: (outcome.message or "")[:1900]})
