"""The office-hours clock: parsing, deadlines, DST, words, and property tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.office_hours import FULL_WEEK, OfficeHours, parse_office_hours
from bot.domain.office_hours_parse import (
    HolidayRegion,
    OfficeHoursError,
    merge_intervals,
    parse_closed_dates,
    parse_holiday_regions,
    parse_schedule,
    parse_timezone,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
EXAMPLE = "mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00"


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


def local(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)


# -- schedule parsing -------------------------------------------------------------------


def test_parses_the_documented_example() -> None:
    week = parse_schedule(text=EXAMPLE)
    split = ((hm(9), hm(12, 30)), (hm(13, 30), hm(18)))
    assert week == (split,) * 5 + (((hm(10), hm(14)),), ())


@pytest.mark.parametrize(
    ("text", "open_days"),
    [
        ("fri-mon 09:00-17:00", {4, 5, 6, 0}),
        ("mon,wed 09:00-17:00", {0, 2}),
        ("sun-sun 09:00-17:00", {6}),
        ("daily 09:00-17:00", set(range(7))),
        ("Tuesday,THU-fri 09:00-17:00", {1, 3, 4}),
    ],
)
def test_day_ranges_lists_and_wrapping(text: str, open_days: set[int]) -> None:
    week = parse_schedule(text=text)
    assert week is not None
    assert {d for d in range(7) if week[d]} == open_days


def test_whitespace_case_short_times_and_24_00() -> None:
    week = parse_schedule(text="  MON - Fri  9 - 12:30 , 13:30-24:00 ;\n sat 10-14  ")
    assert week is not None
    assert week[0] == ((hm(9), hm(12, 30)), (hm(13, 30), hm(24)))
    assert week[5] == ((hm(10), hm(14)),)


def test_overnight_intervals_continue_on_the_next_day() -> None:
    week = parse_schedule(text="fri 22:00-06:00; sun 23:00-01:30; mon 20:00-00:00")
    assert week is not None
    assert week[4] == ((hm(22), hm(24)),)
    assert week[5] == ((0, hm(6)),)
    assert week[6] == ((hm(23), hm(24)),)
    assert week[0] == ((0, hm(1, 30)), (hm(20), hm(24)))


def test_overlapping_and_touching_intervals_merge() -> None:
    week = parse_schedule(text="mon-fri 09:00-18:00; fri 17:00-20:00, 08:00-09:00")
    assert week is not None
    assert week[4] == ((hm(8), hm(20)),)
    assert week[3] == ((hm(9), hm(18)),)
    assert merge_intervals([(5, 10), (1, 3), (3, 4)]) == ((1, 4), (5, 10))


@pytest.mark.parametrize("text", [None, "", "   ", "always", "ALWAYS", "24/7"])
def test_empty_and_always_mean_always_open(text: str | None) -> None:
    assert parse_schedule(text=text) is None
    assert OfficeHours.parse(schedule=text).always_open


def test_error_message_shows_part_and_expected_form() -> None:
    with pytest.raises(OfficeHoursError) as caught:
        parse_schedule(text="mon-fry 09:00-18:00; sat 10:00-14:00")
    assert str(caught.value) == (
        'CARE_OFFICE_HOURS: cannot read "mon-fry 09:00-18:00": unknown day "fry". '
        'Expected e.g. "mon-fri 09:00-12:30,13:30-18:00; sat 10:00-14:00"'
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "part", "problem"),
    [
        ("09:00-18:00", "09:00-18:00", "missing the days"),
        ("mon-fri", "mon-fri", "missing the opening times"),
        ("mon 25:00-26:00", "mon 25:00-26:00", 'no such time "25:00"'),
        ("mon 09:60-10:00", "mon 09:60-10:00", 'no such time "09:60"'),
        ("mon 24:30-10:00", "mon 24:30-10:00", 'no such time "24:30"'),
        ("mon 24:00-06:00", "mon 24:00-06:00", "24:00 can only end"),
        ("mon 09:00-09:00", "mon 09:00-09:00", "starts where it ends"),
        ("mon 9h-18h", "mon 9h-18h", "cannot read the times"),
        ("mon 09:00-", "mon 09:00-", "cannot read the times"),
        ("mon-tue-wed 9-10", "mon-tue-wed 9-10", "cannot read the days"),
        ("mon,,tue 9-10", "mon,,tue 9-10", "cannot read the days"),
        ("sat 10-14; always", "always", "missing the opening times"),
        (" ; ; ", "; ;", "no opening hours"),
    ],
)
def test_malformed_schedules_are_rejected_clearly(text: str, part: str, problem: str) -> None:
    with pytest.raises(OfficeHoursError) as caught:
        parse_schedule(text=text)
    message = str(caught.value)
    assert message.startswith(f'CARE_OFFICE_HOURS: cannot read "{part}": ')
    assert problem in message
    assert message.endswith(f'Expected e.g. "{EXAMPLE}"')


# -- other settings ---------------------------------------------------------------------


def test_timezone_names() -> None:
    assert parse_timezone(text=None).key == "UTC"
    assert parse_timezone(text=" America/New_York ").key == "America/New_York"
    for bad in ("Europe/Berln", "../etc/passwd", "Not a zone"):
        with pytest.raises(OfficeHoursError, match=r'CARE_TIMEZONE: unknown time zone ".+"\. '
                           r'Expected an IANA name such as "Europe/Berlin"'):  # fmt: skip
            parse_timezone(text=bad)


def test_holiday_regions() -> None:
    assert parse_holiday_regions(text=None) == ()
    assert parse_holiday_regions(text="us-ny, DE ,GB-SCT, DE") == (
        HolidayRegion("US", "NY"), HolidayRegion("DE"), HolidayRegion("GB", "SCT"),
    )  # fmt: skip
    assert HolidayRegion("US", "NY").code == "US-NY"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("XX", 'unknown country "XX"'),
        ("US-ZZ", 'US has no subdivision "ZZ" (known: AK, AL'),
        ("US-", 'cannot read "US-"'),
        ("-NY", 'cannot read "-NY"'),
    ],
)
def test_bad_holiday_codes_list_the_form(text: str, problem: str) -> None:
    with pytest.raises(OfficeHoursError) as caught:
        parse_holiday_regions(text=text)
    assert str(caught.value).startswith("CARE_HOLIDAYS: ")
    assert problem in str(caught.value)
    assert 'e.g. "US-NY", "DE", "GB-SCT"' in str(caught.value)


def test_closed_dates_are_sorted_and_merged() -> None:
    assert parse_closed_dates(text="2027-01-01, 2026-12-24..2026-12-26,2026-12-27") == (
        (date(2026, 12, 24), date(2026, 12, 27)), (date(2027, 1, 1), date(2027, 1, 1)),
    )  # fmt: skip
    assert parse_closed_dates(text=" ") == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13-01", '"2026-13-01" is not a date'),
        ("tomorrow", '"tomorrow" is not a date'),
        ("20261224", '"20261224" is not a date'),
        ("2026-12-26..2026-12-24", "range ends before it starts"),
        ("2026-12-24..", '"" is not a date'),
    ],
)
def test_bad_closed_dates(text: str, problem: str) -> None:
    with pytest.raises(OfficeHoursError, match="^CARE_CLOSED_DATES: cannot read ") as caught:
        parse_closed_dates(text=text)
    assert problem in str(caught.value)


def test_value_object_is_frozen_and_validated() -> None:
    hours = parse_office_hours(schedule="mon 9-17")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hours.tz = BERLIN  # type: ignore[misc]
    assert hours == OfficeHours.parse(schedule="MON 09:00-17:00")
    assert hash(hours) == hash(OfficeHours.parse(schedule="MON 09:00-17:00"))
    with pytest.raises(OfficeHoursError, match="no open time"):
        OfficeHours(week=((),) * 7)
    with pytest.raises(OfficeHoursError, match="seven"):
        OfficeHours(week=FULL_WEEK[:6])
    with pytest.raises(OfficeHoursError, match="bad day intervals"):
        OfficeHours(week=(((10, 5),),) + ((),) * 6)


# -- the clock --------------------------------------------------------------------------


def ny_weekdays(holidays: str | None = None, closed: str | None = None) -> OfficeHours:
    return OfficeHours.parse(schedule="mon-fri 09:00-18:00", timezone="America/New_York",
                             holidays=holidays, closed_dates=closed)  # fmt: skip


def test_friday_evening_post_is_due_monday_morning() -> None:
    friday = local(NY, 2026, 5, 15, 17, 45)
    due = ny_weekdays().add_business_minutes(friday, 60)
    assert due == local(NY, 2026, 5, 18, 9, 45)
    assert due.tzinfo is UTC


def test_monday_public_holiday_pushes_the_deadline_to_tuesday() -> None:
    friday = local(NY, 2026, 5, 22, 17, 45)  # Monday 2026-05-25 is Memorial Day
    assert ny_weekdays().add_business_minutes(friday, 60) == local(NY, 2026, 5, 25, 9, 45)
    due = ny_weekdays(holidays="US-NY").add_business_minutes(friday, 60)
    assert due == local(NY, 2026, 5, 26, 9, 45)


def test_closed_dates_push_the_deadline() -> None:
    friday = local(NY, 2026, 5, 15, 17, 45)
    hours = ny_weekdays(closed="2026-05-18..2026-05-19")
    assert hours.add_business_minutes(friday, 60) == local(NY, 2026, 5, 20, 9, 45)


def test_deadline_mechanics() -> None:
    hours = OfficeHours.parse(schedule=EXAMPLE, timezone="Europe/Berlin")
    noon = local(BERLIN, 2026, 6, 3, 12, 0)  # Wednesday
    assert hours.add_business_minutes(noon, 60) == local(BERLIN, 2026, 6, 3, 14, 0)
    assert hours.add_business_minutes(noon, 30) == local(BERLIN, 2026, 6, 3, 12, 30)  # an end
    assert hours.add_business_minutes(noon, 0) == noon
    sunday = local(BERLIN, 2026, 6, 7, 8, 0)
    assert hours.add_business_minutes(sunday, 0.5) == local(BERLIN, 2026, 6, 8, 9, 0, 30)
    saturday = local(BERLIN, 2026, 6, 6, 13, 30)
    assert hours.add_business_minutes(saturday, 45) == local(BERLIN, 2026, 6, 8, 9, 15)


def test_always_open_adds_plain_minutes() -> None:
    hours = OfficeHours.parse()
    start = local(BERLIN, 2026, 3, 28, 23, 0)  # real minutes across the DST change
    assert hours.add_business_minutes(start, 1000) == local(BERLIN, 2026, 3, 29, 16, 40)
    assert hours.business_minutes_between(start, local(BERLIN, 2026, 3, 30, 23, 0)) == 2820
    assert hours.next_opening(start) == start and hours.next_closing(start) is None


@pytest.mark.parametrize("minutes", [-1, float("nan"), float("inf"), True, "5", 1e300])
def test_bad_minutes_are_rejected(minutes: object) -> None:
    with pytest.raises(ValueError, match="minutes"):
        ny_weekdays().add_business_minutes(datetime(2026, 1, 1, tzinfo=UTC), minutes)  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected() -> None:
    hours, naive = ny_weekdays(), datetime(2026, 1, 5, 10, 0)
    aware = naive.replace(tzinfo=UTC)
    for call in (
        lambda: hours.is_open(naive),
        lambda: hours.add_business_minutes(naive, 5),
        lambda: hours.business_minutes_between(naive, aware),
        lambda: hours.business_minutes_between(aware, naive),
        lambda: hours.next_opening(naive),
        lambda: hours.next_closing(naive),
    ):
        with pytest.raises(ValueError, match="aware"):
            call()


def test_no_open_time_for_too_long_raises_instead_of_looping() -> None:
    hours = ny_weekdays(closed="2026-01-01..2028-12-31")
    start = local(NY, 2026, 1, 2, 10, 0)
    with pytest.raises(OfficeHoursError, match="no open time in 400 days"):
        hours.add_business_minutes(start, 5)
    assert hours.next_opening(start) is None
    assert hours.business_minutes_between(start, local(NY, 2029, 1, 2, 10, 0)) == 600
    tiny = OfficeHours.parse(schedule="mon 09:00-09:15", timezone="UTC")
    far = tiny.add_business_minutes(datetime(2026, 1, 1, tzinfo=UTC), 15 * 520)  # ten years
    last_monday = date(2026, 1, 5) + timedelta(weeks=519)
    assert far == datetime.combine(last_monday, time(9, 15), tzinfo=UTC)


def test_business_minutes_between() -> None:
    hours = ny_weekdays(holidays="US-NY")
    friday = local(NY, 2026, 5, 22, 17, 0)
    assert hours.business_minutes_between(friday, local(NY, 2026, 5, 26, 10, 0)) == 120
    assert hours.business_minutes_between(friday, friday) == 0
    assert hours.business_minutes_between(friday, friday - timedelta(hours=1)) == 0
    assert hours.business_minutes_between(friday, friday + timedelta(seconds=90)) == 1.5


def test_is_open_intervals_are_half_open() -> None:
    hours = OfficeHours.parse(schedule=EXAMPLE, timezone="Europe/Berlin", holidays="DE")
    assert hours.is_open(local(BERLIN, 2026, 6, 3, 9, 0))
    assert not hours.is_open(local(BERLIN, 2026, 6, 3, 8, 59, 59))
    assert not hours.is_open(local(BERLIN, 2026, 6, 3, 12, 30))
    assert not hours.is_open(local(BERLIN, 2026, 6, 3, 18, 0))
    assert hours.is_open(local(BERLIN, 2026, 6, 3, 17, 59, 59))
    assert hours.is_open(datetime(2026, 6, 3, 10, 0, tzinfo=UTC))  # 12:00 in Berlin
    assert not hours.is_open(local(BERLIN, 2026, 12, 25, 10, 0))  # Christmas, a Friday
    assert hours.is_closed_day(date(2026, 12, 25)) and not hours.is_closed_day(date(2026, 12, 23))


def test_next_opening_and_closing() -> None:
    hours = OfficeHours.parse(schedule=EXAMPLE, timezone="Europe/Berlin")
    at_ten = local(BERLIN, 2026, 6, 3, 10, 0)
    assert hours.next_opening(at_ten) == at_ten
    assert hours.next_closing(at_ten) == local(BERLIN, 2026, 6, 3, 12, 30)
    lunch = local(BERLIN, 2026, 6, 3, 13, 0)
    assert hours.next_opening(lunch) == local(BERLIN, 2026, 6, 3, 13, 30)
    assert hours.next_closing(lunch) == lunch
    assert hours.next_opening(local(BERLIN, 2026, 6, 6, 15, 0)) == local(BERLIN, 2026, 6, 8, 9, 0)
    night = OfficeHours.parse(schedule="mon-fri 22:00-06:00", timezone="Europe/Berlin")
    late = local(BERLIN, 2026, 6, 2, 23, 0)
    assert night.is_open(late) and night.is_open(local(BERLIN, 2026, 6, 3, 3, 0))
    assert night.next_closing(late) == local(BERLIN, 2026, 6, 3, 6, 0)
    nonstop = OfficeHours.parse(schedule="always", timezone="Europe/Berlin", holidays="DE")
    assert nonstop.next_closing(local(BERLIN, 2026, 12, 20, 12, 0)) == local(
        BERLIN, 2026, 12, 25, 0, 0
    )


# -- daylight saving --------------------------------------------------------------------


def test_whole_days_last_23_and_25_real_hours_around_dst() -> None:
    sundays = OfficeHours.parse(schedule="sun 00:00-24:00", timezone="Europe/Berlin")
    spring = local(BERLIN, 2026, 3, 28, 12, 0)  # Sunday 2026-03-29: 02:00 -> 03:00
    autumn = local(BERLIN, 2026, 10, 24, 12, 0)  # Sunday 2026-10-25: 03:00 -> 02:00
    two_days = timedelta(days=2)
    assert sundays.business_minutes_between(spring, spring + two_days) == 23 * 60
    assert sundays.business_minutes_between(autumn, autumn + two_days) == 25 * 60
    due = sundays.add_business_minutes(spring, 23 * 60)
    assert due == local(BERLIN, 2026, 3, 30, 0, 0)


def test_new_york_spring_forward_interval_is_one_real_hour() -> None:
    hours = OfficeHours.parse(schedule="sun 01:00-03:00", timezone="America/New_York")
    saturday = local(NY, 2026, 3, 7, 12, 0)  # Sunday 2026-03-08: 02:00 -> 03:00
    assert hours.business_minutes_between(saturday, saturday + timedelta(days=2)) == 60
    assert hours.add_business_minutes(saturday, 90) == local(NY, 2026, 3, 15, 1, 30)
    assert hours.next_closing(local(NY, 2026, 3, 8, 1, 30)) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    fall = local(NY, 2026, 10, 31, 12, 0)  # Sunday 2026-11-01: 02:00 -> 01:00
    assert hours.business_minutes_between(fall, fall + timedelta(days=2)) == 180


def test_times_the_clock_skips_collapse_to_the_jump() -> None:
    hours = OfficeHours.parse(schedule="sun 02:00-02:30, 04:00-05:00", timezone="America/New_York")
    saturday = local(NY, 2026, 3, 7, 12, 0)
    assert hours.business_minutes_between(saturday, saturday + timedelta(days=2)) == 60
    assert not hours.is_open(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))  # 03:00 EDT
    # Chile moves 2026-09-06 00:00 -> 01:00, so 24:00 on Saturday is the jump itself.
    santiago = ZoneInfo("America/Santiago")
    night = OfficeHours.parse(schedule="sat 22:00-02:00", timezone="America/Santiago")
    start = local(santiago, 2026, 9, 5, 20, 0)
    assert night.business_minutes_between(start, start + timedelta(hours=12)) == 180
    assert night.next_closing(local(santiago, 2026, 9, 5, 23, 0)) == local(
        santiago, 2026, 9, 6, 2, 0
    )


# -- words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (EXAMPLE, "Mon-Fri 09:00-12:30, 13:30-18:00; Sat 10:00-14:00 (Europe/Berlin)"),
        ("fri-mon 9-17", "Fri-Mon 09:00-17:00 (Europe/Berlin)"),
        ("fri-mon 9-17; tue 9-17", "Fri-Tue 09:00-17:00 (Europe/Berlin)"),
        ("mon,wed 9-12; tue 10-11", "Mon, Wed 09:00-12:00; Tue 10:00-11:00 (Europe/Berlin)"),
        ("mon-fri 22:00-06:00", "Mon-Fri 22:00-06:00 (Europe/Berlin)"),
        ("daily 00:00-24:00", "Open 24/7 (Europe/Berlin)"),
        ("mon-sun 9-17", "Mon-Sun 09:00-17:00 (Europe/Berlin)"),
    ],
)
def test_describe(schedule: str, text: str) -> None:
    assert OfficeHours.parse(schedule=schedule, timezone="Europe/Berlin").describe() == text


def test_describe_mentions_holidays_and_closed_dates() -> None:
    hours = OfficeHours.parse(schedule="mon 9-17", holidays="US-NY, DE",
                              closed_dates="2026-01-01, 2026-02-01, 2026-03-01..2026-03-03, "
                                           "2026-04-01, 2026-05-01")  # fmt: skip
    assert hours.describe() == (
        "Mon 09:00-17:00 (UTC); closed on public holidays in US-NY, DE; closed 2026-01-01, "
        "2026-02-01, 2026-03-01..2026-03-03, 2026-04-01 and 1 more"
    )


def test_bio_line() -> None:
    winter, summer = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 7, 5, tzinfo=UTC)
    berlin = OfficeHours.parse(schedule="mon-fri 09:00-18:00", timezone="Europe/Berlin")
    assert berlin.bio_line(typical_minutes=60, now=winter) == (
        "We answer Mon-Fri 9-18 CET, usually within an hour"
    )
    assert berlin.bio_line(typical_minutes=60, now=summer).startswith("We answer Mon-Fri 9-18 CEST")
    split = OfficeHours.parse(schedule=EXAMPLE, timezone="America/New_York")
    assert split.bio_line(typical_minutes=30, now=summer) == (
        "We answer Mon-Fri 9-12:30 & 13:30-18, Sat 10-14 EDT, usually within 30 minutes"
    )
    dubai = OfficeHours.parse(schedule="sun-thu 8-17", timezone="Asia/Dubai")
    assert dubai.bio_line(typical_minutes=240, now=winter) == (
        "We answer Sun-Thu 8-17 Asia/Dubai, usually within 4 hours"
    )
    always = OfficeHours.parse(holidays="DE")
    assert always.bio_line(typical_minutes=1) == "We answer 24/7, usually within a minute"
    with pytest.raises(ValueError):
        always.bio_line(typical_minutes=0)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(1, "a minute"), (45, "45 minutes"), (60, "an hour"), (90, "90 minutes"),
     (120, "2 hours"), (200, "4 hours"), (1440, "24 hours"), (2880, "2 days")],
)  # fmt: skip
def test_bio_line_typical_time(minutes: int, words: str) -> None:
    assert OfficeHours.parse().bio_line(typical_minutes=minutes).endswith(f"within {words}")


# -- properties -------------------------------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"]  # fmt: skip


@st.composite
def day_schedules(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    points = sorted(draw(st.lists(st.integers(0, 96), unique=True, max_size=6)))
    if len(points) % 2:
        points = points[:-1]
    return merge_intervals([(points[i] * 15, points[i + 1] * 15) for i in range(0, len(points), 2)])


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    week = list(draw(st.lists(day_schedules(), min_size=7, max_size=7)))
    if sum(e - s for day in week for s, e in day) < 60:
        week[2] = merge_intervals([*week[2], (600, 720)])
    regions = draw(st.sampled_from([(), (HolidayRegion("DE"),), (HolidayRegion("US", "NY"),)]))
    closed: tuple[tuple[date, date], ...] = ()
    if draw(st.booleans()):
        first = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
        closed = ((first, first + timedelta(days=draw(st.integers(0, 20)))),)
    return OfficeHours(week=tuple(week), tz=ZoneInfo(draw(st.sampled_from(ZONES))),
                       holiday_regions=regions, closed_dates=closed)  # fmt: skip


instants = st.datetimes(datetime(2024, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))
amounts = st.one_of(st.integers(0, 5000), st.floats(0, 5000, allow_nan=False))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(hours=office_hours(), start=instants, minutes=amounts)
def test_deadline_round_trips_through_business_minutes(
    hours: OfficeHours, start: datetime, minutes: float
) -> None:
    due = hours.add_business_minutes(start, minutes)
    assert due.tzinfo is UTC and due >= start
    assert hours.business_minutes_between(start, due) == pytest.approx(minutes, abs=1e-6)
    if minutes > 0:  # inside an open interval or exactly at its end, never in closed time
        assert hours.is_open(due - timedelta(microseconds=1))


@PROPERTY
@given(hours=office_hours(), start=instants, first=amounts, second=amounts)
def test_deadline_is_monotonic_in_minutes(
    hours: OfficeHours, start: datetime, first: float, second: float
) -> None:
    low, high = sorted((first, second))
    assert hours.add_business_minutes(start, low) <= hours.add_business_minutes(start, high)


@PROPERTY
@given(hours=office_hours(), at=instants)
def test_next_opening_and_closing_agree_with_is_open(hours: OfficeHours, at: datetime) -> None:
    opening, closing = hours.next_opening(at), hours.next_closing(at)
    assert opening is not None and opening >= at and hours.is_open(opening)
    assert (opening == at) == hours.is_open(at)
    if closing is not None:
        assert closing >= at and not hours.is_open(closing)
        assert hours.business_minutes_between(at, closing) == pytest.approx(
            (closing - at).total_seconds() / 60
        )
