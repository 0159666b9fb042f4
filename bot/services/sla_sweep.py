"""The SLA sweep: post each nudge level once, only in office hours.

Warning mentions the assignee (or says plainly that nobody has claimed the case),
breach the assignee and the leads, escalation the leads (audiences configurable).
Levels that fell due while the desk was closed are posted quietly in their threads
and summed up in one channel message when the desk opens.

Example::

    sweeper = SlaSweeper(sla=SlaStore(db), channel_posts=ChannelPosts(db), policy=policy,
                         leads=leads, channel="C1", clock=clock, kick=jobs.kick)
    sweeper.sweep()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.case import WAITING_ON_US, CaseState
from bot.domain.sla import Audience, Level, SlaPolicy
from bot.render import sla_text
from bot.services.leads import LeadDirectory
from bot.services.routing import RouteDesk
from storage.channel_posts import ChannelPosts
from storage.sla import DueNudge, SlaStore


@dataclass(frozen=True)
class SweepResult:
    posted: int = 0
    summarised: int = 0
    closed_hours: bool = False


class SlaSweeper:
    def __init__(self, *, sla: SlaStore, channel_posts: ChannelPosts, policy: SlaPolicy,
                 leads: LeadDirectory, channel: str, clock: Callable[[], datetime],
                 kick: Callable[[], None] = lambda: None,
                 routes: RouteDesk | None = None) -> None:
        self.routes = routes
        self.sla = sla
        self.channel_posts = channel_posts
        self.policy = policy
        self.leads = leads
        self.channel = channel
        self.clock = clock
        self.kick = kick

    def sweep(self, *, limit: int = 200) -> SweepResult:
        now = self.clock()
        if self.routes is None and not self.policy.hours.is_open(now):
            return SweepResult(closed_hours=True)
        batch, settled = [], []
        for due in self.sla.due(now=now, limit=limit):
            if CaseState(due.state) not in WAITING_ON_US or due.started_at is None:
                settled.append(due)
                continue
            policy = self._policy(due)
            if not policy.hours.is_open(now):
                continue  # its route is closed now: its nudges wait for the opening
            came_due_while_closed = self._closed_between(due, now)
            note = None if came_due_while_closed else self._note(due, now)
            nxt = policy.next_level(due.started_at, due.minutes, after=Level(due.level))
            batch.append((due, (nxt[0].level.value, nxt[1]) if nxt else None, note))
        self.sla.drop_many(settled)
        recorded = self.sla.record_many(batch, now=now)
        posted = sum(recorded)
        overnight = [due for (due, _, note), ok in zip(batch, recorded, strict=True)
                     if ok and note is None]
        for channel, dues in self._by_channel(overnight).items():
            self.channel_posts.queue(channel=channel, now=now, text=sla_text.overnight_summary(
                dues, now=now, leads=self._leads(dues[0])))
        if posted:
            self.kick()
        return SweepResult(posted=posted, summarised=len(overnight))

    def _policy(self, due: DueNudge) -> SlaPolicy:
        return self.routes.policy_of(due.route) if self.routes is not None else self.policy

    def _by_channel(self, dues: list[DueNudge]) -> dict[str, list[DueNudge]]:
        """Overnight summaries per channel: the care channel's, and each route's."""
        if self.routes is None:
            return {self.channel: dues} if dues else {}
        grouped: dict[str, list[DueNudge]] = {}
        for due in dues:
            grouped.setdefault(due.slack_channel, []).append(due)
        return grouped

    def _closed_between(self, due: DueNudge, now: datetime) -> bool:
        """Whether the case's desk was closed at some point since it came due (a level at
        closing time, or one missed while the bot was down overnight)."""
        elapsed = (now - due.due_at).total_seconds() / 60
        hours = self._policy(due).hours
        return hours.business_minutes_between(due.due_at, now) < elapsed - 0.5

    def _leads(self, due: DueNudge) -> str:
        if self.routes is not None:
            return self.routes.leads_for(due.route).mention_list()
        return self.leads.mention_list()

    def _note(self, due: DueNudge, now: datetime) -> str:
        level = self._policy(due).level(Level(due.level))
        audience = level.audience if level else frozenset()
        who = []
        if Audience.ASSIGNEE in audience and due.assignee_id:
            who.append(f"<@{due.assignee_id}>")
        if Audience.LEADS in audience:
            who.append(self._leads(due))
        return sla_text.nudge(level=Level(due.level), mentions=" ".join(who),
                              unclaimed=due.assignee_id is None,
                              minutes=due.minutes or 0)
