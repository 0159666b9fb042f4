"""Office hours chosen from data: the hours of the week that cover most posts.

Pure. Arrivals are counted per hour of the week (Monday 00:00 is slot 0, 168 slots); the
busiest hours are taken until they hold ``share`` of all posts (with any hour as busy as
the last one taken), then each day gets one window
from its first to its last chosen hour, and days with equal windows are written together.

Example::

    >>> counts = [0] * 168
    >>> for day in range(5):
    ...     for hour in range(9, 17):
    ...         counts[day * 24 + hour] = 10
    >>> covering_hours(counts, share=0.9).describe()
    'mon-fri 09:00-17:00'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

HOURS_PER_WEEK = 168
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hour_of_week_counts(instants: Iterable[datetime], tz: ZoneInfo) -> list[int]:
    counts = [0] * HOURS_PER_WEEK
    for at in instants:
        local = at.astimezone(tz)
        counts[local.weekday() * 24 + local.hour] += 1
    return counts


@dataclass(frozen=True)
class CoveringHours:
    """One ``(start_hour, end_hour)`` window (end exclusive, up to 24) or None per weekday."""

    windows: tuple[tuple[int, int] | None, ...]
    share: float
    covered: float  # the share of posts inside the windows

    def describe(self) -> str:
        parts: list[str] = []
        day = 0
        while day < 7:
            window = self.windows[day]
            last = day
            while last + 1 < 7 and self.windows[last + 1] == window:
                last += 1
            if window is not None:
                days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]}-{DAY_NAMES[last]}"
                parts.append(f"{days} {window[0]:02d}:00-{window[1]:02d}:00")
            day = last + 1
        return ", ".join(parts) or "no posts"


def covering_hours(counts: list[int], *, share: float = 0.9) -> CoveringHours:
    if len(counts) != HOURS_PER_WEEK:
        raise ValueError("counts needs one entry per hour of the week")
    total = sum(counts)
    if total == 0:
        return CoveringHours(windows=(None,) * 7, share=share, covered=0.0)
    chosen = [False] * HOURS_PER_WEEK
    taken = 0
    last_count = 0
    for slot in sorted(range(HOURS_PER_WEEK), key=lambda i: (-counts[i], i)):
        # Hours exactly as busy as the last one needed are taken too (no arbitrary tie cut).
        if counts[slot] == 0 or (taken >= share * total and counts[slot] < last_count):
            break
        chosen[slot] = True
        taken += counts[slot]
        last_count = counts[slot]
    windows: list[tuple[int, int] | None] = []
    inside = 0
    for day in range(7):
        hours = [h for h in range(24) if chosen[day * 24 + h]]
        if not hours:
            windows.append(None)
            continue
        start, end = hours[0], hours[-1] + 1
        windows.append((start, end))
        inside += sum(counts[day * 24 + start: day * 24 + end])
    return CoveringHours(windows=tuple(windows), share=share, covered=inside / total)
