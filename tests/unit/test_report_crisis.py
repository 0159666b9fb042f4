"""Crisis periods on a throwaway database: the crisis watch keeps when each crisis began and
ended, and a period report reads the ones of its period into its figures and shades those
days on the volume chart."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.crisis import CrisisRules, DecisionKind
from bot.domain.office_hours import OfficeHours
from bot.domain.sla import SlaPolicy
from bot.render.report_charts import crisis_day_ranges
from bot.services.crisis_watch import CrisisWatch
from bot.services.period_report import PeriodReports
from storage.channel_posts import ChannelPosts
from storage.crisis_periods import CrisisPeriods
from storage.reports import PeriodRecords
from storage.screening import SharedState
from tests.unit.services_kit import LEAD, Clock, Kicks, leads, post

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 12, 1, 9, tzinfo=BERLIN)  # last week: Mon 23 - Sun 29 Nov
RULES = CrisisRules(min_posts=5, calm_minutes=30)


def reports(db, now: datetime) -> PeriodReports:
    hours = OfficeHours.parse(schedule="mon-fri 07:00-21:00", timezone="Europe/Berlin",
                              holidays=None, closed_dates=None)
    return PeriodReports(records=PeriodRecords(db), policy=SlaPolicy(hours=hours,
                                                                     first_minutes=60),
                         clock=lambda: now, slack=None)


def test_a_crisis_in_the_period_reaches_the_figures_and_shades_its_days(db):
    periods = CrisisPeriods(db)
    began, ended = datetime(2026, 11, 25, 10, tzinfo=BERLIN), datetime(2026, 11, 26, 12,
                                                                       tzinfo=BERLIN)
    assert periods.begin(at=datetime(2026, 11, 10, 8, tzinfo=BERLIN), how="detected")
    assert periods.end(at=datetime(2026, 11, 10, 9, tzinfo=BERLIN)) == 1  # a week earlier
    assert periods.begin(at=began, how="detected")
    assert periods.end(at=ended) == 1

    report = reports(db, TUESDAY).build(kind="week", current=False)

    assert report.figures.crisis_spans == [(began, ended)]
    assert crisis_day_ranges(report.figures) == [(2, 3)]  # Wed 25 and Thu 26


def test_a_crisis_still_going_is_shaded_up_to_now(db):
    periods = CrisisPeriods(db)
    began = datetime(2026, 11, 29, 22, tzinfo=BERLIN)  # Sunday night, still on
    assert periods.begin(at=began, how="forced")
    assert not periods.begin(at=began + timedelta(hours=1), how="detected")  # one at a time

    last_week = reports(db, TUESDAY).build(kind="week", current=False)
    this_week = reports(db, TUESDAY).build(kind="week", current=True)

    assert last_week.figures.crisis_spans == [(began, TUESDAY)]
    assert crisis_day_ranges(last_week.figures) == [(6, 6)]  # Sunday
    assert crisis_day_ranges(this_week.figures) == [(0, 1)]  # Monday and Tuesday so far


def test_a_crisis_that_began_after_the_period_is_left_out(db):
    CrisisPeriods(db).begin(at=datetime(2026, 11, 30, 8, tzinfo=BERLIN), how="detected")
    report = reports(db, TUESDAY).build(kind="week", current=False)
    assert report.figures.crisis_spans == []
    assert crisis_day_ranges(report.figures) == []


def burst(count: int = 8):
    return [post(text=f"@acme the app crashes again, booking {n} lost") for n in range(count)]


def test_the_crisis_watch_keeps_when_each_crisis_began_and_ended(db):
    clock, periods = Clock(), CrisisPeriods(db)
    watch = CrisisWatch(state=SharedState(db), rules=RULES, sentiment=lambda text: -0.8,
                        channel_posts=ChannelPosts(db), channel="C0CARE", leads=leads(),
                        clock=clock, kick=Kicks(), periods=periods)
    start = clock()
    week = dict(start=start - timedelta(days=1), end=start + timedelta(days=1))

    assert watch.observe(burst()) is DecisionKind.START
    assert periods.between(**week, now=clock()) == [(start, start)]
    clock.advance(minutes=RULES.window_minutes + RULES.calm_minutes)
    watch.observe([])
    clock.advance(minutes=RULES.calm_minutes)
    assert watch.observe([]) is DecisionKind.CALM
    calmed = clock()
    assert periods.between(**week, now=clock() + timedelta(hours=1)) == [(start, calmed)]

    clock.advance(hours=2)
    watch.force(on=True, user_id=LEAD)
    clock.advance(minutes=20)
    watch.force(on=False, user_id=LEAD)
    assert periods.between(**week, now=clock()) == [
        (start, calmed), (calmed + timedelta(hours=2), clock())]
    assert all(at.utcoffset() == timedelta(0)
               for span in periods.between(**week, now=clock()) for at in span)


def test_the_sandbox_history_holds_one_crisis_on_its_busiest_day(db):
    from sandbox.seed_history import seed_history

    now = datetime(2026, 12, 1, 12, tzinfo=BERLIN)
    assert seed_history(db, now=now, agents=["U1", "U2"], weeks=4) > 0
    [(began, ended)] = CrisisPeriods(db).between(start=now - timedelta(weeks=4), end=now,
                                                 now=now)
    began, ended = began.astimezone(BERLIN), ended.astimezone(BERLIN)
    assert (began.hour, ended.hour) == (9, 15) and ended - began == timedelta(hours=6)
    assert began.date() == (now - timedelta(weeks=4) + timedelta(days=14)).date()
