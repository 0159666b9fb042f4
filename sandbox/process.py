"""Run the real bot (``python app.py``, HTTP mode) as a child process, for crash tests.

The child gets its settings only from the environment (an empty ``--env-file``), so it
talks to whatever Slack and X base URLs it is given (usually FakeSlack/FakeX started by
the caller). ``kill()`` is ``kill -9``: no clean-up runs, exactly like a crashed host.

Example::

    bot = BotProcess(env=env_for(slack=slack, x=x, database_url=url), log_path=tmp / "bot.log")
    bot.start()                     # waits until /healthz answers
    bot.kill()                      # SIGKILL, then reaps the child
    print(bot.owner)                # the lease owner it used: "host:pid"
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BotProcess:
    """One ``python app.py`` child on a free loopback port."""

    def __init__(self, *, env: dict[str, str], log_path: Path, port: int | None = None,
                 python: str = sys.executable) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.port = port or free_port()
        self.python = python
        self.proc: subprocess.Popen | None = None
        self.owner: str | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def spawn(self) -> subprocess.Popen:
        """Start the child without waiting for it to serve."""
        if self.alive:
            raise RuntimeError("already running")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SLACK_", "X_", "CARE_", "DATABASE_URL", "PORT"))}
        env.update(self.env, PORT=str(self.port), PYTHONUNBUFFERED="1")
        empty_env_file = self.log_path.with_suffix(".env")
        empty_env_file.write_text("")
        log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - the child owns it
        log.write(f"\n=== start {self.starts + 1} at {time.time():.3f} ===\n")
        log.flush()
        self.proc = subprocess.Popen(
            [self.python, str(ROOT / "app.py"), "--env-file", str(empty_env_file),
             "--host", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.owner = f"{socket.gethostname()}:{self.proc.pid}"
        self.starts += 1
        return self.proc

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"bot exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"bot not ready after {timeout}s; see {self.log_path}")

    def start(self, timeout: float = 30.0) -> BotProcess:
        self.spawn()
        self.wait_ready(timeout)
        return self

    def kill(self) -> str | None:
        """``kill -9`` the child (if running) and reap it; returns the owner it used."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)
        return self.owner

    def stop(self, timeout: float = 15.0) -> None:
        """A clean stop (SIGTERM), falling back to SIGKILL."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
