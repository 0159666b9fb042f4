"""Watching for a crisis, and grouping alike posts while one lasts.

Each poll's new posts are fed to the crisis detector (bot.domain.crisis) before they
are routed, so the first post of a burst already knows whether the desk is in crisis
mode. The detector's state is shared by all instances through a compare-and-set
row; only the instance whose write wins posts the alert (or the all-clear).

Example::

    watch = CrisisWatch(state=SharedState(db), rules=CrisisRules(), sentiment=...,
                        channel_posts=ChannelPosts(db), channel="C1", leads=leads, clock=clock)
    watch.observe(posts)         # after each poll, before routing
    watch.mode()                 # CrisisMode(active=True, focus=("outage",), since=...)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.domain.crisis import CrisisDetector, CrisisRules, Decision, DecisionKind, Observation
from bot.domain.model import InboundPost
from bot.render import crisis_text
from bot.services.leads import LeadDirectory
from storage.channel_posts import ChannelPosts
from storage.crisis_periods import CrisisPeriods
from storage.screening import SharedState

log = logging.getLogger(__name__)

STATE = "crisis"
CACHE_SECONDS = 1.0
T = TypeVar("T")


@dataclass(frozen=True)
class CrisisMode:
    active: bool = False
    focus: tuple[str, ...] = ()
    since: datetime | None = None


class CrisisWatch:
    def __init__(self, *, state: SharedState, rules: CrisisRules,
                 sentiment: Callable[[str], float], channel_posts: ChannelPosts, channel: str,
                 leads: LeadDirectory, clock: Callable[[], datetime],
                 kick: Callable[[], None] = lambda: None,
                 periods: CrisisPeriods | None = None) -> None:
        self.kick = kick
        self.periods = periods  # where each crisis's begin and end are kept for reports
        self.state = state
        self.rules = rules
        self.sentiment = sentiment
        self.channel_posts = channel_posts
        self.channel = channel
        self.leads = leads
        self.clock = clock
        self._cache: tuple[float, CrisisMode] | None = None
        self._lock = threading.Lock()

    def observe(self, posts: list[InboundPost]) -> DecisionKind:
        """Feed new posts, evaluate, store; post the alert or the all-clear if it changed."""
        now = self.clock()
        observations = [Observation(post_id=p.id, created_at=now, text=p.text,
                                    sentiment=self.sentiment(p.text), url=p.url)
                        for p in posts if p.kind == "post"]

        def feed(detector: CrisisDetector) -> Decision:
            for obs in observations:
                detector.observe(obs=obs)
            return detector.evaluate(now=now)

        stored, decision = self._change(feed, now=now)
        if not stored:
            log.warning("crisis state kept changing under us; this round is skipped")
            return DecisionKind.NOTHING
        self._record(decision.kind, now=now, how="detected")
        if decision.kind is DecisionKind.START and decision.alert is not None:
            self.channel_posts.queue(channel=self.channel, now=now, text=crisis_text.alert(
                decision.alert, leads=self.leads.mention_list()))
            self.kick()
        elif decision.kind is DecisionKind.CALM:
            self.channel_posts.queue(channel=self.channel, now=now,
                                     text=crisis_text.calm(decision.stats))
            self.kick()
        return decision.kind

    def force(self, *, on: bool, user_id: str) -> str:
        """``/care crisis on|off``."""
        now = self.clock()
        stored, changed = self._change(lambda detector: detector.force(on=on, now=now), now=now)
        if not stored:
            return crisis_text.BUSY
        if changed:
            self._record(DecisionKind.START if on else DecisionKind.CALM, now=now, how="forced")
            self.channel_posts.queue(channel=self.channel, now=now,
                                     text=crisis_text.forced(on=on, by=user_id))
            self.kick()
        return crisis_text.forced_answer(on=on, changed=changed)

    def status(self) -> str:
        detector, _ = self._load()
        stats = detector.snapshot(now=self.clock())
        return crisis_text.status(active=detector.active, manual=detector.manual,
                                  since=detector.since, focus=detector.focus, stats=stats,
                                  window_minutes=self.rules.window_minutes)

    def mode(self) -> CrisisMode:
        """Crisis mode as stored (cached for a second: the intake asks for every post)."""
        with self._lock:
            if self._cache and time.monotonic() - self._cache[0] < CACHE_SECONDS:
                return self._cache[1]
        detector, _ = self._load()
        mode = CrisisMode(active=detector.active, focus=tuple(detector.focus),
                          since=detector.since)
        with self._lock:
            self._cache = (time.monotonic(), mode)
        return mode

    def status_line(self) -> str | None:
        mode = self.mode()
        return crisis_text.status_line(mode.since, mode.focus) if mode.active else None

    def _change(self, change: Callable[[CrisisDetector], T], *,
                now: datetime) -> tuple[bool, T | None]:
        """Apply ``change`` to the stored detector and store it (compare-and-set, retried
        while other instances write first); (stored, what ``change`` returned)."""
        for _ in range(10):
            detector, version = self._load()
            result = change(detector)
            if self.state.compare_and_set(STATE, value=detector.to_dict(), version=version,
                                          now=now):
                self._forget()
                return True, result
        return False, None

    def _record(self, kind: DecisionKind, *, now: datetime, how: str) -> None:
        """Keep when crisis mode began or ended (the instance whose write won does)."""
        if self.periods is None:
            return
        if kind is DecisionKind.START:
            self.periods.begin(at=now, how=how)
        elif kind is DecisionKind.CALM:
            self.periods.end(at=now)

    def _load(self) -> tuple[CrisisDetector, int]:
        data, version = self.state.get(STATE)
        if not data:
            return CrisisDetector(rules=self.rules), version
        try:
            return CrisisDetector.from_dict(data=data, rules=self.rules), version
        except (ValueError, KeyError, TypeError):
            log.warning("stored crisis state unreadable; starting afresh")
            return CrisisDetector(rules=self.rules), version

    def _forget(self) -> None:
        with self._lock:
            self._cache = None
