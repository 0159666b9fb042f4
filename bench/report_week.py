"""A weekly report over a database of many cases: built (figures, five charts, the CSV) and
uploaded through Slack's upload flow to the local fake Slack, timed, with peak memory.

Fills a SQLite database with --cases cases opened over --weeks weeks (so the reported
week holds cases/weeks of them; --weeks 1 puts every case in the reported week) and one
crisis of a day and a half, then builds and uploads the last complete week's report
--repeat times (wall and CPU time of each; the first includes importing matplotlib), and
prints the peak RSS of those runs. Then one more report is taken apart and each stage
timed on its own (query, case facts, CSV, figures, each chart's artists, Agg rendering,
PNG encoding, upload); that run keeps every case in memory, so it comes after the peak
is read.

    python bench/report_week.py [--cases 100000] [--weeks 1] [--repeat 3] [--save-png DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bot.domain.office_hours import OfficeHours  # noqa: E402
from bot.domain.report_figures import report_figures  # noqa: E402
from bot.domain.report_period import report_period  # noqa: E402
from bot.domain.report_rows import CsvTable  # noqa: E402
from bot.domain.sla import SlaPolicy  # noqa: E402
from bot.services.period_report import PeriodReports, ReportRequest  # noqa: E402
from bot.slack_out import ChannelPacer, SlackOut, build_web_client  # noqa: E402
from sandbox.fake_slack import FakeSlack  # noqa: E402
from storage.crisis_periods import CrisisPeriods  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import CaseRow  # noqa: E402
from storage.reports import PeriodRecords  # noqa: E402

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # a Tuesday: the report covers 23-29 Nov
KINDS = ("complaint", "question", "request", "outage", "refund")
TOPICS = ("terms:bag+lost", "terms:refund+status", "terms:delay+flight", "terms:seat+change",
          "terms:app+login", "url:acme.example/status")
AGENTS = tuple(f"UAGENT{i:02d}" for i in range(12))


def fill(db: Database, *, cases: int, weeks: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    week_end = datetime(2026, 11, 30, tzinfo=TZ).astimezone(UTC)
    span = timedelta(weeks=weeks)
    rows = []
    for i in range(cases):
        opened = week_end - span + timedelta(seconds=rnd.randrange(int(span.total_seconds())))
        answered = rnd.random() < 0.85
        first = opened + timedelta(minutes=rnd.expovariate(1 / 45)) if answered else None
        rows.append(dict(
            source_post_id=str(10**18 + i), conversation_id=str(10**18 + i),
            customer_id=str(i), customer_handle=f"customer_{i}", customer_name=f"C {i}",
            customer_followers=0, state="closed" if answered else "new",
            assignee_id=rnd.choice(AGENTS) if answered else None,
            first_response_by=None, close_reason="resolved" if answered else None,
            slack_channel="C0CARE", slack_ts=f"{1700000000 + i}.000100", version=1,
            kind=rnd.choice(KINDS), priority=rnd.choice(("normal", "normal", "high", "low")),
            sentiment=rnd.uniform(-1, 1), topic_key=rnd.choice(TOPICS), created_at=opened,
            updated_at=opened, sla_started_at=opened, sla_minutes=60,
            first_due_at=opened + timedelta(minutes=60), first_response_at=first))
        if len(rows) == 5000:
            with db.transaction() as s:
                s.execute(insert(CaseRow), rows)
            rows = []
    if rows:
        with db.transaction() as s:
            s.execute(insert(CaseRow), rows)


def fill_database(url: str, cases: int, weeks: int) -> None:
    db = Database.connect(url)
    db.migrate()
    fill(db, cases=cases, weeks=weeks)
    crisis = CrisisPeriods(db)
    crisis.begin(at=datetime(2026, 11, 25, 10, tzinfo=TZ), how="detected")
    crisis.end(at=datetime(2026, 11, 26, 22, tzinfo=TZ))
    db.dispose()


class Stopwatch:
    """Wall and CPU seconds of named stages."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float, float]] = []

    def time(self, name: str, work: Callable[[], object]) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.stages.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        return result

    def print(self) -> None:
        print(f"{'stage (measured apart)':<34} {'wall s':>7} {'CPU s':>7}")
        for name, wall, cpu in self.stages:
            print(f"{name:<34} {wall:7.3f} {cpu:7.3f}")
        print(f"{'sum':<34} {sum(s[1] for s in self.stages):7.3f} "
              f"{sum(s[2] for s in self.stages):7.3f}")


class ListedRecords:
    """The period's records, read once, served from memory (to time the stages apart)."""

    def __init__(self, records: PeriodRecords, cases: list) -> None:
        self.records, self.listed = records, cases

    def cases(self, *, start: datetime, end: datetime):
        return iter(self.listed)

    def __getattr__(self, name: str):
        return getattr(self.records, name)


