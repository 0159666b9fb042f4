"""When reports post themselves: ``daily HH:MM`` (yesterday), ``mon HH:MM`` (any weekday:
the last week), ``monthly D HH:MM`` (the last month), ``;``-separated, in the desk's time zone.

Pure. :func:`due_reports` says which periods are due at ``now``: each entry's latest fire
time at or before ``now`` (within ``CATCH_UP``, so a desk that was down at 07:00 still posts
at 07:20), and the period that fire time reports on.

Example::

    >>> [e.describe() for e in parse_report_schedule("daily 07:00; mon 08:30; monthly 1 09:00")]
    ['daily 07:00', 'mon 08:30', 'monthly 1 09:00']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.report_period import ReportPeriod, report_period

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATCH_UP = timedelta(hours=6)
_ENTRY = re.compile(r"^(daily|mon|tue|wed|thu|fri|sat|sun|monthly\s+(\d{1,2}))\s+"
                    r"(\d{1,2}):(\d{2})$")


class ReportScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class ScheduleEntry:
    kind: str                   # day | week | month
    at: time
    weekday: int | None = None  # week: 0 = Monday
    day: int | None = None      # month: day of the month (the last day when shorter)

    def describe(self) -> str:
        clock = self.at.strftime("%H:%M")
        if self.kind == "day":
            return f"daily {clock}"
        if self.kind == "week":
            return f"{WEEKDAYS[self.weekday or 0]} {clock}"
        return f"monthly {self.day} {clock}"

    def last_fire(self, now: datetime, tz: ZoneInfo) -> datetime:
        """The latest fire time at or before ``now``."""
        today = now.astimezone(tz).date()
        for back in range(0, 62):
            day = today - timedelta(days=back)
            if self._fires_on(day):
                fire = datetime.combine(day, self.at, tzinfo=tz)
                if fire <= now:
                    return fire
        raise AssertionError("a schedule entry fires at least once in 62 days")

    def _fires_on(self, day: date) -> bool:
        if self.kind == "day":
            return True
        if self.kind == "week":
            return day.weekday() == self.weekday
        month_end = ((day.replace(day=28) + timedelta(days=4)).replace(day=1)
                     - timedelta(days=1)).day
        return day.day == min(self.day or 1, month_end)


def parse_report_schedule(raw: str) -> tuple[ScheduleEntry, ...]:
    entries: list[ScheduleEntry] = []
    for part in (p.strip().lower() for p in raw.split(";")):
        if not part:
            continue
        match = _ENTRY.match(re.sub(r"\s+", " ", part))
        if not match:
            raise ReportScheduleError(
                f"{part[:40]!r} is not 'daily HH:MM', 'mon HH:MM' or 'monthly D HH:MM'")
        hour, minute = int(match.group(3)), int(match.group(4))
        if hour > 23 or minute > 59:
            raise ReportScheduleError(f"{part[:40]!r}: no such time of day")
        at = time(hour, minute)
        word = match.group(1)
        if word == "daily":
            entries.append(ScheduleEntry(kind="day", at=at))
        elif word.startswith("monthly"):
            day = int(match.group(2))
            if not 1 <= day <= 31:
                raise ReportScheduleError(f"{part[:40]!r}: the day must be 1 to 31")
            entries.append(ScheduleEntry(kind="month", at=at, day=day))
        else:
            entries.append(ScheduleEntry(kind="week", at=at, weekday=WEEKDAYS.index(word)))
    return tuple(entries)


def due_reports(entries: tuple[ScheduleEntry, ...], *, now: datetime,
                tz: ZoneInfo) -> list[ReportPeriod]:
    """The periods whose report is due at ``now`` (one per entry that fired lately)."""
    due: dict[str, ReportPeriod] = {}
    for entry in entries:
        fire = entry.last_fire(now, tz)
        if now - fire <= CATCH_UP:
            period = report_period(kind=entry.kind, current=False, now=fire, tz=tz)
            due.setdefault(period.key, period)
    return list(due.values())
