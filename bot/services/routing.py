"""The triage chart at work: which channel, leads and response policy a case has.

A new case takes the first route that matches its post; a route whose channel the bot
cannot post in holds its cases in the care channel (marked with the route) instead.

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

