"""The fault scenario: the real app in this process, FakeSlack and FakeX misbehaving.

FakeSlack answers 429 (with Retry-After) or 500 to a random share of calls; FakeX fails a
random share of requests with 429, 503 or a dropped connection (POSTs half of the time
after storing the post), and some requests time out (answer held back past the client's
timeout, with or without the post stored). Agents work every case through signed
requests as usual. When nothing is runnable, the desk's clock jumps to the next retry
time (backoffs are seconds to minutes), so the scenario runs in seconds.

The X client's timeout is 10 s in the app (``XClient.create``); here the transport adapter
is mounted again with a 1 s timeout, through tweepy's public session, so that timeouts
are cheap to provoke.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.slack_out import ChannelPacer
from bot.x.client import TWEEPY_HOST, RedirectAdapter
from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.stack import start_stack
from storage.models import Base
from tests.reliability.world import (
    NO_CRISIS,
    DbView,
    Driver,
    Tally,
    count,
    customer_text,
    parents_by_case,
    start_fakes,
)
from tests.scenario.harness import CHANNEL, LEAD, LEAD2, SECRETS, SIGNING_SECRET

X_TIMEOUT = 1.0
SLACK_METHODS = ("chat.postMessage", "chat.update", "conversations.history",
                 "conversations.replies")


@dataclass
class JumpClock:
    """Real time plus an offset that the scenario moves forward."""

    offset: timedelta = field(default_factory=timedelta)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self) -> datetime:
        with self.lock:
            return datetime.now(UTC) + self.offset

    def jump_to(self, when: datetime) -> None:
        with self.lock:
            ahead = when - (datetime.now(UTC) + self.offset)
            if ahead > timedelta(0):
                self.offset += ahead


class InProcessDesk:
    """The runtime app.py builds (clock injected, no Slack pacing), served over HTTP by the
    shared start-up builder; the X client's transport is mounted again with a short timeout."""

    def __init__(self, *, database_url: str, slack: FakeSlack, x: FakeX,
                 clock: JumpClock) -> None:
        settings = {"CARE_CHANNEL_ID": CHANNEL, "CARE_LEAD_IDS": f"{LEAD},{LEAD2}",
                    "X_POLL_SECONDS": "3600", "DATABASE_URL": database_url,
                    "CARE_SLA_MINUTES": "1440", **NO_CRISIS}
        self.stack = start_stack(tokens=SECRETS, signing_secret=SIGNING_SECRET,
                                 settings=settings, slack=slack, x=x,
                                 runtime_options={"clock": clock,
                                                  "pacer": ChannelPacer(per_second=0)})
        self.runtime = self.stack.runtime
        self.runtime.x.client.session.mount(
            TWEEPY_HOST, RedirectAdapter(base_url=x.url, timeout=X_TIMEOUT))
        self.events_url = self.stack.requests.url
        self.runtime.start_jobs()

    def stop(self) -> None:
        """Stop serving and the runtime; the stand-ins keep their records for the tally."""
        self.stack.stop()


class SlackChaos(threading.Thread):
    """Queues a 429 or 500 for a random Slack method now and then (about ``rate`` of calls)."""

    def __init__(self, slack: FakeSlack, *, rate: float, rng: random.Random) -> None:
        super().__init__(name="slack-chaos", daemon=True)
        self.slack, self.rate, self.rng = slack, rate, rng
        self.stop_event = threading.Event()

    def run(self) -> None:
        seen = 0
        while not self.stop_event.wait(0.02):
            calls = len(self.slack.calls)
            for _ in range(calls - seen):
                if self.rng.random() < self.rate:
                    self.slack.fail_next(self.rng.choice(SLACK_METHODS),
                                         status=self.rng.choice((429, 500)), retry_after=1)
            seen = calls


