"""The figures of one report, computed from the period's case facts.

Pure. :func:`report_figures` turns :class:`CaseFacts` (plus the arrival time and lane of
each post screened out of the queue, and crisis spans) into the numbers the summary text
and the charts show.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.report_hours import HOURS_PER_WEEK, CoveringHours, covering_hours
from bot.domain.report_period import ReportPeriod
from bot.domain.report_rows import CaseFacts

LANES = ("cases", "praise", "filtered")
TOP_TOPICS = 8
SENTIMENT_BANDS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class AgentFigures:
    agent: str
    cases: int
    median_first_response: float | None
    csat: float | None  # mean rating, where known


@dataclass(frozen=True)
class ReportFigures:
    period: ReportPeriod
    days: list[date]
    volume: dict[str, list[int]]                 # lane -> count per day
    crisis_spans: list[tuple[datetime, datetime]]
    first_responses: list[float]                 # office-hour minutes
    target_minutes: float
    within_per_day: list[float | None]           # percent within target per day
    hour_of_week: list[int]
    covering: CoveringHours
    agents: list[AgentFigures]
    kinds: dict[str, int]
    sentiment: dict[str, int]
    topics: list[tuple[str, int]]
    csat_per_week: dict[date, float] = field(default_factory=dict)

    @property
    def total_cases(self) -> int:
        return sum(self.volume["cases"])

    @property
    def within_target_percent(self) -> float | None:
        return _percent_within(self.first_responses, self.target_minutes)

    @property
    def median_first_response(self) -> float | None:
        return statistics.median(self.first_responses) if self.first_responses else None


def _percent_within(minutes: list[float], target: float) -> float | None:
    if not minutes:
        return None
    return 100.0 * sum(1 for m in minutes if m <= target) / len(minutes)


def sentiment_band(score: float | None) -> str | None:
    if score is None:
        return None
    if score <= -0.05:
        return "negative"
    return "positive" if score >= 0.05 else "neutral"


def report_figures(*, period: ReportPeriod, cases: Iterable[CaseFacts],
                   screened: Iterable[tuple[datetime, str]], tz: ZoneInfo, target_minutes: float,
                   crisis_spans: Iterable[tuple[datetime, datetime]] = (),
                   covering_share: float = 0.9) -> ReportFigures:
    days = period.days
    index = {day: i for i, day in enumerate(days)}
    volume = {lane: [0] * len(days) for lane in LANES}
    per_day_minutes: list[list[float]] = [[] for _ in days]
    firsts: list[float] = []
    counts = [0] * HOURS_PER_WEEK  # arrivals per hour of the week
    handled: Counter[str] = Counter()
    agent_minutes: dict[str, list[float]] = defaultdict(list)
    agent_ratings: dict[str, list[int]] = defaultdict(list)
    kinds: Counter[str] = Counter()
    bands: Counter[str] = Counter({band: 0 for band in SENTIMENT_BANDS})
    topics: Counter[str] = Counter()
    csat_weeks: dict[date, list[int]] = defaultdict(list)
    for facts in cases:
        local = facts.opened_at.astimezone(tz)
        local_day = local.date()
        counts[local.weekday() * 24 + local.hour] += 1
        slot = index.get(local_day)
        if slot is not None:
            volume[facts.lane if facts.lane in volume else "cases"][slot] += 1
        if facts.lane != "cases":
            continue
        if facts.first_response_minutes is not None:
            firsts.append(facts.first_response_minutes)
            if slot is not None:
                per_day_minutes[slot].append(facts.first_response_minutes)
        if facts.agent:
            handled[facts.agent] += 1
            if facts.first_response_minutes is not None:
                agent_minutes[facts.agent].append(facts.first_response_minutes)
            if facts.csat is not None:
                agent_ratings[facts.agent].append(facts.csat)
        kinds[facts.kind or "unsorted"] += 1
        band = sentiment_band(facts.sentiment)
        if band:
            bands[band] += 1
        if facts.topic:
            topics[facts.topic] += 1
        if facts.csat is not None:
            csat_weeks[local_day.fromordinal(local_day.toordinal() - local_day.weekday())].append(
                facts.csat)
    for at, lane in screened:
        slot = index.get(at.astimezone(tz).date())
        if slot is not None:
            volume[lane if lane in volume else "filtered"][slot] += 1
        local = at.astimezone(tz)
        counts[local.weekday() * 24 + local.hour] += 1
    agents = []
    for agent, count in sorted(handled.items(), key=lambda kv: (-kv[1], kv[0])):
        minutes, ratings = agent_minutes.get(agent), agent_ratings.get(agent)
        agents.append(AgentFigures(
            agent=agent, cases=count,
            median_first_response=statistics.median(minutes) if minutes else None,
            csat=statistics.fmean(ratings) if ratings else None))
    return ReportFigures(
        period=period, days=days, volume=volume, crisis_spans=list(crisis_spans),
        first_responses=firsts, target_minutes=target_minutes,
        within_per_day=[_percent_within(m, target_minutes) for m in per_day_minutes],
        hour_of_week=counts, covering=covering_hours(counts, share=covering_share),
        agents=agents, kinds=dict(kinds.most_common()), sentiment=dict(bands),
        topics=topics.most_common(TOP_TOPICS),
        csat_per_week={week: statistics.fmean(r) for week, r in sorted(csat_weeks.items())})
