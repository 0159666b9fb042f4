"""Calendar periods a report covers, in the desk's time zone.

Pure. ``day`` is yesterday, ``week`` the last complete Monday-to-Sunday week, ``month`` the
last complete month; ``current=True`` gives the current, partial period up to ``now``.

Example::

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> tz = ZoneInfo("Europe/Berlin")
    >>> now = datetime(2026, 12, 2, 9, tzinfo=tz)
    >>> p = report_period(kind="week", current=False, now=now, tz=tz)
    >>> p.label
    'week of Mon 23 Nov 2026'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PERIOD_KINDS = ("day", "week", "month")


class ReportPeriodError(ValueError):
    pass


@dataclass(frozen=True)
class ReportPeriod:
    """``[start, end)`` as aware local datetimes; ``first_day`` .. ``last_day`` inclusive."""

    kind: str
    start: datetime
    end: datetime
    current: bool

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def days(self) -> list[date]:
        last = (self.end - timedelta(microseconds=1)).date()
        count = (last - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(max(count, 0))]

    @property
    def key(self) -> str:
        """Stable name of the period, e.g. ``week:2026-11-23`` (one scheduled post each)."""
        return f"{self.kind}:{self.first_day.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "day":
            text = self.start.strftime("%a %d %b %Y")
        elif self.kind == "week":
            text = "week of " + self.start.strftime("%a %d %b %Y")
        else:
            text = self.start.strftime("%B %Y")
        return text + (" (so far)" if self.current else "")


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def report_period(*, kind: str, current: bool, now: datetime, tz: ZoneInfo) -> ReportPeriod:
    """The period of ``kind`` that ends before ``now`` (or contains it when ``current``)."""
    if kind not in PERIOD_KINDS:
        raise ReportPeriodError(f"report period must be one of {', '.join(PERIOD_KINDS)}")
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    today = now.astimezone(tz).date()
    if kind == "day":
        first = today if current else today - timedelta(days=1)
        after = first + timedelta(days=1)
    elif kind == "week":
        monday = today - timedelta(days=today.weekday())
        first = monday if current else monday - timedelta(days=7)
        after = first + timedelta(days=7)
    else:
        this_month = _month_start(today)
        first = this_month if current else _month_start(this_month - timedelta(days=1))
        after = _next_month(first)
    end = now.astimezone(tz) if current else _midnight(after, tz)
    return ReportPeriod(kind=kind, start=_midnight(first, tz), end=end, current=current)
