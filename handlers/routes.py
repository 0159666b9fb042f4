"""**Route to…** on a case: open the modal with the chart's routes, then move the case."""

from __future__ import annotations

from slack_bolt import App

from bot.render import route_text, strings
from bot.render.ids import BadReference, BlockId, CaseRef, InputId, ViewId
from bot.render.route_modal import route_to_modal
from bot.services.desk import Outcome
from handlers.context import Click, HandlerServices, payload_as


def open_route_to(click: Click, services: HandlerServices) -> Outcome | None:
    if services.router is None:
        return Outcome(False, None, route_text.NO_CHART)
    allowed = services.router.can_route(case_id=payload_as(click, CaseRef).case_id,
                                        user_id=click.user_id)
    if not allowed.ok:
        return allowed
    services.slack.open_view(trigger_id=click.place.trigger_id or "", view=route_to_modal(
        case=allowed.case, choices=services.router.choices(allowed.case)))
    return None


def register(app: App, services: HandlerServices) -> None:
    @app.view(ViewId.ROUTE_TO.value)
    def route_to_submitted(ack, body, view):
        user_id = (body.get("user") or {}).get("id", "")
        values = ((view.get("state") or {}).get("values") or {})
        chosen = ((values.get(BlockId.ROUTE.value) or {}).get(InputId.ROUTE.value) or {})
        to = (chosen.get("selected_option") or {}).get("value") or ""
        try:
            ref = CaseRef.decode(view.get("private_metadata"))
        except BadReference:
            ack(response_action="errors", errors={BlockId.ROUTE.value: strings.NO_SUCH_CASE})
            return
        if services.router is None:
            ack(response_action="errors", errors={BlockId.ROUTE.value: route_text.NO_CHART})
            return
        outcome = services.router.route(case_id=ref.case_id, user_id=user_id, to=to)
        if outcome.ok:
            ack()
        else:
            ack(response_action="errors",
                errors={BlockId.ROUTE.value: (outcome.message or "")[:1900]})
