"""A few weeks of closed cases for the sandbox, so its first ``/care report`` has something
to show: weekday-heavy arrivals with an evening tail, a mix of kinds and moods, most answered
within the target, a bad day in the middle, and some CSAT ratings.

Example::

    seed_history(runtime.db, now=datetime.now(UTC), agents=("UAGENT1", "UAGENT2"))
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from storage.crisis_periods import CrisisPeriods
from storage.db import Database
from storage.history import import_closed_cases

KINDS = ("complaint", "question", "request", "complaint", "question", "outage")
TOPICS = ("terms:bag+lost", "terms:refund+status", "terms:delay+flight", "terms:seat+change",
          "terms:app+login", "terms:meal+vegan")
HANDLES = ("maria_g", "tom_travels", "flyingfrank", "ana_p", "joe_b", "li_wei", "sara_k",
           "omar_h", "nina_r", "pete_o")
# Relative weight of an arrival per hour of the day (local time), weekdays and weekends.
# Most customers leave no rating; those who do mostly rate well.
CSAT_ANSWERS, CSAT_WEIGHTS = (None, 5, 4, 3, 2, 1), (70, 13, 9, 4, 2, 2)
WEEKDAY_HOURS = (0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 9, 8, 8, 9, 9, 8, 7, 7, 6, 5, 4, 3, 1, 1)
WEEKEND_HOURS = (0, 0, 0, 0, 0, 0, 1, 1, 2, 4, 5, 5, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0)


def seed_history(db: Database, *, now: datetime, agents: Sequence[str], weeks: int = 4,
                 per_day: int = 40, seed: int = 11) -> int:
    """Insert closed cases opened over the ``weeks`` weeks before ``now`` (the busiest day
    with a crisis from 09:00 to 15:00, so the volume chart shows one shaded); returns how
    many cases."""
    rnd = random.Random(seed)
    ratings = random.Random(seed + 1)  # its own stream: the other figures stay as they were
    rows = []
    start = (now - timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0, microsecond=0)
    for day in range(weeks * 7):
        midnight = start + timedelta(days=day)
        weekend = midnight.weekday() >= 5
        bad_day = day == weeks * 7 // 2
        if bad_day and midnight + timedelta(hours=15) < now:
            crises = CrisisPeriods(db)
            if crises.begin(at=midnight + timedelta(hours=9), how="detected"):
                crises.end(at=midnight + timedelta(hours=15))
        count = int(per_day * (0.5 if weekend else 1.0) * (2.5 if bad_day else 1.0))
        weights = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        for _ in range(count):
            hour = rnd.choices(range(24), weights=weights)[0]
            opened = midnight + timedelta(hours=hour, minutes=rnd.randrange(60))
            if opened >= now - timedelta(hours=1):
                continue
            wait = rnd.expovariate(1 / (95 if bad_day else 35))
            answered = opened + timedelta(minutes=wait)
            n = len(rows)
            rows.append(dict(
                source_post_id=f"history-{n}", conversation_id=f"history-{n}",
                customer_id=f"history-{n % 300}",
                customer_handle=rnd.choice(HANDLES) + str(n % 97),
                customer_name="Customer", customer_followers=rnd.randrange(5000),
                state="closed", close_reason="resolved", assignee_id=rnd.choice(agents),
                slack_channel="", slack_ts=None, version=1, kind=rnd.choice(KINDS),
                priority=rnd.choice(("normal", "normal", "normal", "high", "low")),
                sentiment=rnd.uniform(-0.9, 0.5), topic_key=rnd.choice(TOPICS),
                created_at=opened, updated_at=answered, sla_started_at=opened,
                sla_minutes=60, first_due_at=opened + timedelta(minutes=60),
                first_response_at=answered, closed_at=answered + timedelta(hours=2),
                csat=ratings.choices(CSAT_ANSWERS, weights=CSAT_WEIGHTS)[0]))
    return import_closed_cases(db, rows=rows)
