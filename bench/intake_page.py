"""Intake of one X poll into cases, beside the floor of the same rows written by hand.

Puts --posts mentions from as many customers in one page, and times, each on a fresh
database: the desk's poll (triage, look-ups, one transaction for the page's new cases,
the cursor); a raw SQLAlchemy bulk insert of the same case, post, event and Slack rows
in one transaction (the floor); and the same rows in one transaction per post. Prints
posts per second and the desk's ratio to each, with a Markdown row for the README.
The crisis watch is left out (alike posts in a burst would be grouped into digests).

    python bench/intake_page.py [--posts 2000] [--repeat 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench.fresh_database import fresh  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.model import Author, CustomerHistory, InboundPost  # noqa: E402
from bot.domain.triage import Triager  # noqa: E402
from bot.services.intake import Intake  # noqa: E402
from bot.services.polling import MENTIONS_CURSOR, POLLER_LEASE, Source, XPoller  # noqa: E402
from bot.services.screening import Screening  # noqa: E402
from bot.x.posts import MentionsPage  # noqa: E402
from storage.cases import CaseStore  # noqa: E402
from storage.coordination import Cursors, Leases  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import CaseRow, EventRow, PostRow, SlackOutboxRow  # noqa: E402
from storage.openings import (  # noqa: E402
    case_row,
    new_case_ids,
    opened_event,
    post_row,
    slack_work,
)
from storage.screening import FilteredPosts, MutedAuthors  # noqa: E402
from tests.scenario.harness import SECRETS  # noqa: E402

BRAND = ("999", "acme")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TEMPLATES = [
    "@acme my order {n} never arrived and nobody answers, please help",
    "@acme I was charged twice for booking {n}, I want a refund",
    "@acme the app logs me out every time I open it (ticket {n}), so frustrating",
    "@acme where is my parcel {n}? tracking has not moved for a week",
    "@acme your agent promised a call back about case {n} and never called",
]


def page_of(count: int) -> MentionsPage:
    posts = [InboundPost(id=str(10**15 + n), text=TEMPLATES[n % len(TEMPLATES)].format(n=n),
                         author=Author(id=str(10**6 + n), username=f"cust{n}",
                                       name=f"Customer {n}", followers=n % 500),
                         created_at=NOW - timedelta(minutes=5), conversation_id=str(10**15 + n))
             for n in range(count)]
    return MentionsPage(posts=posts, newest_id=posts[-1].id if posts else None)


def intake_of(db: Database, settings: Settings) -> Intake:
    screening = Screening(triager=Triager(rules=settings.triage_rules), muted=MutedAuthors(db),
                          brand=lambda: BRAND)
    return Intake(store=CaseStore(db), policy=settings.sla_policy, channel="C0CARE",
                  clock=lambda: NOW, screening=screening, filtered=FilteredPosts(db))


def desk_poll(db: Database, settings: Settings, page: MentionsPage) -> float:
    poller = XPoller(x=None, intake=intake_of(db, settings), leases=Leases(db),
                     cursors=Cursors(db), brand_id=lambda: BRAND[0], clock=lambda: NOW,
                     owner="bench", lease_seconds=60,
                     source=Source(name="mentions", cursor=MENTIONS_CURSOR, lease=POLLER_LEASE,
                                   origin="mention", fetch=lambda since: page))
    start = time.perf_counter()
    result = poller.poll()
    seconds = time.perf_counter() - start
    assert result.polled and result.opened == len(page.posts), result
    return seconds


def same_rows(db: Database, settings: Settings, page: MentionsPage) -> list[tuple]:
    """The rows the desk writes for the page, built beforehand (the floor only writes)."""
    intake = intake_of(db, settings)
    rows = []
    for post in page.posts:
        verdict = intake.screening.screen(post, origin="mention")
        opening = intake._opening(post, origin="mention", triage=verdict.fields(),
                                  history=CustomerHistory(), now=NOW,
                                  place=intake._placement(post, verdict))
        rows.append((case_row(opening, channel="C0CARE", now=NOW), opening))
    return rows


def write(s, rows: list[tuple]) -> None:
    conn, cases = s.connection(), CaseRow.__table__
    conn.execute(insert(cases), [r for r, _ in rows])
    ids = new_case_ids(s, [o.post.id for _, o in rows])  # a RETURNING of many rows is slower
    conn.execute(insert(PostRow.__table__), [
        post_row(o.post, case_id=ids[o.post.id], from_customer=True) for _, o in rows])
    conn.execute(insert(EventRow.__table__), [
        opened_event(o, case_id=ids[o.post.id], now=NOW) for _, o in rows])
    conn.execute(insert(SlackOutboxRow.__table__), [
        {"status": "pending", "attempts": 0, "next_attempt_at": NOW, "created_at": NOW, **work}
        for _, o in rows for work in slack_work(o, case_id=ids[o.post.id])])


def bulk_insert(db: Database, rows: list[tuple]) -> float:
    start = time.perf_counter()
    with db.transaction() as s:
        write(s, rows)
    return time.perf_counter() - start


def per_post(db: Database, rows: list[tuple]) -> float:
    start = time.perf_counter()
    for row in rows:
        with db.transaction() as s:
            write(s, [row])
    return time.perf_counter() - start


def median_rate(runs: list[float], posts: int) -> float:
    return posts / statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL; each run gets a new database on it")
    args = parser.parse_args()
    env = dict(SECRETS, SLACK_SIGNING_SECRET="s" * 12, CARE_CHANNEL_ID="C0CARE",
               CARE_LEAD_IDS="ULEAD1", X_API_URL="http://127.0.0.1:9", DATABASE_URL="sqlite://")
    settings = Settings.from_env(env)
    page = page_of(args.posts)
    timings: dict[str, list[float]] = {"desk": [], "bulk": [], "per_post": []}
    measures: dict[str, Callable[[Database, list[tuple]], float]] = {
        "desk": lambda db, _rows: desk_poll(db, settings, page),
        "bulk": bulk_insert, "per_post": per_post}
    with tempfile.TemporaryDirectory() as tmp:
        with fresh(args.database_url, tmp) as db:
            rows = same_rows(db, settings, page)
        for _ in range(args.repeat):
            for name, measure in measures.items():
                with fresh(args.database_url, tmp) as db:
                    timings[name].append(measure(db, rows))
    desk, bulk, single = (median_rate(timings[k], args.posts) for k in timings)
    where = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.posts} mentions from one poll into cases, {where}, median of {args.repeat}:")
    print(f"  care desk (triage, look-ups, one transaction per page): {desk:,.0f} posts/s")
    print(f"  floor: raw SQLAlchemy bulk insert of the same rows: {bulk:,.0f} posts/s "
          f"(ratio x{desk / bulk:.2f}, target at least x0.15)")
    print(f"  one transaction per post, same rows: {single:,.0f} posts/s "
          f"(ratio x{desk / single:.2f})")
    print(f"| {args.posts:,} mentions from one X poll into cases, {where} | {desk:,.0f} posts/s "
          f"| raw bulk insert of the same rows {bulk:,.0f}/s; one transaction per post "
          f"{single:,.0f}/s | x{desk / bulk:.2f} / x{desk / single:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
