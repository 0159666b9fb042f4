"""One SLA sweep over a large open queue: its cost follows the cases due, not the queue.

Fills a database with --open open cases, --due of them past a nudge level, then
times sweeps (the first, which posts the --due nudges, and an idle one) and prints
the figures with a Markdown row for the README.

    python bench/sla_sweep.py [--open 100000] [--due 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bot.domain.office_hours import OfficeHours  # noqa: E402
from bot.domain.sla import SlaPolicy  # noqa: E402
from bot.services.leads import LeadDirectory  # noqa: E402
from bot.services.sla_sweep import SlaSweeper  # noqa: E402
from storage.channel_posts import ChannelPosts  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import CaseRow  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000, dest="open_cases")
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    first_ms, idle_ms = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            url = args.database_url or f"sqlite:///{tmp}/sweep{run}.db"
            db = Database.connect(url)
            fill(db, open_cases=args.open_cases, due=args.due, now=now)
            sweeper = SlaSweeper(sla=SlaStore(db), channel_posts=ChannelPosts(db),
                                 policy=SlaPolicy(hours=OfficeHours()), channel="C1",
                                 leads=LeadDirectory(lead_ids=("U1",), members_of=lambda g: []),
                                 clock=lambda: now)
            start = time.perf_counter()
            result = sweeper.sweep()
            first_ms.append((time.perf_counter() - start) * 1000)
            assert result.posted == args.due, result
            start = time.perf_counter()
            assert sweeper.sweep().posted == 0
            idle_ms.append((time.perf_counter() - start) * 1000)
            db.dispose()
            if args.database_url:
                break
    first, idle = sorted(first_ms)[len(first_ms) // 2], sorted(idle_ms)[len(idle_ms) // 2]
    print(f"{args.open_cases} open cases, {args.due} due, {len(first_ms)} runs (median)")
    print(f"sweep posting {args.due} nudges: {first:.1f} ms; idle sweep: {idle:.2f} ms")
    print(f"| SLA sweep, {args.open_cases:,} open cases, {args.due} due | {first:.0f} ms | "
          f"idle {idle:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
