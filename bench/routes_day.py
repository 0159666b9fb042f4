"""A loud brand's bad day on a simulated clock: 100,000 mentions over 4 routes against a
Slack that enforces its posting limits, compared with the same day in one channel.

Slack allows about one new message per second per channel (short bursts) and about 50
edits per minute for the workspace (``chat.update``, Tier 3). Mention arrivals (a steady
stream plus peaks of 10 per second for ten minutes) are replayed on a clock that jumps
from event to event, in one of two ways:

**The model** (the default; fast enough for the whole day): the poller fetches what
arrived every ``--poll-seconds``; each route's parents go out through a token bucket of
its own (``--burst`` at once, then one per second), as if each channel had its own
worker; every change to a case asks for an edit of its parent, and edits wait in one
queue paced to the workspace budget, a case's pending edits collapsing into one.

**The desk** (``--desk``): the desk's own code delivers the day. Every poll stores the
mentions as cases in one page (``CaseStore.open_page``, a SQLite file), each in its
route's channel; ``SlackSync.deliver_due`` (its order, leases and failure policy) posts
them through ``SlackOut`` with the production pacers (posts per channel, edits for the
workspace), one delivery worker as in one desk process, which claims only what the
budgets let go at once and waits (on the simulated clock) for the first to refill; each
case is changed ``--edits-per-case`` times by an agent 1 to 30 minutes after its parent
shows (each change queues an edit; the outbox keeps only the newest queued edit of a
case, and an edit waiting for the budget waits in the queue, where a newer one replaces
it). The stand-in for Slack answers 429 with ``Retry-After`` past
either budget; like the desk's WebClient it waits out a short one (up to 10 s, twice),
then the outbox's policy schedules the call again. Pacer waits and Retry-After waits
move the simulated clock, and polls and changes due meanwhile happen at their moment.
It runs the desk's database work for real, so a whole day takes hours on a small
machine: give it fewer ``--mentions`` (the first go into the first peak); it prints the
model's figures for the same day beside its own.

Reported: 429 answers, parents posted, delay from fetch to parent (p50, p99, max) outside
and inside the peaks, and edits asked for, sent and collapsed with their delay. Not in
either: the thread notes that real clicks also post (they share each channel's budget),
X, HTTP and Slack's own latency.

    python bench/routes_day.py [--mentions 100000] [--routes 4] [--seed 7]
    python bench/routes_day.py --desk --mentions 3000
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.errors import SlackApiError  # noqa: E402
from slack_sdk.web import SlackResponse  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.domain.model import Author, InboundPost  # noqa: E402
from bot.domain.transition import QueueParentUpdate  # noqa: E402
from bot.services.slack_sync import CASE_EVENT, SlackSync  # noqa: E402
from bot.slack_out import MAX_RETRY_AFTER_SECONDS, ChannelPacer, SlackOut  # noqa: E402
from storage.cases import CaseStore  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import SlackOutboxRow  # noqa: E402
from storage.openings import Opening  # noqa: E402
from storage.outbox import SlackOutbox  # noqa: E402

DAY = 24 * 3600
START = datetime(2026, 12, 1, tzinfo=UTC)
PEAK_RATE = 10.0  # mentions per second in a peak
PEAK_SECONDS = 600
PEAK_STARTS = (7 * 3600, 12 * 3600 + 1800, 18 * 3600)
EDIT_BUDGET_PER_MINUTE = 50
ROUTE_SHARES = (0.4, 0.25, 0.2, 0.15)
CLIENT_RETRIES = 2  # the desk's WebClient waits out a short 429 this many times
LEASE_SECONDS = 300.0


# --- the model ------------------------------------------------------------------------
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

    def wait(self, now: float) -> float:
        return self.next_free(now) - now


@dataclass
class ModelSlack:
    """The model's Slack: 429 past one message per second per channel or 50 edits a minute."""

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
    slack = ModelSlack(burst=burst)
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


def run_edits(slack: ModelSlack, events: list[tuple[float, int]]) -> dict:
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


# --- the desk's own outbox --------------------------------------------------------------

