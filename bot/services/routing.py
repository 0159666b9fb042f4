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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.routes import Route, RouteChart
from bot.domain.sla import SlaPolicy
from bot.services.leads import LeadDirectory

log = logging.getLogger(__name__)


ROSTER_TTL_SECONDS = 300.0
"""How long the members of a user group among a route's agents are trusted before they
are read again."""


class Roster:
    """A route's agents: user ids, and the members of the user groups (``S…``) among
    them, read with ``usergroups.users.list`` and read again after ``ttl_seconds``. A
    group Slack cannot read now keeps the members it had.

    Example::

        roster = Roster(ids=("U0BAG1", "S0BAGTEAM"), members_of=slack.usergroup_members)
        roster.includes("U0IN_THE_GROUP")  # True
    """

    def __init__(self, *, ids: tuple[str, ...], members_of: Callable[[str], list[str]],
                 ttl_seconds: float = ROSTER_TTL_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.users = frozenset(i for i in ids if not i.startswith("S"))
        self.groups = tuple(i for i in ids if i.startswith("S"))
        self._members_of = members_of
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def includes(self, user_id: str | None) -> bool:
        if not user_id:
            return False
        return user_id in self.users or any(user_id in self._group(g) for g in self.groups)

    def _group(self, group: str) -> frozenset[str]:
        now = self._monotonic()
        with self._lock:
            known = self._members.get(group)
        if known is not None and now - known[0] < self._ttl:
            return known[1]
        try:
            members = frozenset(self._members_of(group))
        except Exception as exc:  # noqa: BLE001 - Slack unreachable: keep what we knew
            log.warning("could not read members of user group %s: %s", group,
                        type(exc).__name__)
            return known[1] if known else frozenset()
        with self._lock:
            self._members[group] = (now, members)
        return members


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
        self._agents = {r.name: Roster(ids=r.agents, members_of=members_of)
                        for r in chart.routes if r.agents}

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

    def takes_agent(self, route_name: str | None, user_id: str | None) -> bool:
        """Whether a claim by ``user_id`` may stay on a case moved to this route: anyone
        when it lists no agents, else its agents and the members of its user groups."""
        roster = self._agents.get(route_name or "")
        return roster is None or roster.includes(user_id)

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

