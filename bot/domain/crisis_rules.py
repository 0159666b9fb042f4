"""The values of crisis detection: its rules (from settings), what it observes, and what it
decides, with the hour-of-week arithmetic they share. Pure (stdlib only).

The detector itself is :class:`bot.domain.crisis.CrisisDetector`.

Example::

    rules = CrisisRules.from_settings(min_posts="20", negative_share="50%")
    obs = Observation(post_id="1", created_at=now, text="app down", sentiment=-0.7)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

ALERT_TERMS = 5
"""Top terms in an alert."""
ALERT_EXAMPLES = 3
"""Example post links in an alert (most negative first)."""
STATE_VERSION = 1
_TERMS_KEPT = 25  # terms kept per minute bucket in the persisted state
_HOURS_PER_WEEK = 7 * 24
_EPOCH_HOW = 3 * 24  # 1970-01-01 was a Thursday: hour-of-week of epoch hour 0


def _need_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _minute(at: datetime) -> int:
    return int(at.timestamp() // 60)


def _how(epoch_hour: int) -> int:
    return (epoch_hour + _EPOCH_HOW) % _HOURS_PER_WEEK


def hour_of_week(*, at: datetime) -> int:
    """The baseline bucket of a moment: hours since Monday 00:00 UTC (0..167).

    Example::

        hour_of_week(at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # 9 (a Monday)
    """
    _need_aware(at, "at")
    return _how(int(at.timestamp() // 3600))


def hourly_baseline(
    *, times: Iterable[datetime], start: datetime, end: datetime
) -> dict[int, float]:
    """Usual posts per hour for each hour of the week, from the post times of a span of
    history (the whole span: hours without posts count as zero). Only whole hours inside
    ``[start, end)`` count; hours of the week the span never covers are left out.

    Example::

        counts = hourly_baseline(times=[p.created_at for p in last_4_weeks],
                                 start=now - timedelta(weeks=4), end=now)
        detector.load_baseline(counts=counts)
    """
    _need_aware(start, "start")
    _need_aware(end, "end")
    first, last = math.ceil(start.timestamp() / 3600), math.floor(end.timestamp() / 3600)
    seen: Counter[int] = Counter(_how(h) for h in range(first, max(first, last)))
    posts: Counter[int] = Counter()
    for at in times:
        _need_aware(at, "times")
        hour = int(at.timestamp() // 3600)
        if first <= hour < last:
            posts[_how(hour)] += 1
    return {how: posts[how] / n for how, n in sorted(seen.items())}


# --- rules ------------------------------------------------------------------------------------


def _number(name: str, value: int | float | str, kind: type[int] | type[float]) -> float:
    text = str(value).strip().replace("_", "")
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"crisis {name}: expected {what}, got {value!r}") from None


@dataclass(frozen=True)
class CrisisRules:
    """Thresholds of the crisis detector (see the module docstring for the rule).

    ``ignore_terms`` are words never shown as top terms nor used as topics (the brand's own
    name and handle words, say).

    Example::

        rules = CrisisRules(min_posts=50, volume_factor=4.0)
        rules = CrisisRules.from_settings(window_minutes="10", negative_share="60%",
                                          ignore_terms="acme, acmeair")
    """

    window_minutes: int = 15
    min_posts: int = 20
    volume_factor: float = 3.0
    negative_share: float = 0.5
    negative_threshold: float = -0.3
    calm_minutes: int = 30
    baseline_weeks: int = 4
    ignore_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        words = tuple(dict.fromkeys(w.strip().lower() for w in self.ignore_terms if w.strip()))
        object.__setattr__(self, "ignore_terms", words)
        checks = (
            (1 <= self.window_minutes <= 1440, "window_minutes must be 1..1440"),
            (self.min_posts >= 1, "min_posts must be >= 1"),
            (self.volume_factor >= 1.0, "volume_factor must be >= 1 (times the usual volume)"),
            (0.0 <= self.negative_share <= 1.0, "negative_share must be between 0 and 1"),
            (-1.0 <= self.negative_threshold <= 1.0,
             "negative_threshold must be between -1 and 1 (VADER compound)"),
            (0 <= self.calm_minutes <= 1440, "calm_minutes must be 0..1440"),
            (1 <= self.baseline_weeks <= 52, "baseline_weeks must be 1..52"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(f"crisis {message}")

    @classmethod
    def from_settings(
        cls,
        *,
        window_minutes: int | str | None = None,
        min_posts: int | str | None = None,
        volume_factor: float | str | None = None,
        negative_share: float | str | None = None,
        negative_threshold: float | str | None = None,
        calm_minutes: int | str | None = None,
        baseline_weeks: int | str | None = None,
        ignore_terms: str | Iterable[str] | None = None,
    ) -> CrisisRules:
        """Build rules from environment strings; None or blank keeps the default.
        ``negative_share`` takes ``0.5`` or ``50%``; ``volume_factor`` takes ``3`` or ``3x``;
        ``ignore_terms`` is comma-separated.

        Example::

            CrisisRules.from_settings(min_posts="30", volume_factor="2.5x")
            CrisisRules.from_settings(min_posts="many")  # ValueError: crisis min_posts: ...
        """
        kw: dict[str, Any] = {}
        ints = (("window_minutes", window_minutes), ("min_posts", min_posts),
                ("calm_minutes", calm_minutes), ("baseline_weeks", baseline_weeks))
        for name, value in ints:
            if value is not None and str(value).strip():
                kw[name] = _number(name, value, int)
        if volume_factor is not None and str(volume_factor).strip():
            text = str(volume_factor).strip().lower().removesuffix("x")
            kw["volume_factor"] = _number("volume_factor", text, float)
        if negative_share is not None and str(negative_share).strip():
            text = str(negative_share).strip()
            percent = text.endswith("%")
            share = _number("negative_share", text.removesuffix("%"), float)
            kw["negative_share"] = share / 100 if percent else share
        if negative_threshold is not None and str(negative_threshold).strip():
            kw["negative_threshold"] = _number("negative_threshold", negative_threshold, float)
        if isinstance(ignore_terms, str):
            kw["ignore_terms"] = tuple(ignore_terms.split(","))
        elif ignore_terms is not None:
            kw["ignore_terms"] = tuple(ignore_terms)
        return cls(**kw)


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """One post as the detector sees it. ``sentiment`` is triage's VADER compound score
    (-1..1); ``url`` links to the post itself (for the alert's examples).

    Example::

        Observation(post_id="1890", created_at=post_time, text="@acme app down again",
                    sentiment=-0.4, url="https://x.com/jo/status/1890")
    """

    post_id: str
    created_at: datetime
    text: str
    sentiment: float
    url: str = ""

    def __post_init__(self) -> None:
        _need_aware(self.created_at, "created_at")
        if not -1.0 <= self.sentiment <= 1.0:
            raise ValueError(f"sentiment must be between -1 and 1, got {self.sentiment!r}")


class DecisionKind(StrEnum):
    """What the service should do after :meth:`CrisisDetector.evaluate`."""

    NOTHING = "nothing"  # not in crisis mode (and not entering it)
    START = "start"  # just entered crisis mode: post ``Decision.alert``, mention the leads
    STILL_ON = "still_on"  # crisis mode continues: group alike posts by topic
    CALM = "calm"  # crisis mode just ended: say so, back to one case per post


@dataclass(frozen=True)
class WindowStats:
    """The window at one moment. ``usual`` is the expected volume for the window."""

    volume: int
    negatives: int
    usual: float
    negative_share: float
    spiking: bool


@dataclass(frozen=True)
class Alert:
    """The one alarm of a crisis. ``top_terms`` are (term, posts) pairs, bigrams such as
    ``"app crash"`` included; ``examples`` are links to up to three posts, most negative
    first."""

    at: datetime
    window_minutes: int
    volume: int
    usual: float
    negative_share: float
    top_terms: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """The verdict of one evaluation: ``kind``, the window's ``stats``, and ``alert`` (only
    with START)."""

    kind: DecisionKind
    stats: WindowStats
    alert: Alert | None = None
