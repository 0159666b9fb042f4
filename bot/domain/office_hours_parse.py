"""Readers for the office-hours settings: schedule, time zone, public holidays, closed dates.

Pure: stdlib plus the ``holidays`` package. Every reader raises :class:`OfficeHoursError`
(a ``ValueError``) whose message names the setting, quotes the offending part and shows the
expected form, so a bad ``.env`` fails at start-up with a message an operator can act on.

Schedule grammar (``CARE_OFFICE_HOURS``), case-insensitive, whitespace tolerant::

    schedule := clause (";" clause)*          newlines work like ";"
    clause   := days times
    days     := day | day "-" day | days "," days      "fri-mon" wraps the week; "daily"
    times    := interval ("," interval)*                split shifts
    interval := HH[:MM] "-" HH[:MM]                     "24:00" only as an end

* Empty, unset, ``always`` or ``24/7`` means always open (returns ``None``).
* Overnight intervals are supported: ``fri 22:00-06:00`` is Fri 22:00-24:00 plus
  Sat 00:00-06:00 (``sun 22:00-02:00`` continues on Monday).
* Overlapping or touching intervals on a day are merged (``mon-fri 9-18; fri 17-20`` opens
  Friday 09:00-20:00). A start equal to its end is rejected (empty or 24 h: ambiguous).

Example::

    >>> parse_schedule(text="mon-fri 09:00-12:30,13:30-18:00; sat 10-14")[5]
    ((600, 840),)
    >>> parse_schedule(text="always") is None
    True
    >>> parse_schedule(text="mon-fry 09:00-18:00")
    Traceback (most recent call last):
    ...
    bot.domain.office_hours_parse.OfficeHoursError: CARE_OFFICE_HOURS: cannot read \
"mon-fry 09:00-18:00": unknown day "fry". Expected e.g. \
"mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00"
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

Interval = tuple[int, int]
"""Minutes after local midnight, half-open ``[start, end)``, ``0 <= start < end <= 1440``."""
DaySchedule = tuple[Interval, ...]
WeekSchedule = tuple[DaySchedule, ...]
"""Seven day schedules, Monday first (``date.weekday()`` order)."""

MINUTES_PER_DAY = 24 * 60
SCHEDULE_EXAMPLE = "mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00"
ALWAYS_WORDS = frozenset({"", "always", "24/7"})

_DAY_NAMES = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_CLAUSE = re.compile(r"(?P<days>[^\d]*)(?P<times>.*)")
_INTERVAL = re.compile(r"(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class OfficeHoursError(ValueError):
    """A setting of the office-hours clock cannot be read; the message says what and how."""


class HolidayRegion(NamedTuple):
    """A ``holidays`` calendar: ISO country code and optional subdivision (``US``, ``NY``)."""

    country: str
    subdiv: str | None = None

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdiv}" if self.subdiv else self.country


# -- schedule ---------------------------------------------------------------------------


def parse_schedule(*, text: str | None, setting: str = "CARE_OFFICE_HOURS") -> WeekSchedule | None:
    """Read a weekly schedule; ``None`` means always open. See the module docstring."""
    if text is None or text.strip().lower() in ALWAYS_WORDS:
        return None
    week: list[list[Interval]] = [[] for _ in range(7)]
    clauses = [c.strip() for c in re.split(r"[;\n]", text) if c.strip()]
    if not clauses:
        raise _schedule_error(setting, text.strip(), "no opening hours in it")
    for clause in clauses:
        days, intervals = _parse_clause(clause, setting)
        for day in days:
            for start, end in intervals:
                if start < end:
                    week[day].append((start, end))
                else:  # overnight: the rest runs into the next day
                    week[day].append((start, MINUTES_PER_DAY))
                    if end:
                        week[(day + 1) % 7].append((0, end))
    return tuple(merge_intervals(d) for d in week)


def merge_intervals(intervals: list[Interval] | DaySchedule) -> DaySchedule:
    """Sort and merge overlapping or touching intervals.

    >>> merge_intervals([(600, 720), (0, 60), (700, 800), (800, 900)])
    ((0, 60), (600, 900))
    """
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _parse_clause(clause: str, setting: str) -> tuple[list[int], list[Interval]]:
    compact = re.sub(r"\s+", "", clause.lower())
    match = _CLAUSE.fullmatch(compact)
    assert match is not None  # the pattern matches any string
    days_text, times_text = match["days"], match["times"]
    if not days_text:
        raise _schedule_error(setting, clause, "missing the days before the times")
    if not times_text:
        raise _schedule_error(setting, clause, "missing the opening times after the days")
    days: list[int] = []
    for item in days_text.split(","):
        days.extend(_parse_days(item, clause, setting))
    intervals = [_parse_interval(part, clause, setting) for part in times_text.split(",")]
    return days, intervals


def _parse_days(item: str, clause: str, setting: str) -> list[int]:
    if item == "daily":
        return list(range(7))
    parts = item.split("-")
    if not item or len(parts) > 2 or not all(parts):
        raise _schedule_error(setting, clause, f'cannot read the days "{item}"')
    numbers = []
    for name in parts:
        if name not in _DAY_NAMES:
            raise _schedule_error(setting, clause, f'unknown day "{name}"')
        numbers.append(_DAY_NAMES[name])
    first, last = numbers[0], numbers[-1]
    return [(first + i) % 7 for i in range((last - first) % 7 + 1)]


def _parse_interval(part: str, clause: str, setting: str) -> Interval:
    match = _INTERVAL.fullmatch(part)
    if not match:
        raise _schedule_error(setting, clause, f'cannot read the times "{part}" (want HH:MM-HH:MM)')
    start = _minutes(match[1], match[2], clause, setting)
    end = _minutes(match[3], match[4], clause, setting)
    if start == MINUTES_PER_DAY:
        raise _schedule_error(setting, clause, f'"{part}": 24:00 can only end an interval')
    if start == end:
        raise _schedule_error(setting, clause, f'"{part}" starts where it ends')
    return start, end


def _minutes(hours: str, minutes: str | None, clause: str, setting: str) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        shown = f"{hours}:{minutes}" if minutes else hours
        raise _schedule_error(setting, clause, f'no such time "{shown}" (00:00 to 24:00)')
    return h * 60 + m


def _schedule_error(setting: str, part: str, problem: str) -> OfficeHoursError:
    return OfficeHoursError(
        f'{setting}: cannot read "{part}": {problem}. Expected e.g. "{SCHEDULE_EXAMPLE}"'
    )


# -- time zone --------------------------------------------------------------------------


def parse_timezone(*, text: str | None, setting: str = "CARE_TIMEZONE") -> ZoneInfo:
    """Read an IANA time zone name; empty or unset means UTC.

    >>> parse_timezone(text=" Europe/Berlin ").key
    'Europe/Berlin'
    >>> parse_timezone(text=None).key
    'UTC'
    """
    name = (text or "").strip() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise OfficeHoursError(
            f'{setting}: unknown time zone "{name}". Expected an IANA name such as '
            '"Europe/Berlin", "America/New_York" or "UTC"'
        ) from None


# -- public holidays --------------------------------------------------------------------

_HOLIDAYS_FORM = (
    'Expected ISO country codes with an optional subdivision, comma-separated, e.g. "US-NY", '
    '"DE", "GB-SCT" or "DE-BY, AT"'
)


def parse_holiday_regions(
    *, text: str | None, setting: str = "CARE_HOLIDAYS"
) -> tuple[HolidayRegion, ...]:
    """Read ``COUNTRY[-SUBDIV]`` codes known to the ``holidays`` package.

    >>> parse_holiday_regions(text="us-ny, DE")
    (HolidayRegion(country='US', subdiv='NY'), HolidayRegion(country='DE', subdiv=None))
    """
    if not text or not text.strip():
        return ()
    supported = holidays.list_supported_countries()
    regions: list[HolidayRegion] = []
    for raw in text.split(","):
        code = raw.strip()
        country, _, subdiv = (p.strip() for p in code.partition("-"))
        country = country.upper()
        if not country or (code.count("-") and not subdiv):
            raise OfficeHoursError(f'{setting}: cannot read "{code}". {_HOLIDAYS_FORM}')
        if country not in supported:
            raise OfficeHoursError(
                f'{setting}: cannot read "{code}": unknown country "{country}". {_HOLIDAYS_FORM}'
            )
        known = {s.upper(): s for s in supported[country]}
        if subdiv and subdiv.upper() not in known:
            listed = ", ".join(list(known.values())[:20]) + (" ..." if len(known) > 20 else "")
            raise OfficeHoursError(
                f'{setting}: cannot read "{code}": {country} has no subdivision "{subdiv}" '
                f"(known: {listed or 'none'}). {_HOLIDAYS_FORM}"
            )
        region = HolidayRegion(country, known[subdiv.upper()] if subdiv else None)
        if region not in regions:
            regions.append(region)
    return tuple(regions)


# -- closed dates -----------------------------------------------------------------------

_DATES_FORM = 'Expected ISO dates and inclusive ranges, e.g. "2026-12-24..2026-12-26, 2027-01-01"'


def parse_closed_dates(
    *, text: str | None, setting: str = "CARE_CLOSED_DATES"
) -> tuple[tuple[date, date], ...]:
    """Read closed dates and inclusive ranges; returns sorted, merged ``(first, last)`` pairs.

    >>> parse_closed_dates(text="2027-01-01, 2026-12-24..2026-12-26")
    ((datetime.date(2026, 12, 24), datetime.date(2026, 12, 26)), \
(datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)))
    """
    if not text or not text.strip():
        return ()
    ranges: list[tuple[date, date]] = []
    for raw in text.split(","):
        part = raw.strip()
        first_text, dots, last_text = (p.strip() for p in part.partition(".."))
        first = _iso_date(first_text, part, setting)
        last = _iso_date(last_text, part, setting) if dots else first
        if last < first:
            raise OfficeHoursError(f'{setting}: cannot read "{part}": range ends before it starts')
        ranges.append((first, last))
    merged: list[tuple[date, date]] = []
    for first, last in sorted(ranges):
        if merged and first.toordinal() <= merged[-1][1].toordinal() + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _iso_date(text: str, part: str, setting: str) -> date:
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise OfficeHoursError(
        f'{setting}: cannot read "{part}": "{text}" is not a date. {_DATES_FORM}'
    )