def run_faults(*, database_url: str, workdir: Path, cases: int = 10, seed: int = 7,
               x_rate: float = 0.25, slack_rate: float = 0.2,
               timeout: float = 90.0) -> Tally:
    del workdir  # everything stays in memory
    rng = random.Random(seed)
    slack, x = start_fakes()
    view = DbView(database_url)
    clock = JumpClock()
    desk = InProcessDesk(database_url=database_url, slack=slack, x=x, clock=clock)
    injected = (f"Slack 429/500 on ~{slack_rate:.0%} of calls; X 429/503/drop on "
                f"{x_rate:.0%} (POST after the post half of the time), timeouts")
    mentions: list[str] = []
    answered: list[str] = []
    driver = Driver(slack=slack, view=view, urls=lambda: [desk.events_url], answered=answered,
                    seed=seed, repeat_after=0.7)
    chaos = SlackChaos(slack, rate=slack_rate, rng=rng)
    try:
        # Ambiguous outcomes on X for sure (then at random): stored-then-503, stored-then-
        # dropped, stored-then-timeout, and a timeout that never stored anything.
        for status, effect, delay in ((503, True, 0.0), (0, True, 0.0),
                                      (200, True, X_TIMEOUT + 0.4), (503, False, X_TIMEOUT + 0.4)):
            x.fail_next(method="POST", path_prefix="/2/tweets", status=status,
                        after_effect=effect, delay=delay)
        x.fail_next(method="GET", path_prefix=f"/2/users/{x.brand_id}/mentions", status=200,
                    delay=X_TIMEOUT + 0.4)
        x.fail_next(method="GET", path_prefix=f"/2/users/{x.brand_id}/tweets", status=0)
        x.set_fault_rate(rate=x_rate, statuses=(429, 503, 0), seed=seed)
        chaos.start()
        driver.start()
        for i in range(cases):
            post = x.post_as_customer(username=f"cust{i}", text=customer_text(i))
            mentions.append(post)
            answered.append(post)
        deadline = time.monotonic() + timeout
        next_poll = 0.0
        while not _settled(view, slack, mentions):
            if time.monotonic() > deadline:
                raise AssertionError("not settled: " + _describe(view, slack, mentions))
            if time.monotonic() >= next_poll:  # the app polls every X_POLL_SECONDS
                desk.runtime.poller.poll()
                next_poll = time.monotonic() + 0.5
            _jump_when_idle(view, clock)
            desk.runtime.jobs.kick()
            time.sleep(0.1)
    finally:
        chaos.stop_event.set()
        driver.stop()
        chaos.join(timeout=5)
        x.reset_faults()
        slack.reset_faults()
        desk.stop()
        result = count(scenario="faults", injected=injected, slack=slack, x=x, view=view,
                       mentions=mentions, answered=answered)
        slack_faults = sum(1 for c in slack.calls if c["status"] in (429, 500))
        result.faults = len(x.injected) + slack_faults
        result.recoveries.update({
            "Slack 429/500 answers": slack_faults,
            "X faults": len(x.injected),
            "X POST faults after storing the post": sum(
                1 for method, _path, _status, effect in x.injected
                if method == "POST" and effect)})
        result.rounds = 1
        result.kills = 0
        view.dispose()
        slack.stop()
        x.stop()
    return result


def _settled(view: DbView, slack: FakeSlack, mentions: list[str]) -> bool:
    cases = view.cases()
    if any(post not in cases or cases[post][1] != "replied" for post in mentions):
        return False
    if view.slack_pending():
        return False
    parents = parents_by_case(slack)
    return all(cases[post][0] in parents for post in mentions)


def _describe(view: DbView, slack: FakeSlack, mentions: list[str]) -> str:
    cases = view.cases()
    states = [cases.get(p, (None, "missing", None))[1] for p in mentions]
    return (f"states {states}, outbound {view.outbound()}, slack pending "
            f"{view.slack_pending()}, parents {sorted(parents_by_case(slack))}")


def _jump_when_idle(view: DbView, clock: JumpClock) -> None:
    """If no outbox row is held by a worker, move the clock to the next retry time."""
    now = clock()
    held, upcoming = False, []
    with view.engine.connect() as c:
        for table in Base.metadata.sorted_tables:
            cols = table.c
            if "next_attempt_at" not in cols or "status" not in cols:
                continue
            if "lease_expires_at" in cols:
                held |= bool(c.scalar(select(func.count()).select_from(table).where(
                    cols.lease_expires_at > now, cols.status.in_(("pending", "sending")))))
            upcoming += c.scalars(select(cols.next_attempt_at).where(
                cols.status.in_(("pending", "unknown")), cols.next_attempt_at > now)).all()
    if not held and upcoming:
        clock.jump_to(min(upcoming) + timedelta(milliseconds=10))
