"""The response-time clock counted in office hours.

Pure: stdlib plus the ``holidays`` package. An :class:`OfficeHours` value knows the weekly
schedule (local wall-clock intervals), the time zone, public-holiday calendars and extra closed
dates, and answers: is the desk open now, when is a post due, how many business minutes lie
between two instants.

Rules:

* Business minutes are REAL elapsed minutes inside open intervals. Each local day's wall-clock
  intervals are converted to UTC on their own, so ``00:00-24:00`` lasts 23 h on a spring-forward
  day and 25 h on a fall-back day. A wall time the clocks skip (02:30 on spring-forward in New
  York) means the instant of the jump; an ambiguous one (01:30 on fall-back) its first occurrence.
* Holidays and closed dates close whole local days (including the after-midnight part of an
  overnight shift that started the day before).
* Intervals are half-open: open at the start instant, closed at the end instant.
* Every search walks interval by interval and gives up after ``SEARCH_LIMIT_DAYS`` days in a
  row without open time (e.g. closed dates covering more than a year).
* All datetimes in must be aware (naive -> ``ValueError``); datetimes out are in UTC.

Example::

    >>> from datetime import datetime, timezone
    >>> hours = OfficeHours.parse(schedule="mon-fri 09:00-18:00", timezone="Europe/Berlin",
    ...                           holidays=None, closed_dates=None)
    >>> friday = datetime(2026, 6, 5, 17, 45, tzinfo=hours.tz)
    >>> hours.add_business_minutes(friday, 60).astimezone(hours.tz).strftime("%a %H:%M")
    'Mon 09:45'
    >>> hours.describe()
    'Mon-Fri 09:00-18:00 (Europe/Berlin)'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from bot.domain.office_hours_parse import (
    MINUTES_PER_DAY,
    HolidayRegion,
    OfficeHoursError,
    WeekSchedule,
    merge_intervals,
    parse_closed_dates,
    parse_holiday_regions,
    parse_schedule,
    parse_timezone,
)

__all__ = ["SEARCH_LIMIT_DAYS", "FULL_WEEK", "OfficeHours", "OfficeHoursError",
           "HolidayRegion", "parse_office_hours"]  # fmt: skip

SEARCH_LIMIT_DAYS = 400
FULL_WEEK: WeekSchedule = tuple(((0, MINUTES_PER_DAY),) for _ in range(7))
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class OfficeHours:
    """When the care desk is staffed. Build it with :meth:`parse` (or directly, from parts).

    ``week`` holds seven merged ``(start, end)`` minute intervals per weekday, Monday first.
    """

    week: WeekSchedule = FULL_WEEK
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    holiday_regions: tuple[HolidayRegion, ...] = ()
    closed_dates: tuple[tuple[date, date], ...] = ()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise OfficeHoursError("office hours: the week needs seven day schedules")
        for day in self.week:
            bad = any(not 0 <= s < e <= MINUTES_PER_DAY for s, e in day)
            if bad or merge_intervals(day) != tuple(day):
                raise OfficeHoursError(f"office hours: bad day intervals {day!r}")
        if not any(self.week):
            raise OfficeHoursError("office hours: the schedule has no open time at all")

    @classmethod
    def parse(
        cls,
        *,
        schedule: str | None = None,
        timezone: str | None = None,
        holidays: str | None = None,
        closed_dates: str | None = None,
    ) -> OfficeHours:
        """Build from the settings ``CARE_OFFICE_HOURS``, ``CARE_TIMEZONE``, ``CARE_HOLIDAYS``
        and ``CARE_CLOSED_DATES``; all unset means always open, in UTC.

        >>> hours = OfficeHours.parse(schedule="sat-sun 10-14", timezone="America/New_York",
        ...                           holidays="US-NY", closed_dates="2026-12-26")
        >>> hours.describe().split("; ")
        ['Sat-Sun 10:00-14:00 (America/New_York)', 'closed on public holidays in US-NY', \
'closed 2026-12-26']
        """
        return cls(
            week=parse_schedule(text=schedule) or FULL_WEEK,
            tz=parse_timezone(text=timezone),
            holiday_regions=parse_holiday_regions(text=holidays),
            closed_dates=parse_closed_dates(text=closed_dates),
        )

    @property
    def always_open(self) -> bool:
        """Open every minute: a full week and no holidays or closed dates."""
        return self.week == FULL_WEEK and not self.holiday_regions and not self.closed_dates

    # -- questions about instants -------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether the desk is open at ``at`` (aware)."""
        at = _aware(at, "at")
        return any(a <= at < b for a, b in _utc_spans(self, _local_day(at, self.tz)))

    def add_business_minutes(self, start: datetime, minutes: float) -> datetime:
        """The deadline: the instant (UTC) when ``minutes`` of open time have passed after
        ``start``. Zero minutes gives ``start``; a deadline that fills an interval exactly is
        that interval's end. Raises :class:`OfficeHoursError` after ``SEARCH_LIMIT_DAYS``
        closed days in a row.
        """
        start = _aware(start, "start").astimezone(UTC)
        remaining = _duration(minutes)
        if not remaining:
            return start
        if self.always_open:
            return start + remaining
        for a, b in self._spans(start):
            if remaining <= b - a:
                return a + remaining
            remaining -= b - a
        raise OfficeHoursError(
            f"office hours: no open time in {SEARCH_LIMIT_DAYS} days in a row after "
            f"{start:%Y-%m-%d}; check CARE_OFFICE_HOURS, CARE_HOLIDAYS and CARE_CLOSED_DATES"
        )

    def business_minutes_between(self, start: datetime, end: datetime) -> float:
        """Real open minutes in ``[start, end)``; 0 when ``end <= start``."""
        start = _aware(start, "start").astimezone(UTC)
        end = _aware(end, "end").astimezone(UTC)
        if end <= start:
            return 0.0
        if self.always_open:
            return (end - start).total_seconds() / 60
        total = timedelta()
        for a, b in self._spans(start, until=end):
            if a >= end:
                break
            total += min(b, end) - a
        return total.total_seconds() / 60

    def next_opening(self, after: datetime) -> datetime | None:
        """The first instant at or after ``after`` when the desk is open (UTC): ``after``
        itself when open then (always, when always open). ``None`` when nothing opens within
        ``SEARCH_LIMIT_DAYS`` closed days in a row.
        """
        after = _aware(after, "after").astimezone(UTC)
        return next((a for a, _ in self._spans(after)), None)

    def next_closing(self, after: datetime) -> datetime | None:
        """The first instant at or after ``after`` when the desk is closed (UTC): ``after``
        itself when closed then. ``None`` when always open, or when nothing closes within
        ``SEARCH_LIMIT_DAYS`` days.
        """
        after = _aware(after, "after").astimezone(UTC)
        if self.always_open:
            return None
        cursor = after
        for a, b in self._spans(after, max_days=SEARCH_LIMIT_DAYS):
            if a > cursor:
                return cursor
            cursor = b
        return None

    def _spans(
        self, start: datetime, *, until: datetime | None = None, max_days: int | None = None
    ) -> Iterator[Span]:
        """Open spans (UTC) ending after ``start``, clipped to it, in order. Stops after
        ``SEARCH_LIMIT_DAYS`` closed days in a row (unless ``until`` is given), after the local
        day of ``until``, after ``max_days`` days, or at the end of the calendar.
        """
        day = _local_day(start, self.tz)
        last_day = _local_day(until, self.tz) if until else None
        idle = walked = 0
        while max_days is None or walked < max_days:
            if last_day is None and idle >= SEARCH_LIMIT_DAYS:
                return
            if last_day is not None and day > last_day:
                return
            try:
                spans = _utc_spans(self, day)
                day += timedelta(days=1)
            except OverflowError:
                return
            idle = 0 if spans else idle + 1
            walked += 1
            for a, b in spans:
                if b > start:
                    yield max(a, start), b

    def is_closed_day(self, day: date) -> bool:
        """Whether the local date is a public holiday or a closed date."""
        if any(first <= day <= last for first, last in self.closed_dates):
            return True
        return any(day in _holiday_dates(region, day.year) for region in self.holiday_regions)

    # -- words --------------------------------------------------------------------------

    def describe(self) -> str:
        """A human summary for ``/care`` and logs.

        >>> OfficeHours.parse(schedule="mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00",
        ...                   timezone="Europe/Berlin").describe()
        'Mon-Fri 09:00-12:30, 13:30-18:00; Sat 10:00-14:00 (Europe/Berlin)'
        """
        text = _week_text(self.week, clock=_hh_mm, times_sep=", ", groups_sep="; ")
        parts = [f"{text} ({self.tz.key})"]
        if self.holiday_regions:
            codes = ", ".join(r.code for r in self.holiday_regions)
            parts.append(f"closed on public holidays in {codes}")
        if self.closed_dates:
            shown = [f"{a}" if a == b else f"{a}..{b}" for a, b in self.closed_dates[:4]]
            more = len(self.closed_dates) - len(shown)
            parts.append("closed " + ", ".join(shown) + (f" and {more} more" if more else ""))
        return "; ".join(parts)

    def bio_line(self, *, typical_minutes: int, now: datetime | None = None) -> str:
        """A line for the brand's X bio (keep it under 160 characters with the rest).

        The zone is its abbreviation at ``now`` (default: the current time) when that has
        letters (CET, EDT), else the IANA name.

        >>> hours = OfficeHours.parse(schedule="mon-fri 09:00-18:00", timezone="Europe/Berlin")
        >>> hours.bio_line(typical_minutes=60, now=datetime(2026, 1, 5, tzinfo=UTC))
        'We answer Mon-Fri 9-18 CET, usually within an hour'
        """
        if typical_minutes < 1:
            raise ValueError("typical_minutes must be at least 1")
        if self.week == FULL_WEEK:
            when = "24/7"
        else:
            at = _aware(now, "now") if now is not None else datetime.now(UTC)
            abbr = self.tz.tzname(at.astimezone(self.tz)) or ""
            zone = abbr if any(c.isalpha() for c in abbr) else self.tz.key
            when = _week_text(self.week, clock=_short_clock, times_sep=" & ", groups_sep=", ")
            when = f"{when} {zone}"
        return f"We answer {when}, usually within {_within(typical_minutes)}"


