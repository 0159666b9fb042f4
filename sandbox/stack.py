"""Start the real bot against the local stand-ins of Slack and X, served over HTTP.

One start-up shared by the sandbox (``sandbox.run``), the scenario tests' ``Desk`` and the
benches: start FakeSlack and FakeX (or take ones already started), build the runtime
exactly as app.py does (only the base URLs differ), serve ``/slack/events`` with waitress
on a loopback port and hand back a signed-request client. The scheduled jobs are not
started: the caller seeds what it needs first, then calls ``stack.runtime.start_jobs()``.

Example::

    stack = start_stack(tokens=made_up_tokens(), signing_secret="s3cret",
                        channels=(("C0CARE", "care"),),
                        settings={"CARE_CHANNEL_ID": "C0CARE", "CARE_LEAD_IDS": "ULEAD1",
                                  "DATABASE_URL": "sqlite:///desk.db"})
    stack.runtime.start_jobs()
    stack.requests.command(user_id="ULEAD1", text="status", channel_id="C0CARE")
    stack.stop()
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web import make_server, stop_server
from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.slack_requests import SignedSlackRequests

HOST = "127.0.0.1"
# The settings that hold a token or key: Slack's bot token and the brand's X credentials.
TOKEN_SETTINGS = ("SLACK_BOT_TOKEN", "X_BEARER_TOKEN", "X_API_KEY", "X_API_SECRET",
                  "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")


def made_up_tokens(prefix: str = "sandbox") -> dict[str, str]:
    """Fresh random values for every token setting (``xoxb-`` for Slack's bot token)."""
    tokens = {name: f"{prefix}-{name.lower()}-{secrets.token_hex(6)}" for name in TOKEN_SETTINGS}
    tokens["SLACK_BOT_TOKEN"] = f"xoxb-{prefix}-{secrets.token_hex(8)}"
    return tokens


@dataclass
class Stack:
    """The stand-ins, the runtime built against them and the HTTP server serving it."""

    slack: FakeSlack
    x: FakeX
    settings: Settings
    runtime: Runtime
    requests: SignedSlackRequests
    server: Any
    thread: threading.Thread
    _stopped: bool = field(default=False)

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    def stop(self) -> None:
        """Stop serving, stop the runtime and its jobs, then the stand-ins. Safe twice."""
        if self._stopped:
            return
        self._stopped = True
        self.requests.session.close()
        stop_server(self.server)
        self.thread.join(timeout=5)
        self.runtime.stop()
        self.slack.stop()
        self.x.stop()


def start_stack(*, tokens: Mapping[str, str], signing_secret: str,
                settings: Mapping[str, str], channels: tuple[tuple[str, str], ...] = (),
                users: tuple[tuple[str, str, str], ...] = (),
                slack: FakeSlack | None = None, x: FakeX | None = None,
                brand_username: str = "acme", brand_name: str = "Acme Air",
                runtime_options: Mapping[str, Any] | None = None) -> Stack:
    """Start the stand-ins (unless given), build the runtime and serve it on a free port.

    ``tokens`` fills every token setting; ``settings`` adds the rest (the care channel, the
    leads, the database, ...); the stand-ins' URLs and ``signing_secret`` are filled in here.
    ``runtime_options`` go to ``build_runtime`` (a clock, a pacer). ``channels`` are
    ``(id, name)`` pairs and ``users`` ``(id, name, real name)`` triples created in FakeSlack
before the runtime is built. On failure whatever started is stopped.
    """
    started: list[Any] = []
    try:
        slack = slack or FakeSlack(bot_token=tokens["SLACK_BOT_TOKEN"], host=HOST).start()
        started.append(slack)
        for channel_id, name in channels:
            slack.add_channel(channel_id=channel_id, name=name)
        for user_id, name, real_name in users:
            slack.add_user(user_id=user_id, name=name, real_name=real_name)
        x = x or FakeX(brand_username=brand_username, brand_name=brand_name, host=HOST).start()
        started.append(x)
        env = {**tokens, "SLACK_SIGNING_SECRET": signing_secret, "SLACK_API_URL": slack.url,
               "X_API_URL": x.url, **settings}
        built_settings = Settings.from_env(env)
        runtime = build_runtime(built_settings, **dict(runtime_options or {}))
        started.append(runtime)
        server = make_server(runtime, host=HOST, port=0)
        thread = threading.Thread(target=server.run, name="care-desk-http", daemon=True)
        thread.start()
    except BaseException:
        for part in reversed(started):
            part.stop()
        raise
    requests = SignedSlackRequests(url=f"http://{HOST}:{server.effective_port}/slack/events",
                                   signing_secret=signing_secret, team_id=slack.team_id)
    return Stack(slack=slack, x=x, settings=built_settings, runtime=runtime,
                 requests=requests, server=server, thread=thread)
