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

    @app.action(ActionId.DRAFT.value)
    def open_draft(ack, body):
        ack()
        click = read_click(body)
        ref = case_ref(click.value)
        if ref is None:
            return

        def work():
            allowed = desk.can_draft(case_id=ref.case_id, user_id=click.user_id)
            if not allowed.ok:
                return allowed
            draft = allowed.case.latest_draft
            services.slack.open_view(trigger_id=body["trigger_id"], view=draft_modal(
                case=allowed.case, initial_text=draft.text if draft else "",
                initial_channel=draft.channel if draft else None,
                signature=desk.signature(click.user_id)))
            return None

        guarded(services, click, work)

    @app.action(ActionId.MOVE_TO_DM.value)
    def open_move_to_dm(ack, body):
        ack()
        click = read_click(body)
        ref = case_ref(click.value)
        if ref is None:
            return

        def work():
            allowed = desk.can_draft(case_id=ref.case_id, user_id=click.user_id)
            if not allowed.ok:
                return allowed
            services.slack.open_view(trigger_id=body["trigger_id"], view=move_to_dm_modal(
                case=allowed.case, brand_id=services.brand_id(),
                signature=desk.signature(click.user_id)))
            return None

        guarded(services, click, work)

    @app.action(ActionId.ESCALATE.value)
    def open_escalate(ack, body):
        ack()
        click = read_click(body)
        ref = case_ref(click.value)
        if ref is None:
            return

        def work():
            allowed = services.people.can_escalate(case_id=ref.case_id)
            if not allowed.ok:
                return allowed
            services.slack.open_view(trigger_id=body["trigger_id"], view=escalate_modal(
                case=allowed.case, departments=list(services.people.departments)))
            return None

        guarded(services, click, work)

    @app.action(ActionId.REQUEST_CHANGES.value)
    def open_request_changes(ack, body):
        ack()
        click = read_click(body)
        ref = case_ref(click.value)
        if ref is None:
            return

        def work():
            refusal = desk.review_refusal(case_id=ref.case_id, user_id=click.user_id,
                                          draft_id=ref.draft_id)
            if refusal:
                return refusal
            draft_id = ref.draft_id or desk.store.get(ref.case_id).latest_draft.id
            services.slack.open_view(trigger_id=body["trigger_id"],
                                     view=request_changes_modal(case_id=ref.case_id,
                                                                draft_id=draft_id))
            return None

        guarded(services, click, work)

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
