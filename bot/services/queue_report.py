"""Answers to /care: the queue, one agent's cases, what is at risk, office hours.

Example::

    report = QueueReport(reports=Reports(db), policy=policy, clock=clock, pending=...)
    text = report.status()
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.sla import SlaPolicy
from bot.render import care_answers
from storage.reports import ALL_ROUTES, FirstResponse, Reports, RouteCounts


@dataclass(frozen=True)
class ResponseStats:
    count: int
    median: float
    p90: float
    within_target_percent: float


def response_stats(firsts: list[FirstResponse], policy: SlaPolicy) -> ResponseStats:
    """First-response times in business minutes (the SLA's own measure)."""
    if not firsts:
        return ResponseStats(0, 0.0, 0.0, 0.0)
    minutes = sorted(policy.hours.business_minutes_between(f.started_at, f.answered_at)
                     for f in firsts)
    within = sum(1 for f in firsts if f.due_at is None or f.answered_at <= f.due_at)
    p90 = minutes[min(len(minutes) - 1, int(round(0.9 * (len(minutes) - 1))))]
    return ResponseStats(len(minutes), statistics.median(minutes), p90,
                         100.0 * within / len(firsts))


OWNED_SOURCES = frozenset({"mentions", "dms"})


@dataclass(frozen=True)
class Spend:
    """Posts read from X this month and what they cost at the configured prices."""

    reads: dict[str, int]
    estimate: float
    cap: int

    @property
    def total(self) -> int:
        return sum(self.reads.values())


def spend(reads: dict[str, int], *, price: float, owned_price: float, cap: int) -> Spend:
    cost = sum(n * (owned_price if source in OWNED_SOURCES else price)
               for source, n in reads.items())
    return Spend(reads=reads, estimate=cost, cap=cap)


class QueueReport:
    def __init__(self, *, reports: Reports, policy: SlaPolicy, clock: Callable[[], datetime],
                 slack_pending: Callable[[], int], x_backlog: Callable[[], int],
                 usage: Callable[[datetime], dict[str, int]] = lambda now: {},
                 prices: tuple[float, float, int] = (0.005, 0.001, 0),
                 crisis: Callable[[], str | None] = lambda: None,
                 csat: Callable[[], str | None] = lambda: None) -> None:
        self.csat = csat
        self.usage = usage
        self.prices = prices
        self.crisis = crisis
        self.reports = reports
        self.policy = policy
        self.clock = clock
        self.slack_pending = slack_pending
        self.x_backlog = x_backlog

    @property
    def tz(self):
        return self.policy.hours.tz

    def status(self, *, route: str | None = ALL_ROUTES, policy: SlaPolicy | None = None) -> str:
        """The queue; ``route`` keeps it to one route of the triage chart, whose response
        figures are measured under ``policy`` (its target and hours; default the desk's)."""
        policy = policy or self.policy
        tz = policy.hours.tz
        now = self.clock()
        local = now.astimezone(tz)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        snapshot = self.reports.queue(now=now, day_start=day_start, route=route)
        return care_answers.status(
            snapshot=snapshot, stats=response_stats(snapshot.first_responses_today, policy),
            now=now, tz=tz, slack_pending=self.slack_pending(),
            x_backlog=self.x_backlog(),
            spend=spend(self.usage(now), price=self.prices[0], owned_price=self.prices[1],
                        cap=self.prices[2]),
            crisis=self.crisis(), csat=self.csat())

    def mine(self, user_id: str, *, route: str | None = ALL_ROUTES) -> str:
        lines, total = self.reports.mine(user_id=user_id, limit=care_answers.LIST_LIMIT,
                                         route=route)
        return care_answers.mine(lines=lines, total=total, now=self.clock(), tz=self.tz)

    def at_risk(self, *, route: str | None = ALL_ROUTES) -> str:
        now = self.clock()
        lines, total = self.reports.at_risk(now=now, limit=care_answers.LIST_LIMIT,
                                            route=route)
        return care_answers.at_risk(lines=lines, total=total, now=now, tz=self.tz)

    def per_route(self) -> dict[str | None, RouteCounts]:
        """Counts of open cases per route of the triage chart (None: the care channel's)."""
        return self.reports.per_route(now=self.clock())

    def hours(self, *, faq_url: str | None = None) -> str:
        """``/care hours``, with the bio line pointing to ``faq_url`` when set."""
        now = self.clock()
        hours = self.policy.hours
        return care_answers.hours(
            description=hours.describe(), open_now=hours.is_open(now),
            next_opening=hours.next_opening(now), now=now, tz=self.tz,
            bio_line=hours.bio_line(typical_minutes=self.policy.first_minutes, now=now),
            faq_url=faq_url)
