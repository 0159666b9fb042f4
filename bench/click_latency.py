"""How fast the bot answers a button click over HTTP, with 20 clicks at once.

Starts the real app (HTTP mode, waitress) against the local fake Slack and X, opens
cases, then sends rounds of 20 concurrent signed clicks (claims, unclaims and
approve attempts) and measures the time until each HTTP response (Slack's ack
deadline is 3 s). Prints p50/p90/p99 and a Markdown row for the README.

    python bench/click_latency.py [--rounds 25] [--concurrency 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.render.ids import ActionId, CaseRef  # noqa: E402
from tests.scenario.harness import Desk  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        desk = Desk.start(database_url=url)
        try:
            for i in range(args.cases):
                desk.x.post_as_customer(username=f"customer{i}", text=f"@acme question {i}?")
            desk.poll()
            for post in desk.x.all_posts():
                desk.parent_for(post["id"])
            agents = [f"UAGENT{i}" for i in range(args.concurrency)]
            samples: list[float] = []

            def click(job: tuple[int, str, ActionId]) -> float:
                case_id, user, action = job
                start = time.perf_counter()
                response = desk.requests.click(
                    user_id=user, action_id=action.value, value=CaseRef(case_id=case_id).encode(),
                    channel_id="C0CARE", message_ts="1.000000")
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                return elapsed

            with ThreadPoolExecutor(args.concurrency) as pool:
                for r in range(args.rounds):
                    # 20 clicks on 5 cases: claims race each other, then the winners unclaim.
                    action = ActionId.CLAIM if r % 2 == 0 else ActionId.UNCLAIM
                    jobs = [((r // 2 * 5 + i % 5) % args.cases + 1, agents[i], action)
                            for i in range(args.concurrency)]
                    samples.extend(pool.map(click, jobs))
        finally:
            desk.stop()
    ms = [s * 1000 for s in samples]
    print(f"clicks: {len(ms)} in rounds of {args.concurrency} concurrent, "
          f"database: {'postgresql' if args.database_url else 'sqlite'}")
    print(f"p50 {percentile(ms, 50):.1f} ms  p90 {percentile(ms, 90):.1f} ms  "
          f"p99 {percentile(ms, 99):.1f} ms  max {max(ms):.1f} ms  mean {statistics.mean(ms):.1f}")
    print(f"| {args.concurrency} concurrent clicks, {len(ms)} in all | "
          f"{percentile(ms, 50):.0f} ms | {percentile(ms, 99):.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
