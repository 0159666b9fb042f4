"""The triage chart at work: which channel, leads and response policy a case has.

A new case takes the first route that matches its post; a route whose channel the bot
cannot post in holds its cases in the care channel (marked with the route) instead, until
the bot is added there (the ``member_joined_channel`` event) or a later retry can join.

Example::

    routes = RouteDesk(chart=settings.routes, policy=policy, care_channel="C0CARE",
                       leads=leads, members_of=slack.usergroup_members)
    place = routes.place(text=post.text, kind="question", priority="normal", language="en")
    place.channel, place.route  # "C0BAGS", "baggage"
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.routes import Route, RouteChart
from bot.domain.sla import SlaPolicy
from bot.services.leads import LeadDirectory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placement:
    """Where a case lives: its route (None: the care channel's) and its channel."""

    route: str | None
    channel: str
    policy: SlaPolicy


class RouteDesk:
    def __init__(self, *, chart: RouteChart, policy: SlaPolicy, care_channel: str,
                 leads: LeadDirectory, members_of: Callable[[str], list[str]]) -> None:
        self.chart = chart
        self.policy = policy
        self.care_channel = care_channel
        self.leads = leads
        self.unreachable: set[str] = set()
        self._policies = {r.name: r.policy(policy) for r in chart.routes}
        self._leads = {r.name: LeadDirectory(lead_ids=(*leads.lead_ids, *r.leads),
                                             members_of=members_of)
                       for r in chart.routes if r.leads}

    def place(self, *, text: str, kind: str | None, priority: str | None,
              language: str) -> Placement:
        """The placement of a new case with this post and triage."""
        route = self.chart.select(text=text, kind=kind, priority=priority, language=language)
        return self.placement(route.name if route else None)

    def placement(self, route_name: str | None) -> Placement:
        route = self.chart.named(route_name)
        if route is None:
            return Placement(route=None, channel=self.care_channel, policy=self.policy)
        channel = self.care_channel if route.name in self.unreachable else route.channel
        return Placement(route=route.name, channel=channel, policy=self._policies[route.name])

    def policy_of(self, route_name: str | None) -> SlaPolicy:
        return self._policies.get(route_name or "", self.policy)

    def leads_for(self, route_name: str | None) -> LeadDirectory:
        """Who approves a case of this route: its leads and the desk's leads."""
        return self._leads.get(route_name or "", self.leads)

    def route(self, name: str | None) -> Route | None:
        return self.chart.named(name)

    def check_channels(self, *, join: Callable[[str], str | None],
                       say: Callable[[str], None]) -> list[str]:
        """Join each route's channel; ``join`` answers None when in, else why not. Routes
        that cannot post hold their cases in the care channel; returns their names."""
        for route in self.chart.routes:
            why = join(route.channel)
            if why is None:
                self.unreachable.discard(route.name)
                continue
            self.unreachable.add(route.name)
            log.warning("route %s: cannot post in channel %s (%s); its cases go to the care "
                        "channel", route.name, route.channel, why)
            say(route.name)
        return sorted(self.unreachable)

    def retry_channels(self, *, join: Callable[[str], str | None],
                       say_back: Callable[[str], None]) -> list[str]:
        """Try the channels the bot could not post in again (someone may have invited
        it); a route that can post now takes its new cases home. Returns those routes."""
        back = []
        for route in self.chart.routes:
            if route.name in self.unreachable and join(route.channel) is None:
                back.append(route.name)
        return self._reached(back, say_back=say_back)

    def bot_joined(self, channel: str, *, say_back: Callable[[str], None]) -> list[str]:
        """The bot was added to ``channel``: the routes held back from it can post there."""
        return self._reached([r.name for r in self.chart.routes
                              if r.channel == channel and r.name in self.unreachable],
                             say_back=say_back)

    def _reached(self, names: list[str], *, say_back: Callable[[str], None]) -> list[str]:
        reached = []
        for name in names:
            if name not in self.unreachable:
                continue
            self.unreachable.discard(name)
            reached.append(name)
            log.info("route %s: can post in its channel now; its new cases go there", name)
            say_back(name)
        return reached

    def held_back(self, case_route: str | None, case_channel: str) -> bool:
        """Whether a case of ``case_route`` waits outside its route's channel although it
        could go there now (Route to… takes it home)."""
        route = self.chart.named(case_route)
        return route is not None and route.name not in self.unreachable \
            and case_channel != route.channel

