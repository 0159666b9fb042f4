"""One SLA sweep over a large open queue, beside the same work done by hand.

Fills a database with --open open cases (several sizes: the sweep must stay flat),
--due of them past a nudge level, and times, each from the same starting point: the
desk's sweep (which posts the --due nudges), an idle sweep, the raw indexed select
of the due cases, and the floor: that select plus the same writes by hand (one
batched compare-and-set UPDATE, the nudge rows, the Slack rows) in one transaction.
Prints the figures, the ratio to the floor (target at most x2) and Markdown rows.

    python bench/sla_sweep.py [--open 10000 100000] [--due 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import bindparam, delete, insert, select, update  # noqa: E402

from bench.fresh_database import fresh  # noqa: E402
from bot.domain.office_hours import OfficeHours  # noqa: E402
from bot.domain.sla import SlaPolicy  # noqa: E402
from bot.services.leads import LeadDirectory  # noqa: E402
from bot.services.sla_sweep import SlaSweeper  # noqa: E402
from storage.channel_posts import ChannelPosts  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (  # noqa: E402
    CaseRow,
    ChannelPostRow,
    NudgeRow,
    SlackOutboxRow,
)
from storage.sla import SlaStore  # noqa: E402


def fill(db: Database, *, open_cases: int, due: int, now: datetime) -> None:
    rows = []
    for i in range(open_cases):
        is_due = i % (open_cases // due) == 0
        start = now - timedelta(minutes=50 if is_due else 5)
        rows.append(dict(source_post_id=str(10**18 + i), conversation_id=str(10**18 + i),
                         customer_id=str(i), customer_handle=f"c{i}", customer_name=f"C {i}",
                         customer_followers=0, state="new", slack_channel="C1",
                         slack_ts=f"{1700000000 + i}.000100", version=1, created_at=start,
                         updated_at=start, sla_started_at=start, sla_minutes=60,
                         sla_due_at=start + timedelta(minutes=60), sla_cycle=0,
                         next_nudge_at=start + timedelta(minutes=45),
                         next_nudge_level="warning", first_due_at=start + timedelta(minutes=60)))
    with db.transaction() as s:
        for chunk in range(0, len(rows), 5000):
            s.execute(insert(CaseRow), rows[chunk:chunk + 5000])


def reset(db: Database, *, due_ids: list[int], now: datetime) -> None:
    """Put the due cases back before their warning, and forget what a run wrote."""
    with db.transaction() as s:
        s.execute(update(CaseRow).where(CaseRow.id.in_(due_ids))
                  .values(next_nudge_level="warning", next_nudge_at=now - timedelta(minutes=5)))
        for table in (NudgeRow, SlackOutboxRow, ChannelPostRow):
            s.execute(delete(table))


def raw_select(s, now: datetime, limit: int) -> list:
    cases = CaseRow.__table__
    return s.connection().execute(
        select(cases.c.id, cases.c.sla_cycle, cases.c.next_nudge_level, cases.c.next_nudge_at,
               cases.c.sla_started_at, cases.c.sla_minutes, cases.c.state,
               cases.c.assignee_id, cases.c.slack_channel, cases.c.slack_ts,
               cases.c.customer_handle)
        .where(cases.c.next_nudge_at <= now).order_by(cases.c.next_nudge_at)
        .limit(limit)).all()


def by_hand(db: Database, now: datetime, limit: int) -> int:
    """The floor: the select, then the sweep's writes as plain batched statements."""
    cases = CaseRow.__table__
    with db.transaction() as s:
        rows = raw_select(s, now, limit)
        conn = s.connection()
        changed = conn.execute(
            update(cases).where(cases.c.id == bindparam("b_id"),
                                cases.c.sla_cycle == bindparam("b_cycle"),
                                cases.c.next_nudge_level == bindparam("b_level"))
            .values(next_nudge_level="breach",
                    next_nudge_at=bindparam("b_at", type_=CaseRow.next_nudge_at.type)),
            [{"b_id": r.id, "b_cycle": r.sla_cycle, "b_level": r.next_nudge_level,
              "b_at": r.sla_started_at + timedelta(minutes=60)} for r in rows]).rowcount
        conn.execute(insert(NudgeRow.__table__), [
            {"case_id": r.id, "sla_cycle": r.sla_cycle, "level": r.next_nudge_level,
             "due_at": r.next_nudge_at, "posted_at": now} for r in rows])
        conn.execute(insert(SlackOutboxRow.__table__), [
            {"case_id": r.id, "kind": kind, "text": text, "blocks": None, "status": "pending",
             "attempts": 0, "next_attempt_at": now, "created_at": now}
            for r in rows for kind, text in (("update", ""), ("note", f"warning {r.id}"))])
    return changed


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def measure(db: Database, *, open_cases: int, due: int, repeat: int) -> dict[str, float]:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    fill(db, open_cases=open_cases, due=due, now=now)
    with db.transaction() as s:
        due_ids = [r.id for r in raw_select(s, now, open_cases)]
    assert len(due_ids) == due, len(due_ids)
    sweeper = SlaSweeper(sla=SlaStore(db), channel_posts=ChannelPosts(db),
                         policy=SlaPolicy(hours=OfficeHours()), channel="C1",
                         leads=LeadDirectory(lead_ids=("U1",), members_of=lambda g: []),
                         clock=lambda: now)
    runs: dict[str, list[float]] = {"sweep": [], "idle": [], "select": [], "by_hand": []}

    def sweep() -> None:
        assert sweeper.sweep().posted == due

    def idle() -> None:
        assert sweeper.sweep().posted == 0

    def select_only() -> None:
        with db.transaction() as s:
            assert len(raw_select(s, now, 200)) == due

    def hand() -> None:
        assert by_hand(db, now, 200) == due

    for run in range(repeat + 1):  # the first round warms the statement caches
        for name, work in (("sweep", sweep), ("idle", idle), ("select", select_only),
                           ("by_hand", hand)):
            if name != "idle":
                reset(db, due_ids=due_ids, now=now)
            ms = timed(work)
            if run:
                runs[name].append(ms)
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, nargs="+", default=[10_000, 100_000],
                        dest="open_cases")
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL; each size gets a new database on it")
    args = parser.parse_args()
    where = "PostgreSQL" if args.database_url else "SQLite"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for open_cases in args.open_cases:
            with fresh(args.database_url, tmp) as db:
                got = measure(db, open_cases=open_cases, due=args.due, repeat=args.repeat)
            ratio = got["sweep"] / got["by_hand"]
            print(f"{where}, {open_cases:,} open cases, {args.due} due, median of "
                  f"{args.repeat}: sweep {got['sweep']:.1f} ms, idle sweep {got['idle']:.2f} ms; "
                  f"raw select {got['select']:.1f} ms, select plus the writes by hand "
                  f"{got['by_hand']:.1f} ms: x{ratio:.2f} (target at most x2)")
            rows.append(f"| SLA sweep, {open_cases:,} open / {args.due} due, {where} | "
                        f"{got['sweep']:.0f} ms (idle {got['idle']:.1f} ms) | raw select "
                        f"{got['select']:.1f} ms; select plus the writes by hand "
                        f"{got['by_hand']:.1f} ms | x{ratio:.1f} |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