def parse_office_hours(
    *,
    schedule: str | None = None,
    timezone: str | None = None,
    holidays: str | None = None,
    closed_dates: str | None = None,
) -> OfficeHours:
    """Same as :meth:`OfficeHours.parse`.

    >>> parse_office_hours(schedule=None).always_open
    True
    """
    return OfficeHours.parse(
        schedule=schedule, timezone=timezone, holidays=holidays, closed_dates=closed_dates
    )


# -- clock helpers ----------------------------------------------------------------------


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}")
    return value


def _duration(minutes: float) -> timedelta:
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise ValueError(f"minutes must be a number, got {minutes!r}")
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"minutes must be finite and not negative, got {minutes!r}")
    try:
        duration = timedelta(minutes=minutes)
    except OverflowError:
        raise ValueError(f"minutes out of range: {minutes!r}") from None
    return duration or timedelta(microseconds=1 if minutes else 0)  # microsecond resolution


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


@lru_cache(maxsize=8192)
def _utc_spans(hours: OfficeHours, day: date) -> tuple[Span, ...]:
    """The open spans of one local day, in UTC, empty spans (DST gaps) dropped."""
    if hours.is_closed_day(day):
        return ()
    spans = []
    for start, end in hours.week[day.weekday()]:
        a, b = _wall_to_utc(day, start, hours.tz), _wall_to_utc(day, end, hours.tz)
        if b > a:
            spans.append((a, b))
    return tuple(spans)


