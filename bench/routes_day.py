"""A loud brand's bad day on a simulated clock: 100,000 mentions over 4 routes, against a
Slack that enforces its posting limits, compared with the same day in one channel.

Slack allows about one new message per second per channel (short bursts) and about 50
edits per minute for the workspace (``chat.update``, Tier 3). This replays a day of
mention arrivals (a steady stream plus peaks of 10 per second for ten minutes) through
the desk's posting policy, on a clock that jumps from event to event:

* the poller fetches what arrived every ``--poll-seconds``;
* each case's parent goes to its route's channel through the desk's pacer (a token
  bucket per channel, ``bot.slack_out.ChannelPacer``'s rule: ``--burst`` at once, then
  one per second), in the order fetched;
* every change to a case asks for an edit of its parent; edits wait in one queue for
  the workspace and a case's pending edits collapse into one (the Slack outbox drops
  an update when a newer one of the same case is queued);
* the limiter stands for Slack: it answers 429 whenever a call exceeds either budget.

Reported: 429 answers (target 0), parents posted, delay from fetch to parent (p50, p99,
max) outside and inside the peaks, and edits asked for, sent and collapsed with their
delay. It models the desk's posting schedule, not the whole bot (no HTTP, no database).

    python bench/routes_day.py [--mentions 100000] [--routes 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
from dataclasses import dataclass, field

DAY = 24 * 3600
PEAK_RATE = 10.0  # mentions per second in a peak
PEAK_SECONDS = 600
PEAK_STARTS = (7 * 3600, 12 * 3600 + 1800, 18 * 3600)
EDIT_BUDGET_PER_MINUTE = 50
ROUTE_SHARES = (0.4, 0.25, 0.2, 0.15)


class Bucket:
    """A token bucket: ``burst`` at once, then ``rate`` per second (the fake Slack's rule)."""

    def __init__(self, *, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, 0.0

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def take(self, now: float) -> bool:
        self._refill(now)
        if self.tokens >= 1.0 - 1e-9:
            self.tokens -= 1.0
            return True
        return False

    def next_free(self, now: float) -> float:
        self._refill(now)
        return now if self.tokens >= 1.0 - 1e-9 else now + (1.0 - self.tokens) / self.rate


@dataclass
class SimulatedSlack:
    """Answers 429 past one message per second per channel or 50 edits a minute."""

    burst: float
    channels: dict[str, Bucket] = field(default_factory=dict)
    edits: Bucket = field(default_factory=lambda: Bucket(rate=EDIT_BUDGET_PER_MINUTE / 60,
                                                         burst=EDIT_BUDGET_PER_MINUTE))
    posted: int = 0
    edited: int = 0
    refused: int = 0

    def post_message(self, channel: str, now: float) -> bool:
        bucket = self.channels.setdefault(channel, Bucket(rate=1.0, burst=self.burst))
        if bucket.take(now):
            self.posted += 1
            return True
        self.refused += 1
        return False

    def update(self, now: float) -> bool:
        if self.edits.take(now):
            self.edited += 1
            return True
        self.refused += 1
        return False


def arrivals(mentions: int, rng: random.Random) -> list[float]:
    """Arrival times: PEAK_RATE in each peak, the rest spread evenly at random."""
    peak = [start + i / PEAK_RATE for start in PEAK_STARTS
            for i in range(int(PEAK_RATE * PEAK_SECONDS))]
    steady = [rng.uniform(0, DAY) for _ in range(max(0, mentions - len(peak)))]
    return sorted(peak[:mentions] + steady)


def in_peak(t: float) -> bool:
    return any(start <= t < start + PEAK_SECONDS + 60 for start in PEAK_STARTS)


def replay(times: list[float], *, channels: int, poll_seconds: int, burst: int,
           edits_per_case: int, rng: random.Random) -> dict:
    slack = SimulatedSlack(burst=burst)
    pacers = {f"C{i}": Bucket(rate=1.0, burst=burst) for i in range(channels)}
    shares = ROUTE_SHARES if channels == len(ROUTE_SHARES) else (1 / channels,) * channels
    names = list(pacers)
    queues: dict[str, list[tuple[float, float]]] = {c: [] for c in names}  # (fetched, arrived)
    delays: dict[bool, list[float]] = {False: [], True: []}
    edit_events: list[tuple[float, int]] = []
    index, case_id = 0, 0
    for poll in range(poll_seconds, DAY + 4 * 3600, poll_seconds):
        while index < len(times) and times[index] <= poll:
            channel = rng.choices(names, weights=shares)[0]
            queues[channel].append((float(poll), times[index]))
            index += 1
    for channel, queue in queues.items():
        pacer, now = pacers[channel], 0.0
        for fetched, arrived in queue:
            now = pacer.next_free(max(now, fetched))
            pacer.take(now)
            assert slack.post_message(channel, now), "the pacer let a post through too soon"
            delays[in_peak(arrived)].append(now - fetched)
            for _ in range(edits_per_case):  # claim, draft, approve...: minutes later
                edit_events.append((now + rng.uniform(60, 1800), case_id))
            case_id += 1
    heapq.heapify(edit_events)
    edits = run_edits(slack, edit_events)
    return {"posted": slack.posted, "refused": slack.refused, "delays": delays, **edits}


def run_edits(slack: SimulatedSlack, events: list[tuple[float, int]]) -> dict:
    """One workspace queue; a case waiting in it is edited once for all its changes."""
    asked = len(events)
    waiting: dict[int, float] = {}  # case -> when its oldest unsent change came
    order: list[tuple[float, int]] = []
    lags: list[float] = []
    now = 0.0
    while events or order:
        if order and (not events or slack.edits.next_free(now) <= events[0][0]):
            now = max(now, slack.edits.next_free(now))
            _, case = heapq.heappop(order)
            assert slack.update(now), "an edit went out past the workspace budget"
            lags.append(now - waiting.pop(case))
            continue
        at, case = heapq.heappop(events)
        now = max(now, at)
        if case not in waiting:
            waiting[case] = at
            heapq.heappush(order, (at, case))
    return {"edits_asked": asked, "edits_sent": slack.edited, "edit_lags": lags}


def _summary(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return (f"p50 {statistics.median(values):7.1f} s · p99 {p99:7.1f} s · "
            f"max {values[-1]:7.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--routes", type=int, default=4)
    parser.add_argument("--poll-seconds", type=int, default=60)
    parser.add_argument("--burst", type=int, default=4)
    parser.add_argument("--edits-per-case", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    times = arrivals(args.mentions, random.Random(args.seed))
    print(f"{len(times):,} mentions; peaks of {PEAK_RATE:g}/s for {PEAK_SECONDS // 60} min at "
          + ", ".join(f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in PEAK_STARTS)
          + f"; poll every {args.poll_seconds} s")
    for channels in (args.routes, 1):
        result = replay(times, channels=channels, poll_seconds=args.poll_seconds,
                        burst=args.burst, edits_per_case=args.edits_per_case,
                        rng=random.Random(args.seed))
        label = f"{channels} routes" if channels > 1 else "1 channel"
        print(f"\n== {label} ==")
        print(f"429 answers: {result['refused']} · parents posted: {result['posted']:,} "
              f"of {len(times):,}")
        print(f"fetch -> parent, outside peaks: {_summary(result['delays'][False])}")
        print(f"fetch -> parent, inside peaks:  {_summary(result['delays'][True])}")
        print(f"edits: {result['edits_asked']:,} asked, {result['edits_sent']:,} sent "
              f"({result['edits_asked'] - result['edits_sent']:,} collapsed); change -> edit "
              f"{_summary(result['edit_lags'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
