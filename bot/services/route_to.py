"""**Route to…**: move a case to another route of the triage chart.

A lead of the case's route (the desk's leads included) or the case's assignee may move
it. The new route's channel gets a new parent whose thread starts with the history and
carries the post, the drafts and the old thread's notes; the old parent is marked as
moved; the claim stays unless the new route lists its agents and the assignee is not
among them; the deadline is recomputed from the case's start.

Example::

    router = CaseRouter(routes=routes, store=store, moves=RouteMoves(db), clock=clock)
    router.route(case_id=7, user_id="U0LEAD", to="baggage")
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.case import CaseState
from bot.domain.model import Case
from bot.render import route_text
from bot.render.route_story import story_messages
from bot.services.desk import Outcome
from bot.services.routing import RouteDesk
from bot.services.sla_clock import start_clock
from storage.cases import CaseStore
from storage.route_moves import RouteMoves

CARE_CHANNEL_CHOICE = "-"
"""The Route to… choice that sends a case back to the care channel."""


class CaseRouter:
    """**Route to…**: a lead of the case's route (or of the desk) or its assignee moves a
    case to another route; see storage.route_moves for what moves with it."""

    def __init__(self, *, routes: RouteDesk, store: CaseStore, moves: RouteMoves,
                 clock: Callable[[], datetime], kick: Callable[[], None] = lambda: None,
                 ) -> None:
        self.routes = routes
        self.store = store
        self.moves = moves
        self.clock = clock
        self.kick = kick

    def choices(self, case: Case) -> list[tuple[str, str]]:
        """(value, label) of every place the case may go: the other routes (its own too
        when it waits in the care channel for a channel the bot can post in now), and the
        care channel when it is on a route."""
        home = self.routes.held_back(case.route, case.slack_channel)
        places = [(r.name, f"{r.name} (#{r.channel})") for r in self.routes.chart.routes
                  if r.name != case.route or home]
        if case.route is not None:
            places.append((CARE_CHANNEL_CHOICE, "the care channel"))
        return places

    def can_route(self, *, case_id: int, user_id: str) -> Outcome:
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, route_text.NO_SUCH_CASE)
        if case.state in (CaseState.CLOSED, CaseState.IGNORED):
            return Outcome(False, case, route_text.CLOSED)
        if case.slack_ts is None:
            return Outcome(False, case, route_text.NOT_POSTED_YET)
        if user_id != case.assignee_id and not self.routes.leads_for(case.route).is_lead(user_id):
            return Outcome(False, case, route_text.NOT_ALLOWED)
        return Outcome(True, case)

    def route(self, *, case_id: int, user_id: str, to: str) -> Outcome:
        allowed = self.can_route(case_id=case_id, user_id=user_id)
        if not allowed.ok:
            return Outcome(False, allowed.case, allowed.message, field="route")
        case = allowed.case
        name = None if to == CARE_CHANNEL_CHOICE else to
        if name is not None and self.routes.route(name) is None or name == case.route \
                and not self.routes.held_back(case.route, case.slack_channel):
            return Outcome(False, case, route_text.UNKNOWN_ROUTE, field="route")
        place = self.routes.placement(name)
        keep = case.assignee_id is None or self.routes.takes_agent(name, case.assignee_id)
        now = self.clock()
        policy = place.policy
        moved = self.moves.move(
            case_id=case.id, version=case.version, route=name, channel=place.channel,
            keep_assignee=keep, actor=user_id, now=now,
            clock_from=lambda start: start_clock(policy, start=start,
                                                 minutes=policy.first_minutes),
            history=route_text.history(case=case, events=self.store.events(case.id),
                                       by=user_id, tz=policy.hours.tz),
            marker=route_text.moved_marker(channel=place.channel, by=user_id),
            carry=lambda story: story_messages(case=case, story=story))
        if moved is None:
            return Outcome(False, case, route_text.CHANGED_MEANWHILE, field="route")
        self.kick()
        return Outcome(True, self.store.get(case.id))
