"""Buttons on a case's parent message. Ack first, then call the desk, then answer."""

from __future__ import annotations

from slack_bolt import App

from bot.domain.case import CloseReason
from bot.render.ids import ActionId
from bot.render.modals import (
    draft_modal,
    escalate_modal,
    move_to_dm_modal,
    request_changes_modal,
)
from handlers.context import HandlerServices, case_ref, guarded, read_click, tell


def register(app: App, services: HandlerServices) -> None:
    desk = services.desk

    def simple(action: ActionId, call):
        def listener(ack, body):
            ack()
            click = read_click(body)
            ref = case_ref(click.value)
            if ref is not None:
                guarded(services, click, lambda: call(ref, click.user_id))
        app.action(action.value)(listener)

    simple(ActionId.CLAIM, lambda ref, user: desk.claim(case_id=ref.case_id, user_id=user))
    simple(ActionId.UNCLAIM, lambda ref, user: desk.unclaim(case_id=ref.case_id, user_id=user))
    simple(ActionId.APPROVE, lambda ref, user: desk.approve(case_id=ref.case_id, user_id=user,
                                                            draft_id=ref.draft_id))
    simple(ActionId.RETRY_SEND, lambda ref, user: desk.retry_send(case_id=ref.case_id,
                                                                  user_id=user))
    simple(ActionId.REOPEN, lambda ref, user: desk.reopen(case_id=ref.case_id, user_id=user))

    def opens_modal(action: ActionId, check, view):
        """A button that opens a modal: ``check(ref, user)`` says whether it may (an
        Outcome carrying the case), ``view(case, ref, user)`` builds the modal."""
        def listener(ack, body):
            ack()
            click = read_click(body)
            ref = case_ref(click.value)
            if ref is None:
                return

            def work():
                allowed = check(ref, click.user_id)
                if not allowed.ok:
                    return allowed
                services.slack.open_view(trigger_id=body["trigger_id"],
                                         view=view(allowed.case, ref, click.user_id))
                return None

            guarded(services, click, work)
        app.action(action.value)(listener)

    def may_draft(ref, user):
        return desk.can_draft(case_id=ref.case_id, user_id=user)

    def may_review(ref, user):
        return desk.can_review(case_id=ref.case_id, user_id=user, draft_id=ref.draft_id)

    opens_modal(ActionId.DRAFT, may_draft, lambda case, ref, user: draft_modal(
        case=case, initial_text=case.latest_draft.text if case.latest_draft else "",
        initial_channel=case.latest_draft.channel if case.latest_draft else None,
        signature=desk.signature(user)))
    opens_modal(ActionId.MOVE_TO_DM, may_draft, lambda case, ref, user: move_to_dm_modal(
        case=case, brand_id=services.brand_id(), signature=desk.signature(user)))
    opens_modal(ActionId.ESCALATE,
                lambda ref, user: services.people.can_escalate(case_id=ref.case_id),
                lambda case, ref, user: escalate_modal(
                    case=case, departments=list(services.people.departments)))
    opens_modal(ActionId.REQUEST_CHANGES, may_review, lambda case, ref, user:
                request_changes_modal(case_id=case.id,
                                      draft_id=ref.draft_id or case.latest_draft.id))

    @app.action(ActionId.MORE.value)
    def more(ack, body):
        ack()
        click = read_click(body)
        verb, _, case_part = click.value.partition(":")
        calls = {"mute": lambda cid: services.moderation.mute(case_id=cid, user_id=click.user_id,
                                                             muted=True),
                 "unmute": lambda cid: services.moderation.mute(case_id=cid,
                                                               user_id=click.user_id,
                                                               muted=False),
                 "hide": lambda cid: services.moderation.hide(case_id=cid, user_id=click.user_id,
                                                             hidden=True),
                 "unhide": lambda cid: services.moderation.hide(case_id=cid,
                                                               user_id=click.user_id,
                                                               hidden=False)}
        if verb in calls and case_part.isdigit():
            guarded(services, click, lambda: calls[verb](int(case_part)))

    @app.action(ActionId.MAKE_CASE.value)
    def make_case(ack, body):
        ack()
        click = read_click(body)
        guarded(services, click, lambda: services.triage.make_case(post_id=click.value,
                                                                   user_id=click.user_id))

    @app.action(ActionId.CLOSE.value)
    def close(ack, body):
        ack()
        click = read_click(body)
        case_part, _, reason_part = click.value.partition(":")
        try:
            case_id, reason = int(case_part), CloseReason(reason_part)
        except ValueError:
            tell(services, click, None)
            return
        guarded(services, click, lambda: desk.close(case_id=case_id, user_id=click.user_id,
                                                    reason=reason))
