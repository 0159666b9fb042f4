"""A burst of mentions in one poll: how fast they are stored, and whether Slack's
per-channel rate limit holds while crisis digesting groups them.

Starts the real app against the local fakes with Slack's rate limit switched on in
the fake (about one message per second per channel, small bursts), puts --posts
alike complaints on X, polls once, and reports: time to store them all, cases
opened, posts grouped into digests, Slack 429 answers while mirroring (target: 0).

    python bench/burst.py [--posts 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.scenario.harness import CHANNEL, Desk, wait_until  # noqa: E402

TEMPLATES = [
    "@acme is the app down? login broken, so angry {n}",
    "@acme outage again?? app won't let me log in. awful {n}",
    "@acme the app is broken again, I hate this, terrible outage {n}",
    "@acme login failing, this outage is a disaster, so frustrated {n}",
    "@acme app crashed again, horrible, I am furious {n}",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/burst.db"
        desk = Desk.start(database_url=url, CARE_CRISIS_IGNORE_TERMS="acme")
        try:
            desk.slack.set_rate_limit(per_channel_per_second=1, burst=3)
            for i in range(args.posts):
                desk.x.post_as_customer(username=f"user{i}",
                                        text=TEMPLATES[i % len(TEMPLATES)].format(n=i))
            start = time.perf_counter()
            result = desk.runtime.poller.poll()
            stored = time.perf_counter() - start
            assert result.polled and not result.error, result
            desk.runtime.jobs.kick()
            wait_until(lambda: desk.runtime.sync.outbox.pending() == 0
                       and desk.runtime.sync.channel_posts.pending() == 0,
                       timeout=300, message="everything mirrored")
            mirrored = time.perf_counter() - start
            intake = desk.runtime.poller.intake
            _, grouped = intake.filtered.recent(limit=1)
            parents = desk.slack.messages(CHANNEL)
            throttled = [c for c in desk.slack.calls if c["status"] == 429]
            read = sum(desk.runtime.poller.usage.month(desk.runtime.poller.clock()).values())
        finally:
            desk.stop()
    cases = sum(1 for m in parents if "Crisis digest" in str(m.get("blocks"))
                or "Case #" in str(m.get("blocks")))
    print(f"{args.posts} mentions posted, {read} read in one poll (X's mentions timeline "
          f"serves the 800 newest): stored in {stored:.2f} s; all in Slack after {mirrored:.1f} s")
    print(f"cases opened: {cases}; posts grouped into digests: {grouped}; "
          f"channel messages: {len(parents)}; Slack 429 answers: {len(throttled)}")
    print(f"| burst of {args.posts} mentions ({read} read) in one poll | stored in "
          f"{stored:.2f} s | {cases} digest cases, {len(throttled)} Slack 429s |")
    return 0 if not throttled else 1


if __name__ == "__main__":
    sys.exit(main())
