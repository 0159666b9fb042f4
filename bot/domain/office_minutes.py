"""Office-hour minutes between many pairs of instants, fast.

Pure. :class:`OfficeMinuteMeter` lists the open spans of a window once and then answers
each ``minutes_between`` with two binary searches, giving what
``OfficeHours.business_minutes_between`` gives (it falls back to it outside the window).
A period report measures every case's first response this way.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from bot.domain.office_hours import OfficeHours


class OfficeMinuteMeter:
    def __init__(self, hours: OfficeHours, *, start: datetime, until: datetime) -> None:
        self.hours = hours
        self.first, self.last = start.timestamp(), until.timestamp()
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.before: list[float] = []  # open seconds before each span
        total = 0.0
        # The clock's own open spans (UTC), so DST, holidays and closed dates agree with it.
        for a, b in hours._spans(start, until=until):
            self.starts.append(a.timestamp())
            self.ends.append(b.timestamp())
            self.before.append(total)
            total += b.timestamp() - a.timestamp()

    def _open_seconds_until(self, ts: float) -> float:
        index = bisect_right(self.starts, ts) - 1
        if index < 0:
            return 0.0
        return self.before[index] + min(ts, self.ends[index]) - self.starts[index]

    def minutes_between(self, start: datetime, end: datetime) -> float:
        a, b = start.timestamp(), end.timestamp()
        if not (self.first <= a <= self.last and self.first <= b <= self.last):
            return self.hours.business_minutes_between(start, end)
        if b <= a:
            return 0.0
        return (self._open_seconds_until(b) - self._open_seconds_until(a)) / 60.0