class SimClock:
    """Simulated time: work scheduled ``at`` a moment runs when the clock passes it."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t = start, 0.0
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    def at(self, when: float, work: Callable[[], None]) -> None:
        heapq.heappush(self._due, (when, next(self._order), work))

    def next_due(self) -> float | None:
        return self._due[0][0] if self._due else None

    def sleep(self, seconds: float) -> None:
        self.run_until(self.t + max(0.0, seconds))

    def run_until(self, target: float) -> None:
        while self._due and self._due[0][0] <= target:
            when, _, work = heapq.heappop(self._due)
            self.t = max(self.t, when)
            work()
        self.t = max(self.t, target)


class SlackStandIn:
    """Stands in for the desk's WebClient and Slack behind it: 429 with Retry-After past
    one message per second per channel or 50 edits a minute; short waits are waited out
    as the desk's retry handler does, on the simulated clock."""

    def __init__(self, *, clock: SimClock, burst: int,
                 on_parent: Callable[[int, str], None],
                 on_edit: Callable[[str], None]) -> None:
        self.clock, self.burst = clock, burst
        self.on_parent, self.on_edit = on_parent, on_edit
        self.channels: dict[str, Bucket] = {}
        self.edits = Bucket(rate=EDIT_BUDGET_PER_MINUTE / 60, burst=EDIT_BUDGET_PER_MINUTE)
        self.posted = self.edited = self.refused = self.failed = 0
        self.refused_edits = 0
        self._ts = itertools.count(1)

    def _through(self, bucket: Bucket, method: str) -> None:
        for attempt in range(CLIENT_RETRIES + 1):
            if bucket.take(self.clock.t):
                return
            self.refused += 1
            self.refused_edits += bucket is self.edits
            retry_after = max(1, math.ceil(bucket.wait(self.clock.t)))
            if attempt == CLIENT_RETRIES or retry_after > MAX_RETRY_AFTER_SECONDS:
                self.failed += 1
                raise SlackApiError("ratelimited", SlackResponse(
                    client=None, http_verb="POST", api_url=method, req_args={},
                    data={"ok": False, "error": "ratelimited"},
                    headers={"Retry-After": str(retry_after)}, status_code=429))
            self.clock.sleep(retry_after)

    def chat_postMessage(self, *, channel: str, thread_ts: str | None = None,  # noqa: N802
                         metadata: dict | None = None, **_message) -> dict:
        bucket = self.channels.setdefault(channel, Bucket(rate=1.0, burst=self.burst))
        self._through(bucket, "chat.postMessage")
        self.posted += 1
        ts = f"{1_700_000_000 + self.clock.t:.0f}.{next(self._ts):06d}"
        meta = metadata or {}
        if thread_ts is None and meta.get("event_type") == CASE_EVENT:
            self.on_parent(int(meta["event_payload"]["case_id"]), ts)
        return {"ok": True, "ts": ts}

    def chat_update(self, *, ts: str, **_message) -> dict:
        self._through(self.edits, "chat.update")
        self.edited += 1
        self.on_edit(ts)
        return {"ok": True, "ts": ts}

    def conversations_history(self, **_args) -> dict:
        return {"ok": True, "messages": []}  # a refused call posted nothing

    conversations_replies = conversations_history


class Day:
    """One replay: the desk's store and outbox on a fresh SQLite file, the clock, Slack."""

    def __init__(self, *, path: Path, channels: int, burst: int, edits_per_case: int,
                 rng: random.Random) -> None:
        self.rng, self.edits_per_case = rng, edits_per_case
        self.db = Database.connect(f"sqlite:///{path}")
        self.store = CaseStore(self.db)
        self.clock = SimClock(START)
        self.slack = SlackStandIn(clock=self.clock, burst=burst, on_parent=self._parent_shown,
                                  on_edit=self._edited)
        pacer = ChannelPacer(per_second=1.0, burst=burst, monotonic=self.clock.monotonic,
                             sleep=self.clock.sleep)
        self.sync = SlackSync(outbox=SlackOutbox(self.db), store=self.store,
                              slack=SlackOut(self.slack, pacer=pacer), clock=self.clock,
                              owner="bench", lease_seconds=LEASE_SECONDS,
                              sleep=self.clock.sleep)
        self.names = [f"C0ROUTE{i}" for i in range(channels)]
        self.shares = ROUTE_SHARES if channels == len(ROUTE_SHARES) else (1 / channels,) * channels
        self.fetched: dict[int, tuple[float, float]] = {}  # case -> (fetched, arrived)
        self.delays: dict[bool, list[float]] = {False: [], True: []}
        self.parents: dict[str, int] = {}  # parent ts -> case
        self.changed: dict[int, float] = {}  # case -> its oldest change not yet shown
        self.edit_lags: list[float] = []
        self.edits_asked = 0
        self._posts = itertools.count(1_860_000_000_000_000_000)

    def poll(self, arrived: list[float]) -> None:
        """The mentions that arrived since the last poll, stored as cases in one page."""
        now = self.clock()
        posts, openings = [], []
        for at in arrived:
            post_id = str(next(self._posts))
            author = Author(id=f"9{post_id[-12:]}", username=f"c{post_id[-9:]}", name="c")
            post = InboundPost(id=post_id, text="@acme where is my bag?", author=author,
                               created_at=START + timedelta(seconds=at),
                               conversation_id=post_id)
            channel = self.rng.choices(self.names, weights=self.shares)[0]
            posts.append(post)
            openings.append(Opening(post=post, route=channel, channel=channel))
        _, opened = self.store.open_page(posts=posts, channel=self.names[0], now=now,
                                         closed_since=now, plan=lambda _lookup: openings)
        for post, at in zip(posts, arrived, strict=True):
            self.fetched[opened[post.id]] = (self.clock.t, at)

    def _parent_shown(self, case_id: int, ts: str) -> None:
        fetched, arrived = self.fetched.pop(case_id)
        self.delays[in_peak(arrived)].append(self.clock.t - fetched)
        self.parents[ts] = case_id
        for _ in range(self.edits_per_case):  # claim, draft, approve...: minutes later
            self.clock.at(self.clock.t + self.rng.uniform(60, 1800),
                          lambda case_id=case_id: self._change(case_id))

    def _change(self, case_id: int) -> None:
        self.edits_asked += 1
        self.changed.setdefault(case_id, self.clock.t)
        self.store.record(case_id=case_id, actor="U0AGENT", action="bench_change",
                          now=self.clock(), effects=(QueueParentUpdate(),))

    def _edited(self, ts: str) -> None:
        since = self.changed.pop(self.parents.get(ts, -1), None)
        if since is not None:
            self.edit_lags.append(self.clock.t - since)

    def _next_retry(self) -> float | None:
        with self.db.read() as s:
            at = s.scalar(select(func.min(SlackOutboxRow.next_attempt_at))
                          .where(SlackOutboxRow.status == "pending"))
        return None if at is None else (at - START).total_seconds()

    def run(self, times: list[float], *, poll_seconds: int) -> None:
        index = 0
        for poll in range(poll_seconds, DAY + 4 * 3600, poll_seconds):
            batch = []
            while index < len(times) and times[index] <= poll:
                batch.append(times[index])
                index += 1
            if batch:
                self.clock.at(float(poll), lambda batch=batch: self.poll(batch))
        while True:
            self.clock.run_until(self.clock.t)
            if self.sync.deliver_due():
                continue
            upcoming = [t for t in (self.clock.next_due(), self._next_retry()) if t is not None]
            if not upcoming:
                return
            self.clock.run_until(max(self.clock.t, min(upcoming)))


