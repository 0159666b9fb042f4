"""Report building without Slack or SQL: periods, CSV rows, office hours from data, figures."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.report_figures import report_figures
from bot.domain.report_hours import covering_hours, hour_of_week_counts
from bot.domain.report_period import ReportPeriodError, report_period
from bot.domain.report_rows import (
    CSV_HEADER,
    CaseFacts,
    CsvTable,
    csv_row,
    csv_text,
    mask_phones,
    safe_cell,
)
from bot.domain.report_schedule import ReportScheduleError, due_reports, parse_report_schedule

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")


# -- periods ---------------------------------------------------------------------------


def test_yesterday_is_the_previous_local_calendar_day() -> None:
    now = datetime(2026, 12, 1, 0, 30, tzinfo=BERLIN)  # still 30 Nov in UTC
    period = report_period(kind="day", current=False, now=now.astimezone(UTC), tz=BERLIN)
    assert period.start == datetime(2026, 11, 30, tzinfo=BERLIN)
    assert period.end == datetime(2026, 12, 1, tzinfo=BERLIN)
    assert period.days == [date(2026, 11, 30)]


def test_last_week_is_the_last_complete_monday_to_sunday() -> None:
    for today in range(23, 30):  # Mon 23 .. Sun 29 Nov 2026
        now = datetime(2026, 11, today, 12, tzinfo=BERLIN)
        period = report_period(kind="week", current=False, now=now, tz=BERLIN)
        assert period.start == datetime(2026, 11, 16, tzinfo=BERLIN)
        assert period.end == datetime(2026, 11, 23, tzinfo=BERLIN)
        assert len(period.days) == 7
        assert period.key == "week:2026-11-16"


def test_last_month_and_this_month() -> None:
    now = datetime(2026, 1, 10, 8, tzinfo=NY)
    last = report_period(kind="month", current=False, now=now, tz=NY)
    assert (last.start, last.end) == (datetime(2025, 12, 1, tzinfo=NY),
                                      datetime(2026, 1, 1, tzinfo=NY))
    assert len(last.days) == 31 and last.label == "December 2025"
    this = report_period(kind="month", current=True, now=now, tz=NY)
    assert this.start == datetime(2026, 1, 1, tzinfo=NY) and this.end == now
    assert len(this.days) == 10 and this.label.endswith("(so far)")


def test_a_week_across_the_dst_change_still_has_seven_days() -> None:
    now = datetime(2026, 11, 3, 12, tzinfo=NY)  # clocks went back on Sun 1 Nov
    period = report_period(kind="week", current=False, now=now, tz=NY)
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(days=7, hours=1)
    assert len(period.days) == 7


def test_unknown_period_kind_is_refused() -> None:
    with pytest.raises(ReportPeriodError):
        report_period(kind="year", current=False, now=datetime.now(UTC), tz=BERLIN)


# -- CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\t=x"])
def test_formula_starts_are_escaped(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_phone_numbers_are_masked_but_order_numbers_kept() -> None:
    assert mask_phones("call me on +44 20 7946 0958") == "call me on +44 ** **** **58"
    assert mask_phones("0151-2345678") == "****-*****78"
    assert mask_phones("order 12345 arrived") == "order 12345 arrived"


def test_csv_has_one_row_per_case_with_every_column() -> None:
    opened = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    rows = [CaseFacts(id=7, opened_at=opened, customer_handle="=evil", state="closed",
                      kind="complaint", priority="high", first_response_minutes=42.4,
                      within_target=True, agent="U1", close_reason="resolved", csat=5),
            CaseFacts(id=8, opened_at=opened, customer_handle="ann", state="new")]
    parsed = list(csv.reader(io.StringIO(csv_text(rows, BERLIN))))
    assert tuple(parsed[0]) == CSV_HEADER
    assert parsed[1] == ["7", "2026-11-20 10:05", "", "complaint", "high", "'=evil", "42",
                         "yes", "U1", "closed", "resolved", "5"]
    assert parsed[2] == ["8", "2026-11-20 10:05", "", "", "normal", "ann", "", "", "", "new",
                         "", ""]
    assert len(parsed) == 3



def test_escaping_each_value_once_gives_the_rows_escaping_every_cell_gives() -> None:
    opened = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    values = ["=cmd", "+44 20 7946 0958", "-", "@team", None, "plain", "=cmd"]
    rows = [CaseFacts(id=i, opened_at=opened + timedelta(minutes=i), customer_handle=v or "x",
                      state=v or "new", kind=v, route=v, agent=v, close_reason=v,
                      priority=v or "normal")
            for i, v in enumerate(values)]
    table = CsvTable(BERLIN)
    assert list(table.passing(rows)) == rows
    parsed = list(csv.reader(io.StringIO(table.text())))[1:]
    assert parsed == [list(csv_row(r, BERLIN)) for r in rows]  # every cell escaped anew
    assert parsed[0][2:5] == ["'=cmd", "'=cmd", "'=cmd"] and parsed[6][2] == "'=cmd"
    assert parsed[1][2] == "'+44 ** **** **58"  # masked, then escaped
    assert parsed[4][2:5] == ["", "", "normal"]
    assert [row[2] for row in parsed] == [safe_cell(v) for v in values]


# -- office hours from data ------------------------------------------------------------


def test_covering_hours_describes_weekdays_and_saturday() -> None:
    counts = [0] * 168
    for day in range(5):
        for hour in range(7, 21):
            counts[day * 24 + hour] = 20
    for hour in range(9, 17):
        counts[5 * 24 + hour] = 20
    counts[6 * 24 + 3] = 1  # a stray post at 3am on Sunday is not worth opening for
    found = covering_hours(counts, share=0.9)
    assert found.describe() == "mon-fri 07:00-21:00, sat 09:00-17:00"
    assert found.covered >= 0.9


def test_covering_hours_reaches_the_share_asked_for() -> None:
    counts = [(i * 37) % 11 for i in range(168)]
    found = covering_hours(counts, share=0.9)
    assert found.covered >= 0.9
    assert covering_hours([0] * 168).describe() == "no posts"


def test_hour_of_week_counts_in_local_time() -> None:
    monday_nine_berlin = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    counts = hour_of_week_counts([monday_nine_berlin], BERLIN)
    assert counts[9] == 1 and sum(counts) == 1


# -- figures ---------------------------------------------------------------------------


def test_figures_count_lanes_agents_and_target() -> None:
    period = report_period(kind="week", current=False,
                           now=datetime(2026, 11, 25, tzinfo=BERLIN), tz=BERLIN)
    monday = datetime(2026, 11, 16, 10, tzinfo=BERLIN)
    cases = [CaseFacts(id=i, opened_at=monday + timedelta(days=i % 7), customer_handle="c",
                       state="closed", kind="question" if i % 2 else "complaint",
                       first_response_minutes=float(10 * i), agent="U1" if i < 4 else "U2",
                       csat=4 if i == 1 else None, sentiment=-0.5, topic="baggage")
             for i in range(1, 8)]
    cases.append(CaseFacts(id=99, opened_at=monday, customer_handle="fan", state="closed",
                           lane="praise"))
    screened = [(monday, "filtered"), (monday, "filtered"), (monday, "praise")]
    figures = report_figures(period=period, cases=cases, screened=screened, tz=BERLIN,
                             target_minutes=45)
    assert figures.volume["cases"] == [1, 1, 1, 1, 1, 1, 1]
    assert figures.volume["filtered"][0] == 2 and figures.volume["praise"][0] == 2
    assert figures.within_target_percent == pytest.approx(400 / 7)
    assert [(a.agent, a.cases, a.median_first_response, a.csat) for a in figures.agents] == [
        ("U2", 4, 55.0, None), ("U1", 3, 20.0, 4.0)]
    assert figures.sentiment["negative"] == 7
    assert figures.topics == [("baggage", 7)]
    assert figures.kinds == {"question": 4, "complaint": 3}


# -- schedule --------------------------------------------------------------------------


def test_schedule_parses_and_refuses_what_it_cannot_read() -> None:
    entries = parse_report_schedule("daily 07:00;  MON 08:30 ; monthly 31 09:15;")
    assert [e.describe() for e in entries] == ["daily 07:00", "mon 08:30", "monthly 31 09:15"]
    for bad in ("weekly 07:00", "daily 25:00", "monthly 0 07:00", "daily 7", "mon"):
        with pytest.raises(ReportScheduleError):
            parse_report_schedule(bad)


def test_due_reports_name_the_period_each_entry_reports_on() -> None:
    entries = parse_report_schedule("daily 07:00; mon 08:00; monthly 31 06:00")
    monday = datetime(2026, 11, 30, 8, 5, tzinfo=BERLIN)  # also the last day of November
    keys = sorted(p.key for p in due_reports(entries, now=monday, tz=BERLIN))
    assert keys == ["day:2026-11-29", "month:2026-10-01", "week:2026-11-23"]
    assert due_reports(entries, now=datetime(2026, 12, 1, 6, 59, tzinfo=BERLIN), tz=BERLIN) == []
    late = datetime(2026, 12, 1, 13, 30, tzinfo=BERLIN)  # more than the catch-up after 07:00
    assert due_reports(entries, now=late, tz=BERLIN) == []


def test_a_malformed_schedule_stops_start_up_with_exit_2(tmp_path) -> None:
    root = Path(__file__).resolve().parents[2]
    env_file = tmp_path / "site.env"
    env_file.write_text("CARE_REPORT_SCHEDULE=weekly 07:00\nCARE_REPORT_CHANNEL_ID=nope\n")
    result = subprocess.run([sys.executable, str(root / "app.py"), "--env-file", str(env_file)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert result.returncode == 2
    assert "CARE_REPORT_SCHEDULE: 'weekly 07:00' is not" in result.stderr
    assert "CARE_REPORT_CHANNEL_ID" in result.stderr and "Traceback" not in result.stderr


def test_the_minute_meter_agrees_with_the_office_hours_clock() -> None:
    import random

    from bot.domain.office_hours import OfficeHours
    from bot.domain.office_minutes import OfficeMinuteMeter

    hours = OfficeHours.parse(schedule="mon-fri 07:00-21:00; sat 09:00-17:00",
                              timezone="America/New_York", holidays="US", closed_dates=None)
    start = datetime(2026, 10, 20, tzinfo=UTC)  # spans the DST change and Thanksgiving
    meter = OfficeMinuteMeter(hours, start=start, until=start + timedelta(days=40))
    rnd = random.Random(3)
    for _ in range(500):
        opened = start + timedelta(seconds=rnd.randrange(45 * 86400))
        answered = opened + timedelta(minutes=rnd.expovariate(1 / 300))
        assert meter.minutes_between(opened, answered) == pytest.approx(
            hours.business_minutes_between(opened, answered))
