"""Period reports: the figures, charts and CSV of a day, week or month, posted to Slack.

Example::

    reports = PeriodReports(records=PeriodRecords(db), policy=policy, clock=clock, slack=slack)
    request = parse_report_args("week this me")
    reports.deliver(request=request, user_id="U1", channel_id="C1")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.office_minutes import OfficeMinuteMeter
from bot.domain.report_figures import ReportFigures, report_figures
from bot.domain.report_period import PERIOD_KINDS, ReportPeriod, report_period
from bot.domain.report_rows import CaseFacts, CsvTable
from bot.domain.report_schedule import ScheduleEntry, due_reports
from bot.domain.sla import SlaPolicy
from bot.render import report_text
from bot.slack_out import SlackOut
from storage.reports import PeriodRecords, ReportRuns

log = logging.getLogger(__name__)
ANSWER_WINDOW = timedelta(days=30)  # first responses measured fast up to this after a period
_UNSEEN = object()


@dataclass(frozen=True)
class ReportRequest:
    kind: str = "week"
    current: bool = False
    to_me: bool = False


class ReportArgsError(ValueError):
    pass


def parse_report_args(text: str) -> ReportRequest:
    """``[day|week|month] [this] [me]`` in any order; unknown words are refused."""
    kind, current, to_me = "week", False, False
    for word in text.lower().split():
        if word in PERIOD_KINDS:
            kind = word
        elif word in ("this", "current"):
            current = True
        elif word == "me":
            to_me = True
        else:
            raise ReportArgsError(word[:30])
    return ReportRequest(kind=kind, current=current, to_me=to_me)


@dataclass(frozen=True)
class BuiltReport:
    period: ReportPeriod
    figures: ReportFigures
    summary: str
    files: list[tuple[str, str, bytes | str]]  # (filename, title, content)


class PeriodReports:
    def __init__(self, *, records: PeriodRecords, policy: SlaPolicy,
                 clock: Callable[[], datetime], slack: SlackOut,
                 schedule: tuple[ScheduleEntry, ...] = (), runs: ReportRuns | None = None,
                 channel: str = "", owner: str = "") -> None:
        self.records = records
        self.policy = policy
        self.clock = clock
        self.slack = slack
        self.schedule = schedule
        self.runs = runs
        self.channel = channel
        self.owner = owner

    @property
    def tz(self):
        return self.policy.hours.tz

    def case_facts(self, period: ReportPeriod) -> Iterator[CaseFacts]:
        """The facts of each case opened in the period, read in batches as they are used."""
        meter = OfficeMinuteMeter(self.policy.hours, start=period.start,
                                  until=period.end + ANSWER_WINDOW)
        minutes_between = meter.minutes_between
        topics: dict[str | None, str | None] = {}  # a few topic keys, over many cases
        for record in self.records.cases(start=period.start, end=period.end):
            minutes = within = None
            answered, due = record.first_response_at, record.first_due_at
            if answered is not None:
                minutes = minutes_between(record.created_at, answered)
                within = due is None or answered <= due
            topic = topics.get(record.topic_key, _UNSEEN)
            if topic is _UNSEEN:
                topic = topics[record.topic_key] = _topic_words(record.topic_key)
            yield CaseFacts(
                id=record.id, opened_at=record.created_at,
                customer_handle=record.customer_handle, state=record.state, kind=record.kind,
                priority=record.priority or "normal", route=record.route,
                first_response_minutes=minutes, within_target=within,
                agent=record.first_response_by or record.assignee_id,
                close_reason=record.close_reason, csat=record.csat, sentiment=record.sentiment,
                topic=topic,
                origin=record.origin)

    def build(self, *, kind: str, current: bool) -> BuiltReport:
        return self.build_period(report_period(kind=kind, current=current, now=self.clock(),
                                               tz=self.tz))

    def build_period(self, period: ReportPeriod) -> BuiltReport:
        screened = [(at, "praise" if k == "praise" else "filtered")
                    for at, k in self.records.screened(start=period.start, end=period.end)]
        table = CsvTable(self.tz)
        # One pass over the period's cases: each row goes to the CSV as the figures count it.
        crisis_spans = self.records.crisis_spans(start=period.start, end=period.end,
                                                 now=self.clock())
        figures = report_figures(period=period, cases=table.passing(self.case_facts(period)),
                                 screened=screened, tz=self.tz, crisis_spans=crisis_spans,
                                 target_minutes=self.policy.first_minutes)
        # matplotlib loads here, on the first report, not at start-up (it takes seconds).
        from bot.render.report_charts import report_charts

        stem = f"care-report-{period.kind}-{period.first_day.isoformat()}"
        files: list[tuple[str, str, bytes | str]] = [
            (f"{stem}-{chart.name}.png", chart.title, chart.png)
            for chart in report_charts(figures)]
        files.append((f"{stem}-cases.csv", "Cases", table.text()))
        return BuiltReport(period=period, figures=figures, files=files,
                           summary=report_text.summary(figures, timezone=str(self.tz)))

    def destination(self, *, request: ReportRequest, user_id: str, channel_id: str) -> str:
        """The channel where the command was typed when the app is in it, else the DM."""
        if not request.to_me and channel_id and self.slack.is_member(channel_id):
            return channel_id
        return self.slack.open_dm(user_id)

    def deliver(self, *, request: ReportRequest, channel: str) -> BuiltReport:
        report = self.build(kind=request.kind, current=request.current)
        self.slack.upload(channel=channel, comment=report.summary, files=report.files)
        return report

    def post_due(self) -> int:
        """Post every scheduled report that is due and no instance has claimed yet."""
        if not self.schedule or self.runs is None:
            return 0
        posted = 0
        for period in due_reports(self.schedule, now=self.clock(), tz=self.tz):
            if not self.runs.claim(period_key=period.key, channel=self.channel,
                                   owner=self.owner, now=self.clock()):
                continue
            try:
                report = self.build_period(period)
                self.slack.upload(channel=self.channel, comment=report.summary,
                                  files=report.files)
            except Exception:
                self.runs.release(period_key=period.key, channel=self.channel)
                raise
            posted += 1
        return posted


def _topic_words(topic_key: str | None) -> str | None:
    """A topic key (``terms:a+b+c``, ``url:<link>``) shortened for a chart label."""
    if not topic_key:
        return None
    kind, _, value = topic_key.partition(":")
    if kind == "terms":
        return " ".join(value.split("#")[0].split("+"))[:40]
    return value[:40] or None
