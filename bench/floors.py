"""The floors the benchmarks compare the desk with, and the timing helpers they share.

``BareBolt`` is the simplest thing that answers a Slack click: a slack-bolt App whose
only listener calls ``ack()``, behind waitress with the desk's own server settings.

Example::

    bare = BareBolt.start(slack_url=fake_slack.url, token=token, signing_secret=secret)
    samples = timed_rounds(lambda i: bare.requests.click(...), rounds=25, concurrency=20)
    bare.stop()
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import create_server

from bot.web import MAX_BODY_BYTES, stop_server
from sandbox.slack_requests import SignedSlackRequests

HOST = "127.0.0.1"
SERVER_THREADS = 32  # bot.web.make_server's default


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class BareBolt:
    """A bare Bolt app served like the desk: same waitress threads and body limit."""

    server: object
    thread: threading.Thread
    requests: SignedSlackRequests

    @classmethod
    def start(cls, *, slack_url: str, token: str, signing_secret: str,
              team_id: str) -> BareBolt:
        app = App(client=WebClient(token=token, base_url=slack_url),
                  signing_secret=signing_secret)

        @app.action(re.compile(".*"))
        def only_ack(ack):
            ack()

        server = create_server(SlackRequestHandler(app), host=HOST, port=0,
                               threads=SERVER_THREADS, ident="bare-bolt",
                               max_request_body_size=MAX_BODY_BYTES)
        thread = threading.Thread(target=server.run, name="bare-bolt-http", daemon=True)
        thread.start()
        requests = SignedSlackRequests(
            url=f"http://{HOST}:{server.effective_port}/slack/events",
            signing_secret=signing_secret, team_id=team_id)
        return cls(server=server, thread=thread, requests=requests)

    def stop(self) -> None:
        self.requests.session.close()
        stop_server(self.server)
        self.thread.join(timeout=5)


def timed(call: Callable[[], object]) -> float:
    """Milliseconds ``call`` takes; it must return an HTTP response with status 200/404."""
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    status = getattr(response, "status_code", 200)
    assert status in (200, 404), status
    return elapsed


def interleaved_rounds(calls: dict[str, Callable[[int], object]], *, rounds: int,
                       concurrency: int) -> dict[str, list[float]]:
    """Run ``rounds`` rounds of ``concurrency`` calls at once for each named target in
    turn (A, B, A, B, ...), so each sees the same machine load; milliseconds per call."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    counter = {name: 0 for name in calls}
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(rounds):
            for name, call in calls.items():
                first = counter[name]
                counter[name] += concurrency
                samples[name].extend(pool.map(
                    lambda i, c=call: timed(lambda: c(i)),
                    range(first, first + concurrency)))
    return samples


@dataclass(frozen=True)
class Figure:
    """One line of the report: the desk's figure beside its floor and its target."""

    name: str
    desk: str
    floor: str
    verdict: str

    def line(self) -> str:
        return f"{self.name:<50} {self.desk:<34} {self.floor:<26} {self.verdict}"


def ratio_verdict(desk: float, floor: float, *, at_most: float) -> tuple[float, str]:
    ratio = desk / floor if floor else float("inf")
    holds = "holds" if ratio <= at_most else "MISSED"
    return ratio, f"x{ratio:.1f} (target <= x{at_most:g}: {holds})"
