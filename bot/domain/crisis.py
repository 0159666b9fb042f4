"""Crisis detection: notice a burst of angry posts, raise one alarm, and say when it is over.

Pure (stdlib only): no Slack, X or SQL. The service feeds every post it opens (or would open)
a case for, with the sentiment triage gave it, asks for a decision on each poll tick, renders
an alert on START and persists :meth:`CrisisDetector.to_dict` in the database after each tick
(compare-and-set on the stored row, so two instances never both act on one START).

The rule. The window is the last ``window_minutes`` minute buckets (the current one included).
It is *spiking* when all of these hold:

* volume (posts in the window) >= ``min_posts``: a quiet account never alarms on a few posts;
* volume >= ``volume_factor`` x the usual volume for those minutes: the baseline's posts per
  hour for each hour of the week (UTC, Monday 00:00 = 0), scaled to the window. An hour never
  learnt uses the mean of the known hours; with no baseline at all only ``min_posts`` guards;
* the share of posts with sentiment <= ``negative_threshold`` is >= ``negative_share``: a
  happy viral post is not a crisis.

Modes: off -> (spiking) START, on -> STILL_ON while spiking or for less than ``calm_minutes``
since it stopped -> CALM, off. The baseline learns each finished hour as it leaves the window
(a moving average over about ``baseline_weeks`` weeks); hours that saw crisis mode or a spike
are not learnt, nor is a fresh detector's first, partial hour. ``load_baseline`` seeds it from
history (see :func:`hourly_baseline`).

Manual override (``/care crisis on|off``): ``force(on=True)`` turns crisis mode on and keeps it
on until ``/care crisis off`` (a human turned it on, for instance ahead of an announcement; it
does not calm by itself). ``force(on=False)`` turns it off (no CALM decision: the command
already said so) and mutes alarms until the window has stayed below the thresholds for
``calm_minutes``; only a new rise after that raises START again.

Example::

    detector = CrisisDetector(rules=CrisisRules(min_posts=20))
    detector.load_baseline(counts={hour: 8.0 for hour in range(168)})  # posts per hour
    for post in new_posts:
        detector.observe(obs=Observation(post_id=post.id, created_at=post.created_at,
                                         text=post.text, sentiment=verdict.sentiment,
                                         url=post.url))
    decision = detector.evaluate(now=clock())
    if decision.kind is DecisionKind.START:
        ...  # post decision.alert in the care channel, mentioning the leads
    if detector.active:
        key = topic_key(text=post.text, urls=post.urls, focus=detector.focus)  # digest case
    saved = detector.to_dict()  # JSON-ready; CrisisDetector.from_dict(data=saved, rules=rules)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.domain.crisis_rules import (
    _HOURS_PER_WEEK,
    ALERT_EXAMPLES,
    ALERT_TERMS,
    STATE_VERSION,
    Alert,
    CrisisRules,
    Decision,
    DecisionKind,
    Observation,
    WindowStats,
    _how,
    _minute,
    _need_aware,
    hour_of_week,
    hourly_baseline,
)
from bot.domain.crisis_state import Minute, dump_state, keep_examples, load_state
from bot.domain.topics import bigrams, rank_terms, terms, topic_key

__all__ = [
    "ALERT_EXAMPLES",
    "ALERT_TERMS",
    "STATE_VERSION",
    "Alert",
    "CrisisDetector",
    "CrisisRules",
    "Decision",
    "DecisionKind",
    "Observation",
    "WindowStats",
    "hour_of_week",
    "hourly_baseline",
    "topic_key",
]



# --- the detector -----------------------------------------------------------------------------


class CrisisDetector:
    """A pure state machine: feed it posts (:meth:`observe`) and ask it at a given time
    (:meth:`evaluate`). Not thread-safe; one instance per brand account, rebuilt from its
    persisted state (:meth:`from_dict`) by whichever process handles the tick.

    Example::

        detector = CrisisDetector(rules=CrisisRules())
        detector.observe(obs=obs)
        decision = detector.evaluate(now=datetime.now(UTC))
        detector.force(on=False, now=datetime.now(UTC))  # /care crisis off
    """

    def __init__(self, *, rules: CrisisRules = CrisisRules()) -> None:  # noqa: B008 (frozen)
        self.rules = rules
        self._minutes: dict[int, Minute] = {}
        self._baseline: dict[int, tuple[float, int]] = {}  # hour of week -> (per hour, weeks)
        self._folded_until: int | None = None  # epoch minute; older buckets are folded
        self._acc_count = 0  # posts of the hour being folded (the hour of _folded_until)
        self._acc_skip = False  # that hour is not learnt
        self._active = False
        self._manual = False
        self._suppressed = False
        self._since: datetime | None = None
        self._below_since: datetime | None = None
        self._focus: tuple[str, ...] = ()

    # -- reading ---------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Crisis mode is on: group alike posts under digest cases."""
        return self._active

    @property
    def manual(self) -> bool:
        """Crisis mode was turned on with ``/care crisis on`` (ends only with ``off``)."""
        return self._manual

    @property
    def suppressed(self) -> bool:
        """``/care crisis off`` mutes alarms until the window has calmed down."""
        return self._suppressed

    @property
    def since(self) -> datetime | None:
        """When crisis mode started (None when off)."""
        return self._since

    @property
    def focus(self) -> tuple[str, ...]:
        """The crisis's top terms (from its alert), most frequent first: pass them to
        :func:`topic_key` as ``focus`` to get one digest per crisis term."""
        return self._focus

    @property
    def baseline(self) -> dict[int, float]:
        """Usual posts per hour by hour of week, for the hours known so far."""
        return {how: avg for how, (avg, _) in sorted(self._baseline.items())}

    def snapshot(self, *, now: datetime) -> WindowStats:
        """The window at ``now`` without changing anything (for ``/care crisis`` status)."""
        _need_aware(now, "now")
        return self._stats(_minute(now))

    # -- feeding ---------------------------------------------------------------------------

    def load_baseline(self, *, counts: Mapping[int, float]) -> None:
        """Replace the baseline with usual posts per hour by hour of week (0..167, Monday
        00:00 UTC = 0), as from :func:`hourly_baseline`; they count as fully learnt.

        Example::

            detector.load_baseline(counts={9: 120.0, 10: 140.0})  # Monday 09:00 and 10:00
        """
        loaded: dict[int, tuple[float, int]] = {}
        for how, per_hour in counts.items():
            if not (isinstance(how, int) and 0 <= how < _HOURS_PER_WEEK):
                raise ValueError(f"baseline hour of week must be 0..167, got {how!r}")
            if not (math.isfinite(per_hour) and per_hour >= 0):
                raise ValueError(f"baseline posts per hour must be >= 0, got {per_hour!r}")
            loaded[how] = (float(per_hour), self.rules.baseline_weeks)
        self._baseline = loaded

    def observe(self, *, obs: Observation) -> None:
        """Count one post (feed each post once; the order does not matter). A post older
        than the window already evaluated only counts toward the hour being learnt.

        Example::

            detector.observe(obs=Observation(post_id="1", created_at=at, text="down again",
                                              sentiment=-0.5, url="https://x.com/a/status/1"))
        """
        minute = _minute(obs.created_at)
        if self._folded_until is not None and minute < self._folded_until:
            if minute // 60 == self._folded_until // 60:
                self._acc_count += 1
            return
        bucket = self._minutes.setdefault(minute, Minute())
        bucket.count += 1
        if obs.sentiment <= self.rules.negative_threshold:
            bucket.negatives += 1
        words = terms(obs.text, ignore=self.rules.ignore_terms)
        bucket.terms.update(set(words) | set(bigrams(words)))
        if obs.url:
            bucket.examples = keep_examples(
                [*bucket.examples, (float(obs.sentiment), obs.post_id, obs.url)]
            )

    # -- deciding --------------------------------------------------------------------------

    def evaluate(self, *, now: datetime) -> Decision:
        """Decide at ``now``: NOTHING, START (with the alert), STILL_ON or CALM. Calling it
        again at the same moment never repeats a START.

        Example::

            decision = detector.evaluate(now=datetime.now(UTC))
            if decision.kind is DecisionKind.START:
                post_alert(decision.alert)
        """
        _need_aware(now, "now")
        now_minute = _minute(now)
        self._fold(now_minute - self.rules.window_minutes + 1)
        stats = self._stats(now_minute)
        if stats.spiking or self._active:
            self._flag_window(now_minute)
        calm_for = timedelta(minutes=self.rules.calm_minutes)
        if stats.spiking:
            self._below_since = None
        elif self._below_since is None:
            self._below_since = now
        calmed = self._below_since is not None and now - self._below_since >= calm_for

        if self._active:
            if calmed and not self._manual:
                self._set_off()
                return Decision(kind=DecisionKind.CALM, stats=stats)
            return Decision(kind=DecisionKind.STILL_ON, stats=stats)
        if self._suppressed:
            if calmed:
                self._suppressed = False
            return Decision(kind=DecisionKind.NOTHING, stats=stats)
        if not stats.spiking:
            return Decision(kind=DecisionKind.NOTHING, stats=stats)
        alert = self._alert(now, now_minute, stats)
        self._active, self._manual, self._since = True, False, now
        self._focus = tuple(term for term, _ in alert.top_terms)
        return Decision(kind=DecisionKind.START, stats=stats, alert=alert)

    def force(self, *, on: bool, now: datetime) -> bool:
        """``/care crisis on|off``. Returns whether the mode changed (False: it already was).

        ``on``: crisis mode on until ``/care crisis off`` (no alert; STILL_ON from now on).
        ``off``: crisis mode off at once (no CALM decision) and alarms muted until the window
        has stayed below the thresholds for ``calm_minutes``; a rise after that alarms again.

        Example::

            if not detector.force(on=True, now=now):
                reply("crisis mode is already on")
        """
        _need_aware(now, "now")
        if on:
            changed = not self._active
            if changed:
                self._since, self._focus = now, ()
            self._active, self._manual, self._suppressed = True, True, False
            return changed
        changed = self._active
        self._set_off()
        self._suppressed = True
        self._below_since = None if self.snapshot(now=now).spiking else now
        return changed

    def _set_off(self) -> None:
        self._active = self._manual = False
        self._since, self._below_since, self._focus = None, None, ()

    def _window(self, now_minute: int) -> list[Minute]:
        start = now_minute - self.rules.window_minutes + 1
        return [b for m, b in self._minutes.items() if m >= start]

    def _flag_window(self, now_minute: int) -> None:
        for bucket in self._window(now_minute):
            bucket.flagged = True

    def _rate(self, how: int) -> float:
        if how in self._baseline:
            return self._baseline[how][0]
        known = [avg for avg, _ in self._baseline.values()]
        return sum(known) / len(known) if known else 0.0

    def _usual(self, now_minute: int) -> float:
        start, end = now_minute - self.rules.window_minutes + 1, now_minute + 1
        usual = 0.0
        for hour in range(start // 60, (end - 1) // 60 + 1):
            overlap = min(end, (hour + 1) * 60) - max(start, hour * 60)
            usual += self._rate(_how(hour)) * overlap / 60
        return usual

    def _stats(self, now_minute: int) -> WindowStats:
        window = self._window(now_minute)
        volume = sum(b.count for b in window)
        negatives = sum(b.negatives for b in window)
        usual = self._usual(now_minute)
        share = negatives / volume if volume else 0.0
        rules = self.rules
        spiking = (
            volume >= rules.min_posts
            and volume >= rules.volume_factor * usual
            and share >= rules.negative_share
        )
        return WindowStats(volume=volume, negatives=negatives, usual=usual,
                           negative_share=share, spiking=spiking)

    def _alert(self, now: datetime, now_minute: int, stats: WindowStats) -> Alert:
        window = self._window(now_minute)
        counts: Counter[str] = Counter()
        for bucket in window:
            counts.update(bucket.terms)
        examples = keep_examples(ex for b in window for ex in b.examples)
        return Alert(
            at=now, window_minutes=self.rules.window_minutes, volume=stats.volume,
            usual=stats.usual, negative_share=stats.negative_share,
            top_terms=tuple(rank_terms(counts, limit=ALERT_TERMS)),
            examples=tuple(url for _, _, url in examples),
        )

    # -- learning the baseline -------------------------------------------------------------

    def _fold(self, cutoff: int) -> None:
        """Move buckets older than ``cutoff`` (epoch minute) out of the window into the hour
        being learnt; learn each hour that is over."""
        if self._folded_until is None:
            self._folded_until = min([cutoff, *self._minutes])
            self._acc_count, self._acc_skip = 0, True  # a partial first hour: not learnt
        if cutoff <= self._folded_until:
            return
        per_hour: Counter[int] = Counter()
        skip: set[int] = set()
        for minute in [m for m in self._minutes if m < cutoff]:
            bucket = self._minutes.pop(minute)
            per_hour[minute // 60] += bucket.count
            if bucket.flagged:
                skip.add(minute // 60)
        hour, last = self._folded_until // 60, cutoff // 60
        if hour < last:
            self._learn(hour, self._acc_count + per_hour[hour], self._acc_skip or hour in skip)
            hour = max(hour + 1, last - self.rules.baseline_weeks * _HOURS_PER_WEEK)
            for h in range(hour, last):
                self._learn(h, per_hour[h], h in skip)
            self._acc_count, self._acc_skip = per_hour[last], last in skip
        else:
            self._acc_count += per_hour[hour]
            self._acc_skip = self._acc_skip or hour in skip
        self._folded_until = cutoff

    def _learn(self, epoch_hour: int, count: int, skip: bool) -> None:
        if skip:
            return
        how = _how(epoch_hour)
        avg, n = self._baseline.get(how, (0.0, 0))
        n = min(n + 1, self.rules.baseline_weeks)
        self._baseline[how] = (avg + (count - avg) / n, n)

    # -- persistence -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state: the minute buckets not yet learnt (counts, top terms, example
        links), the baseline and the mode. Each bucket keeps its 25 most frequent terms.

        Example::

            row.state = json.dumps(detector.to_dict())
        """
        return dump_state(self)

    @classmethod
    def from_dict(
        cls, *, data: Mapping[str, Any], rules: CrisisRules = CrisisRules()  # noqa: B008
    ) -> CrisisDetector:
        """Rebuild a detector from :meth:`to_dict` (rules come from settings, not state).

        Example::

            detector = CrisisDetector.from_dict(data=json.loads(row.state), rules=rules)
        """
        return load_state(cls(rules=rules), data=data)
