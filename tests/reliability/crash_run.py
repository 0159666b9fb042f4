"""The crash scenario: ``python app.py`` killed with SIGKILL at chosen and random points,
restarted on the same database, round after round; then one clean run settles everything
and the world is counted.

Kill points (one per round, cycling):

``poll``    shortly (0-150 ms) after the bot asked X for mentions: inside the poll.
``parent``  the moment Slack has stored a parent message, before the bot hears the ts.
``reply``   X has stored the reply but its answer is held back: the bot dies waiting.
``note``    Slack has stored a thread note (claim/draft/receipt), before the bot hears.
``random``  at a random time 0.3-4 s after the process started.

The restarted process runs under the same instance id, so it takes the pollers' leases
back at once (the time from each restart to its first mentions read is the intake gap).
A dead process's outbox leases would expire after their TTL (60-120 s); the scenario moves
them forward at once (``DbView.expire_leases``), which is what waiting would do.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.process import BotProcess
from tests.reliability.world import (
    NO_CRISIS,
    DbView,
    Driver,
    Tally,
    count,
    customer_text,
    parents_by_case,
    start_fakes,
    wait_for,
)
from tests.scenario.harness import env_for

KILL_MODES = ("poll", "parent", "reply", "note", "random")
CRASH_POLL_SECONDS = 5


class _Killer:
    """Arms one kill trigger for one process start; ``fired`` tells whether it went off."""

    def __init__(self, *, mode: str, bot: BotProcess, slack: FakeSlack, x: FakeX,
                 rng: random.Random) -> None:
        self.mode, self.bot, self.slack, self.x, self.rng = mode, bot, slack, x, rng
        self.fired = threading.Event()
        self._unsubscribe = None
        self._watch: threading.Thread | None = None
        self._stop = threading.Event()

    def _kill(self) -> None:
        if self.fired.is_set():
            return
        self.fired.set()
        proc = self.bot.proc
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)

    def arm(self) -> None:
        """Call just before the process is spawned."""
        if self.mode in ("parent", "note"):
            want_note = self.mode == "note"

            def on_call(call: dict) -> None:
                args = call["args"]
                if call["method"] != "chat.postMessage" or not call["ok"]:
                    return
                is_note = bool(args.get("thread_ts"))
                is_parent = (args.get("metadata") or {}).get("event_type") == "care_case"
                if (want_note and is_note) or (not want_note and is_parent):
                    self._kill()  # Slack has it; the answer never reaches the bot

            self._unsubscribe = self.slack.subscribe(on_call)
        elif self.mode == "reply":
            before = len(self.x.brand_posts())
            self.x.fail_next(method="POST", path_prefix="/2/tweets", status=200, delay=4.0)
            self._watch_for(lambda: len(self.x.brand_posts()) > before, delay=0.0)
        elif self.mode == "poll":
            before = self._mention_reads()
            self._watch_for(lambda: self._mention_reads() > before,
                            delay=self.rng.uniform(0.0, 0.15))
        elif self.mode == "random":
            self._watch_for(lambda: True, delay=self.rng.uniform(0.3, 4.0))

    def _mention_reads(self) -> int:
        return sum(1 for method, path in self.x.requests
                   if method == "GET" and path.endswith("/mentions"))

    def _watch_for(self, condition, *, delay: float) -> None:
        def watch() -> None:
            while not self._stop.is_set():
                if self.bot.proc is not None and condition():
                    time.sleep(delay)
                    self._kill()
                    return
                time.sleep(0.003)

        self._watch = threading.Thread(target=watch, name=f"kill-{self.mode}", daemon=True)
        self._watch.start()

    def disarm(self) -> None:
        self._stop.set()
        if self._unsubscribe:
            self._unsubscribe()
        if self._watch:
            self._watch.join(timeout=5)
        self.x.reset_faults()


def _mention_reads(x: FakeX) -> int:
    return sum(1 for method, path in x.requests if method == "GET" and path.endswith("/mentions"))


class _IntakeGap:
    """Measures the time from a restart after a kill to the first mentions read."""

    def __init__(self, *, x: FakeX, after_kill: bool) -> None:
        self.x, self.after_kill = x, after_kill
        self.reads_before = _mention_reads(x)
        self.started = time.monotonic()

    def watch(self, tally: Tally, proc, *, timeout: float = 60.0) -> None:
        """Record the gap, unless ``proc`` dies before it reads (a kill may come first)."""
        if not self.after_kill:
            return

        def wait() -> None:
            while time.monotonic() - self.started < timeout and proc.poll() is None:
                if _mention_reads(self.x) > self.reads_before:
                    tally.intake_gaps.append(time.monotonic() - self.started)
                    return
                time.sleep(0.01)

        threading.Thread(target=wait, name="intake-gap", daemon=True).start()


def run_crash(*, database_url: str, workdir: Path, rounds: int = 5, mentions_per_round: int = 3,
              answered_per_round: int = 2, seed: int = 1, modes: tuple[str, ...] = KILL_MODES,
              round_timeout: float = 15.0, settle_timeout: float = 120.0) -> Tally:
    rng = random.Random(seed)
    slack, x = start_fakes()
    view = DbView(database_url)
    env = env_for(slack=slack, x=x, database_url=database_url,
                  X_POLL_SECONDS=str(CRASH_POLL_SECONDS), **NO_CRISIS)
    bot = BotProcess(env=env, log_path=workdir / "bot.log")
    mentions: list[str] = []
    answered: list[str] = []
    current: list[str] = []
    driver = Driver(slack=slack, view=view, urls=lambda: list(current), answered=answered,
                    seed=seed)
    tally = Tally(scenario="crash", injected="kill -9: " + ", ".join(modes))
    kills_fired = 0
    try:
        driver.start()
        for n in range(rounds):
            mode = modes[n % len(modes)]
            for i in range(mentions_per_round):
                post = x.post_as_customer(username=f"cust{n}_{i}",
                                          text=customer_text(len(mentions)))
                mentions.append(post)
                if i < answered_per_round:
                    answered.append(post)
            killer = _Killer(mode=mode, bot=bot, slack=slack, x=x, rng=rng)
            killer.arm()
            gap = _IntakeGap(x=x, after_kill=n > 0)
            gap.watch(tally, bot.spawn())
            current[:] = [bot.events_url]
            killer.fired.wait(round_timeout)
            if not killer.fired.is_set():
                tally.problems.append(f"round {n}: {mode} kill point not reached")
            else:
                kills_fired += 1
            killer.disarm()
            current[:] = []
            owner = bot.kill()
            view.expire_leases(owner)
        gap = _IntakeGap(x=x, after_kill=True)
        gap.watch(tally, bot.spawn())
        bot.wait_ready()
        current[:] = [bot.events_url]
        _settle(view=view, slack=slack, mentions=mentions, answered=answered,
                timeout=settle_timeout)
        bot.stop()
        current[:] = []
    finally:
        driver.stop()
        bot.kill()
        result = count(scenario="crash", injected=tally.injected, slack=slack, x=x, view=view,
                       mentions=mentions, answered=answered)
        view.dispose()
        slack.stop()
        x.stop()
    result.rounds, result.kills = rounds, kills_fired
    result.problems = tally.problems + result.problems
    result.intake_gaps = list(tally.intake_gaps)
    return result


def _settle(*, view: DbView, slack: FakeSlack, mentions: list[str], answered: list[str],
            timeout: float) -> None:
    """Wait until every mention is a case with a parent, every answered case replied, and
    Slack's queue is empty."""
    def settled() -> bool:
        cases = view.cases()
        if any(post not in cases for post in mentions):
            return False
        if any(cases[post][1] != "replied" for post in answered):
            return False
        if view.slack_pending():
            return False
        parents = parents_by_case(slack)
        return all(cases[post][0] in parents for post in mentions)

    try:
        wait_for(settled, timeout=timeout, what="every case in Slack and every reply sent",
                 interval=0.2)
    except AssertionError as exc:
        cases = view.cases()
        states = sorted((cases[p][0], cases[p][1]) for p in answered if p in cases)
        raise AssertionError(f"{exc}: {len(cases)}/{len(mentions)} cases, answered cases "
                             f"{states}, outbox {view.outbound()}, Slack pending "
                             f"{view.slack_pending()}, parents "
                             f"{sorted(parents_by_case(slack))}") from None