def stages_apart(*, records: PeriodRecords, policy: SlaPolicy, slack: SlackOut) -> Stopwatch:
    from bot.render import report_charts as charts

    watch = Stopwatch()
    period = report_period(kind="week", current=False, now=NOW, tz=policy.hours.tz)
    listed = watch.time("query (cases of the week)", lambda: list(
        records.cases(start=period.start, end=period.end)))
    reports = PeriodReports(records=ListedRecords(records, listed), policy=policy,
                            clock=lambda: NOW, slack=slack)
    facts = watch.time("case facts (office-hour minutes)",
                       lambda: list(reports.case_facts(period)))
    table = CsvTable(policy.hours.tz)
    csv_text = watch.time("CSV rows", lambda: (
        sum(1 for _ in table.passing(facts)), table.text())[1])
    screened = watch.time("screened posts, crisis periods", lambda: (
        records.screened(start=period.start, end=period.end),
        records.crisis_spans(start=period.start, end=period.end, now=NOW)))
    figures = watch.time("figures", lambda: report_figures(
        period=period, cases=facts, screened=[(at, "filtered") for at, _ in screened[0]],
        tz=policy.hours.tz, crisis_spans=screened[1], target_minutes=policy.first_minutes))
    drawers = {"volume": charts.volume_figure, "first_response": charts.first_response_figure,
               "arrivals": charts.arrivals_figure, "agents": charts.agents_figure,
               "mix": charts.mix_figure}
    files = []
    for name, draw in drawers.items():
        figure = watch.time(f"chart {name}: artists", lambda draw=draw: draw(figures))
        canvas = watch.time(f"chart {name}: Agg render",
                            lambda figure=figure: charts.rendered(figure))
        png = watch.time(f"chart {name}: PNG encode", lambda canvas=canvas: charts.png_bytes(
            canvas))
        files.append((f"{name}.png", name, png))
    files.append(("cases.csv", "Cases", csv_text))
    watch.time("upload (6 files, upload flow)", lambda: slack.upload(
        channel="C0CARE", comment="stages", files=files))
    return watch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save-png", default=None, help="write the charts to this folder")
    args = parser.parse_args()
    hours = OfficeHours.parse(schedule="mon-fri 07:00-21:00; sat-sun 09:00-17:00",
                              timezone="Europe/Berlin", holidays=None, closed_dates=None)
    policy = SlaPolicy(hours=hours, first_minutes=60)
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        fake.add_channel(channel_id="C0CARE", name="care")
        url = f"sqlite:///{tmp}/bench.db"
        started = time.perf_counter()
        # Filled in a child process, so the peak memory below is the report's alone.
        filler = multiprocessing.get_context("fork").Process(
            target=fill_database, args=(url, args.cases, args.weeks))
        filler.start()
        filler.join()
        print(f"filled {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
        db = Database.connect(url)
        slack = SlackOut(build_web_client(token=fake.bot_token, base_url=fake.url),
                         pacer=ChannelPacer(per_second=0))
        reports = PeriodReports(records=PeriodRecords(db), policy=policy, clock=lambda: NOW,
                                slack=slack)
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            report = reports.deliver(request=ReportRequest(kind="week"), channel="C0CARE")
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = os.getloadavg()[0]
        in_week = report.figures.total_cases
        uploads = len([c for c in fake.calls if c["method"] == "upload"])
        if args.save_png:
            folder = Path(args.save_png)
            folder.mkdir(parents=True, exist_ok=True)
            for name, _, content in report.files:
                if name.endswith(".png"):
                    (folder / name).write_bytes(content)
        watch = stages_apart(records=PeriodRecords(db), policy=policy, slack=slack)
        db.dispose()
    best, worst = min(timings), max(timings)
    command = "python bench/report_week.py" + "".join(
        f" --{name} {value}" for name, value, default in (
            ("cases", args.cases, 100_000), ("weeks", args.weeks, 1)) if value != default)
    print("runs (wall / CPU s): " + ", ".join(
        f"{w:.2f} / {c:.2f}" for w, c in zip(timings, cpu, strict=True))
        + " (the first imports matplotlib)")
    watch.print()
    print(f"week with {in_week:,} cases: built and uploaded in {best:.2f}-{worst:.2f} s "
          f"(CPU {min(cpu):.2f}-{max(cpu):.2f} s; {args.repeat} runs, {uploads} files "
          f"uploaded), peak RSS {peak_mb:.0f} MB; load average {load:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"| weekly report over {args.cases:,} cases ({in_week:,} in the week, SQLite): "
          f"figures, 5 charts, CSV, uploaded | {best:.2f}-{worst:.2f} s (CPU "
          f"{min(cpu):.2f}-{max(cpu):.2f} s) at load {load:.1f} on {os.cpu_count()} cores, "
          f"peak RSS {peak_mb:.0f} MB (targets: 5 s, 250 MB) | `{command}` |")
    return 0 if worst < 5 and peak_mb < 250 else 1


if __name__ == "__main__":
    sys.exit(main())