def _summary(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return (f"p50 {_span(statistics.median(values))} · p99 {_span(p99)} · "
            f"max {_span(values[-1])}")


def _span(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--routes", type=int, default=4)
    parser.add_argument("--poll-seconds", type=int, default=60)
    parser.add_argument("--burst", type=int, default=4)
    parser.add_argument("--edits-per-case", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--desk", action="store_true",
                        help="deliver the day with the desk's own Slack outbox (slow)")
    args = parser.parse_args(argv)
    times = arrivals(args.mentions, random.Random(args.seed))
    print(f"{len(times):,} mentions; peaks of {PEAK_RATE:g}/s for {PEAK_SECONDS // 60} min at "
          + ", ".join(f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in PEAK_STARTS)
          + f"; poll every {args.poll_seconds} s")
    with tempfile.TemporaryDirectory() as tmp:
        for channels in (args.routes, 1):
            label = f"{channels} routes" if channels > 1 else "1 channel"
            if args.desk:
                started = time.perf_counter()
                day = Day(path=Path(tmp) / f"day_{channels}.db", channels=channels,
                          burst=args.burst, edits_per_case=args.edits_per_case,
                          rng=random.Random(args.seed))
                day.run(times, poll_seconds=args.poll_seconds)
                day.db.dispose()
                print(f"\n== {label}, the desk's outbox (replayed in "
                      f"{time.perf_counter() - started:.0f} s) ==")
                _report(refused=day.slack.refused, delays=day.delays, total=len(times),
                        asked=day.edits_asked, sent=day.slack.edited, lags=day.edit_lags,
                        note=f" ({day.slack.refused_edits:,} of them edits; "
                             f"{day.slack.failed:,} left to the outbox's retry)")
            result = replay(times, channels=channels, poll_seconds=args.poll_seconds,
                            burst=args.burst, edits_per_case=args.edits_per_case,
                            rng=random.Random(args.seed))
            print(f"\n== {label}{', the model' if args.desk else ''} ==")
            _report(refused=result["refused"], delays=result["delays"], total=len(times),
                    asked=result["edits_asked"], sent=result["edits_sent"],
                    lags=result["edit_lags"])
    return 0


def _report(*, refused: int, delays: dict[bool, list[float]], total: int, asked: int,
            sent: int, lags: list[float], note: str = "") -> None:
    print(f"429 answers: {refused:,}{note} · parents posted: "
          f"{sum(map(len, delays.values())):,} of {total:,}")
    print(f"fetch -> parent, outside peaks: {_summary(delays[False])}")
    print(f"fetch -> parent, inside peaks:  {_summary(delays[True])}")
    print(f"edits: {asked:,} asked, {sent:,} sent ({asked - sent:,} collapsed); "
          f"change -> edit {_summary(lags)}")


if __name__ == "__main__":
    raise SystemExit(main())
