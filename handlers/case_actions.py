"""Buttons and menus on a case's parent message and in ``/care filtered``.

Each action id has one named listener (see :data:`LISTENERS`): it gets the decoded
:class:`~handlers.context.Click` and the services, calls one service, and returns the
Outcome to tell the user. Bolt acks first; the work and the answer follow on the
click-work pool (``services.after_ack``), so acks never queue behind database work, except
for the clicks that open or change a modal (:data:`MODAL_CLICKS`), answered at once.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.render.actions import CloseChoice, ModerationChoice, ModerationVerb, PostRef
from bot.render.ids import ActionId, CaseRef
from bot.render.modals import (
    draft_modal,
    escalate_modal,
    move_to_dm_modal,
    request_changes_modal,
)
from bot.services.desk import Outcome
from handlers import home, phone, replies, routes
from handlers.context import CLICK, Click, HandlerServices, answer, decode_clicks, payload_as
from handlers.praise import like_praise, make_case_of_praise, thank_praise
from handlers.quarantine import retry_quarantined

Listener = Callable[[Click, HandlerServices], Outcome | str | None]


def _case(click: Click) -> CaseRef:
    return payload_as(click, CaseRef)


# --- state changes ---------------------------------------------------------------------
def claim(click: Click, services: HandlerServices) -> Outcome:
    return services.desk.claim(case_id=_case(click).case_id, user_id=click.user_id)


def unclaim(click: Click, services: HandlerServices) -> Outcome:
    return services.desk.unclaim(case_id=_case(click).case_id, user_id=click.user_id)


def approve(click: Click, services: HandlerServices) -> Outcome:
    ref = _case(click)
    return services.desk.approve(case_id=ref.case_id, user_id=click.user_id,
                                 draft_id=ref.draft_id)


def retry_send(click: Click, services: HandlerServices) -> Outcome:
    return services.desk.retry_send(case_id=_case(click).case_id, user_id=click.user_id)


def reopen(click: Click, services: HandlerServices) -> Outcome:
    return services.desk.reopen(case_id=_case(click).case_id, user_id=click.user_id)


def close(click: Click, services: HandlerServices) -> Outcome:
    choice = payload_as(click, CloseChoice)
    return services.desk.close(case_id=choice.case_id, user_id=click.user_id,
                               reason=choice.reason)


def moderate(click: Click, services: HandlerServices) -> Outcome:
    """The More menu: mute or unmute the author, hide or unhide the reply on X."""
    choice = payload_as(click, ModerationChoice)
    verb = choice.verb
    if verb in (ModerationVerb.MUTE, ModerationVerb.UNMUTE):
        return services.moderation.mute(case_id=choice.case_id, user_id=click.user_id,
                                        muted=verb is ModerationVerb.MUTE)
    return services.moderation.hide(case_id=choice.case_id, user_id=click.user_id,
                                    hidden=verb is ModerationVerb.HIDE)


def make_case(click: Click, services: HandlerServices) -> Outcome:
    post = payload_as(click, PostRef)
    return services.triage.make_case(post_id=post.post_id, user_id=click.user_id)


# --- buttons that open a modal (after checking the user may) ----------------------------
def _open(services: HandlerServices, click: Click, view: dict) -> None:
    services.slack.open_view(trigger_id=click.place.trigger_id or "", view=view)


def open_draft(click: Click, services: HandlerServices) -> Outcome | None:
    allowed = services.desk.can_draft(case_id=_case(click).case_id, user_id=click.user_id)
    if not allowed.ok:
        return allowed
    case, latest = allowed.case, allowed.case.latest_draft
    _open(services, click, draft_modal(
        case=case, initial_text=latest.text if latest else "",
        initial_channel=latest.channel if latest else None,
        signature=services.desk.signature(click.user_id),
        saved_replies=services.replies is not None))
    return None


def open_move_to_dm(click: Click, services: HandlerServices) -> Outcome | None:
    allowed = services.desk.can_draft(case_id=_case(click).case_id, user_id=click.user_id)
    if not allowed.ok:
        return allowed
    _open(services, click, move_to_dm_modal(case=allowed.case, brand_id=services.brand_id(),
                                            signature=services.desk.signature(click.user_id)))
    return None


def open_escalate(click: Click, services: HandlerServices) -> Outcome | None:
    allowed = services.people.can_escalate(case_id=_case(click).case_id)
    if not allowed.ok:
        return allowed
    _open(services, click, escalate_modal(case=allowed.case,
                                          departments=list(services.people.departments)))
    return None


def open_request_changes(click: Click, services: HandlerServices) -> Outcome | None:
    ref = _case(click)
    allowed = services.desk.can_review(case_id=ref.case_id, user_id=click.user_id,
                                       draft_id=ref.draft_id)
    if not allowed.ok:
        return allowed
    _open(services, click, request_changes_modal(
        case_id=allowed.case.id, draft_id=ref.draft_id or allowed.case.latest_draft.id))
    return None


LISTENERS: dict[ActionId, Listener] = {
    ActionId.CLAIM: claim,
    ActionId.UNCLAIM: unclaim,
    ActionId.DRAFT: open_draft,
    ActionId.APPROVE: approve,
    ActionId.REQUEST_CHANGES: open_request_changes,
    ActionId.RETRY_SEND: retry_send,
    ActionId.CLOSE: close,
    ActionId.REOPEN: reopen,
    ActionId.MOVE_TO_DM: open_move_to_dm,
    ActionId.ESCALATE: open_escalate,
    ActionId.MORE: moderate,
    ActionId.MAKE_CASE: make_case,
    ActionId.QUARANTINE_RETRY: retry_quarantined,
    ActionId.PRAISE_LIKE: like_praise,
    ActionId.PRAISE_THANK: thank_praise,
    ActionId.PRAISE_MAKE_CASE: make_case_of_praise,
    **replies.LISTENERS,
    **home.LISTENERS,
    **phone.LISTENERS,
    ActionId.ROUTE_TO: routes.open_route_to,
}
"""Action id -> listener; each listener names the one service call it makes."""


MODAL_CLICKS = frozenset({
    ActionId.DRAFT, ActionId.REQUEST_CHANGES, ActionId.MOVE_TO_DM, ActionId.ESCALATE,
    ActionId.PRAISE_THANK, ActionId.USE_REPLY, ActionId.SAVED_REPLY, ActionId.REPLY_ADD,
    ActionId.REPLY_EDIT, ActionId.MOVE_TO_PHONE, ActionId.ROUTE_TO,
})
"""Clicks that open or change a modal. They are answered on Bolt's own listener thread
right after the ack, never queued behind other clicks' database work: Slack's trigger_id
lasts 3 seconds, and the agent is looking at the screen, waiting for the modal."""


def register(app: App, services: HandlerServices) -> None:
    app.middleware(decode_clicks(services))
    for action, listener in LISTENERS.items():
        app.action(action.value)(_acknowledged(listener, services,
                                               at_once=action in MODAL_CLICKS))


def _acknowledged(listener: Listener, services: HandlerServices, *, at_once: bool) -> Callable:
    """The Bolt listener for ``listener``: ack at once, then answer: a modal click on this
    thread, any other on the click-work pool (``services.after_ack``)."""

    def ack_then_answer(ack, context):
        ack()
        click = context[CLICK]
        if at_once:
            answer(services, click, listener)
        else:
            services.after_ack(lambda: answer(services, click, listener))

    ack_then_answer.__qualname__ = f"ack_then_answer[{listener.__name__}]"
    return ack_then_answer
