"""**Route to…** on a case: open the modal with the chart's routes, then move the case."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App

from bot.domain.routes import Route
from bot.render import route_answers, route_text, strings
from bot.render.ids import BadReference, BlockId, CaseRef, InputId, ViewId
from bot.render.route_modal import route_to_modal
from bot.services.desk import Outcome
from bot.services.routing import RouteDesk
from handlers.context import Click, HandlerServices, payload_as

log = logging.getLogger(__name__)


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
    """Register before the other /care listeners: these answer only the chart's
    subcommands and the queue subcommands typed in a route's channel."""

    def is_route_command(command: dict) -> bool:
        return answers_here(services, command)

    @app.command("/care", matchers=[is_route_command])
    def answer_route_command(ack, command):
        try:
            text = route_command(services, command) or strings.SOMETHING_WENT_WRONG
        except Exception:
            log.exception("/care in a route's channel failed")
            text = strings.SOMETHING_WENT_WRONG
        ack(text=text, response_type="ephemeral")
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


def watch_route_channels(app: App, *, routes: RouteDesk,
                         say_back: Callable[[str], None]) -> None:
    """Notice the bot being added to a route's channel (``member_joined_channel`` with
    the bot's own user): that route's new cases go there from now on. A middleware, so
    the event's own listeners still get it."""

    @app.middleware
    def notice_the_bot_joining(body, context, next):  # noqa: A002 - Bolt's argument name
        event = body.get("event") or {}
        if event.get("type") == "member_joined_channel" and event.get("user") and \
                event.get("user") == context.get("bot_user_id"):
            try:
                routes.bot_joined(str(event.get("channel") or ""), say_back=say_back)
            except Exception:
                log.exception("could not take a route's channel back")
        return next()


SCOPED = ("status", "sla", "mine")


def _words(command: dict) -> tuple[str, str]:
    sub, _, rest = (command.get("text") or "").strip().partition(" ")
    return sub.lower(), rest.strip().lower()


def answers_here(services: HandlerServices, command: dict) -> bool:
    """Whether this /care is about the chart or asks for a route's queue in its channel
    (the other /care listeners answer the rest)."""
    sub, rest = _words(command)
    if sub == "chart":
        return True
    if services.router is None:
        return False
    if sub == "status" and rest == "all":
        return True
    return sub in SCOPED and _route_of_channel(services.router.routes, command) is not None


def _route_of_channel(routes: RouteDesk, command: dict) -> Route | None:
    """The route whose channel the command was typed in; the care channel answers for
    every route, even when a route shares it."""
    channel = command.get("channel_id")
    return None if channel == routes.care_channel else routes.chart.of_channel(channel)


def route_command(services: HandlerServices, command: dict) -> str | None:
    """The answer to a /care subcommand that :func:`answers_here`."""
    router = services.router
    sub, rest = _words(command)
    if router is None:
        return route_text.NO_CHART if sub == "chart" else None
    routes = router.routes
    if sub == "chart":
        return route_answers.chart_table(
            chart=routes.chart, care_channel=routes.care_channel,
            desk_leads=routes.leads.lead_ids, hours=routes.policy.hours,
            sla_minutes=routes.policy.first_minutes,
            unreachable=frozenset(routes.unreachable))
    if sub == "status" and rest == "all":
        return route_answers.status_all(chart=routes.chart, care_channel=routes.care_channel,
                                        counts=services.report.per_route())
    route = _route_of_channel(routes, command)
    if route is None or sub not in SCOPED:
        return None
    report = services.report
    user_id = command.get("user_id", "")
    answer = {"status": lambda: report.status(route=route.name,
                                              policy=routes.policy_of(route.name)),
              "sla": lambda: report.at_risk(route=route.name),
              "mine": lambda: report.mine(user_id, route=route.name)}[sub]()
    return route_answers.scoped(answer, route=route.name, policy=routes.policy_of(route.name)
                                if sub == "status" else None)
