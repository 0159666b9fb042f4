"""A weekly report over a database of many cases: built (figures, five charts, the CSV) and
uploaded through Slack's upload flow to the local fake Slack, timed, with peak memory.

Fills a SQLite database with --cases cases opened over --weeks weeks (so the reported
week holds cases/weeks of them; --weeks 1 puts every case in the reported week), then
builds and uploads the last complete week's report --repeat times.

    python bench/report_week.py [--cases 100000] [--weeks 1] [--repeat 3] [--save-png DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bot.domain.office_hours import OfficeHours  # noqa: E402
from bot.domain.sla import SlaPolicy  # noqa: E402
from bot.services.period_report import PeriodReports, ReportRequest  # noqa: E402
from bot.slack_out import ChannelPacer, SlackOut, build_web_client  # noqa: E402
from sandbox.fake_slack import FakeSlack  # noqa: E402
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
    db.dispose()


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
        in_week = report.figures.total_cases
        uploads = len([c for c in fake.calls if c["method"] == "upload"])
        if args.save_png:
            folder = Path(args.save_png)
            folder.mkdir(parents=True, exist_ok=True)
            for name, _, content in report.files:
                if name.endswith(".png"):
                    (folder / name).write_bytes(content)
        db.dispose()
    best, worst = min(timings), max(timings)
    print(f"week with {in_week:,} cases: built and uploaded in {best:.2f}-{worst:.2f} s "
          f"(CPU {min(cpu):.2f}-{max(cpu):.2f} s; {args.repeat} runs, {uploads} files "
          f"uploaded), peak RSS {peak_mb:.0f} MB")
    print(f"| weekly report over {args.cases:,} cases ({in_week:,} in the week, SQLite): "
          f"figures, 5 charts, CSV, uploaded | {best:.2f}-{worst:.2f} s (CPU "
          f"{min(cpu):.2f}-{max(cpu):.2f} s), peak RSS {peak_mb:.0f} MB (targets: 5 s, 250 MB)"
          f" | `python bench/report_week.py` |")
    return 0 if worst < 5 and peak_mb < 250 else 1


if __name__ == "__main__":
    sys.exit(main())
