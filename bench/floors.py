"""The floors the benchmarks compare the desk with, the timing helpers they share, and
the one command that runs every speed benchmark on SQLite and on PostgreSQL.

``BareBolt`` is the simplest thing that answers a Slack click: a slack-bolt App whose
only listener calls ``ack()``, behind waitress with the desk's own server settings.

Example::

    bare = BareBolt.start(slack_url=fake_slack.url, token=token, signing_secret=secret)
    samples = timed_rounds(lambda i: bare.requests.click(...), rounds=25, concurrency=20)
    bare.stop()

Every figure beside its floor, SQLite then PostgreSQL (a throwaway cluster of Debian's
``postgresql``, as ``scripts/test.sh`` starts one, or the server ``--database-url`` names)::

    python bench/floors.py [--sqlite-only] [--database-url URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests as http  # noqa: E402
from slack_bolt import App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from waitress import create_server  # noqa: E402

from bot.web import MAX_BODY_BYTES, stop_server  # noqa: E402
from sandbox.slack_requests import SignedSlackRequests  # noqa: E402

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
class ClickTarget:
    """A server to click at: where, how to sign, and the clicks to send, in order (the
    keyword arguments of :meth:`SignedSlackRequests.click`)."""

    url: str
    signing_secret: str
    team_id: str
    clicks: list[dict]


class ClickLoad:
    """Signed clicks sent from a process of their own, as Slack's servers are not in the
    desk's process: the clients' own work (signing, building and reading requests) does
    not take the GIL of the servers being measured. One long-lived child process keeps
    its connections between calls, so warm-up rounds warm the measured ones.

    Example::

        load = ClickLoad()
        samples = load.rounds({"desk": ClickTarget(url, secret, team, clicks)},
                              rounds=25, concurrency=20)
        load.close()
    """

    def __init__(self) -> None:
        self.pool = multiprocessing.get_context("spawn").Pool(1)

    def rounds(self, targets: dict[str, ClickTarget], *, rounds: int,
               concurrency: int) -> dict[str, list[float]]:
        """:func:`interleaved_rounds` of each target's clicks, in the child process."""
        return self.pool.apply(_click_rounds, (targets, rounds, concurrency))

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


_CLIENTS: dict[str, SignedSlackRequests] = {}


def _click_rounds(targets: dict[str, ClickTarget], rounds: int,
                  concurrency: int) -> dict[str, list[float]]:
    calls = {}
    for name, target in targets.items():
        client = _CLIENTS.get(target.url)
        if client is None:
            session = http.Session()  # a connection kept for each concurrent client
            session.mount("http://", http.adapters.HTTPAdapter(pool_maxsize=concurrency))
            client = _CLIENTS[target.url] = SignedSlackRequests(
                url=target.url, signing_secret=target.signing_secret,
                team_id=target.team_id, session=session)
        calls[name] = (lambda i, c=client, clicks=target.clicks:
                       c.click(**clicks[i % len(clicks)]))
    return interleaved_rounds(calls, rounds=rounds, concurrency=concurrency)


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


BENCHES = ("click_latency.py", "intake_page.py", "sla_sweep.py")
BENCH_DIR = Path(__file__).resolve().parent


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster on a free loopback port, removed afterwards (as root, run
    as the ``postgres`` user: initdb refuses root)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = found[-1].parent
    work = Path(tempfile.mkdtemp(prefix="care-bench-pg-"))
    work.chmod(0o755)
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = work / "data"
    subprocess.run([*as_pg, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                    str(work / "pg.log"), "-w", "-o",
                    f"-p {port} -k {work} -c listen_addresses=127.0.0.1 "
                    "-c max_connections=200", "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


def run_benches(database_url: str | None) -> int:
    """Each speed benchmark in turn, its output passed through; the worst exit code."""
    worst = 0
    for bench in BENCHES:
        command = [sys.executable, str(BENCH_DIR / bench)]
        if database_url:
            command += ["--database-url", database_url]
        print(f"== {bench} on {'PostgreSQL' if database_url else 'SQLite'} ==", flush=True)
        worst = max(worst, subprocess.run(command).returncode)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description="Every speed figure beside its floor, "
                                     "SQLite then PostgreSQL.")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to use instead of a throwaway cluster")
    args = parser.parse_args()
    worst = run_benches(None)
    if args.sqlite_only:
        return worst
    if args.database_url:
        return max(worst, run_benches(args.database_url))
    with throwaway_postgres() as url:
        return max(worst, run_benches(url))


if __name__ == "__main__":
    sys.exit(main())