def _wall_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """Local wall time ``minute`` after midnight of ``day`` as a UTC instant.

    Ambiguous times take their first occurrence (fold=0); skipped times the instant of the jump.
    """
    local = datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=minute)
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return utc
    earlier = local.replace(fold=1).astimezone(UTC)  # read with the offset after the jump
    offset_after = utc.astimezone(tz).utcoffset()
    low, high = 0, int((utc - earlier).total_seconds())
    while low < high:  # the first second that already has the new offset
        mid = (low + high) // 2
        if (earlier + timedelta(seconds=mid)).astimezone(tz).utcoffset() == offset_after:
            high = mid
        else:
            low = mid + 1
    return earlier + timedelta(seconds=low)


@lru_cache(maxsize=512)
def _holiday_dates(region: HolidayRegion, year: int) -> frozenset[date]:
    calendar = holidays_lib.country_holidays(region.country, subdiv=region.subdiv, years=year)
    return frozenset(calendar.keys())


# -- text helpers -----------------------------------------------------------------------


def _week_text(
    week: WeekSchedule, *, clock: Callable[[int], str], times_sep: str, groups_sep: str
) -> str:
    if week == FULL_WEEK:
        return "Open 24/7"
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day, shifts in enumerate(_display_shifts(week)):
        if shifts:
            groups.setdefault(tuple(shifts), []).append(day)
    return groups_sep.join(
        _days_text(days) + " " + times_sep.join(f"{clock(s)}-{clock(e)}" for s, e in shifts)
        for shifts, days in groups.items()
    )


def _display_shifts(week: WeekSchedule) -> list[list[tuple[int, int]]]:
    """Join an evening interval ending at 24:00 with the next morning's from 00:00 into one
    overnight shift (end past 1440), so ``fri 22:00-06:00`` reads back as written."""
    days = [list(d) for d in week]
    for day in range(7):
        today, tomorrow = days[day], days[(day + 1) % 7]
        if (
            today and tomorrow and today[-1][1] == MINUTES_PER_DAY and today[-1][0] > 0
            and tomorrow[0][0] == 0 and tomorrow[0][1] < MINUTES_PER_DAY
        ):  # fmt: skip
            today[-1] = (today[-1][0], MINUTES_PER_DAY + tomorrow.pop(0)[1])
    return days


def _days_text(days: list[int]) -> str:
    if len(days) == 7:
        return "Mon-Sun"
    chosen = set(days)
    runs = []
    for first in sorted(d for d in chosen if (d - 1) % 7 not in chosen):
        last = first
        while (last + 1) % 7 in chosen:
            last = (last + 1) % 7
        runs.append(_DAY_ABBR[first] if first == last else f"{_DAY_ABBR[first]}-{_DAY_ABBR[last]}")
    return ", ".join(runs)


def _hh_mm(minute: int) -> str:
    if minute > MINUTES_PER_DAY:
        minute -= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _short_clock(minute: int) -> str:
    if minute > MINUTES_PER_DAY:
        minute -= MINUTES_PER_DAY
    hours, rest = divmod(minute, 60)
    return f"{hours}:{rest:02d}" if rest else f"{hours}"


def _within(minutes: int) -> str:
    if minutes < 60:
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    if minutes % 60 and minutes < 180:
        return f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    if hours >= 48:
        return f"{math.ceil(hours / 24)} days"
    return "an hour" if hours == 1 else f"{hours} hours"
