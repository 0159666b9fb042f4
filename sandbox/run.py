"""The sandbox: the real bot on this machine against local stand-ins of Slack and X,
with a web page (``sandbox.web_ui``) to play the customers, the agents and the lead.

Everything listens on 127.0.0.1 only: FakeSlack, FakeX (brand @acme "Acme Air"), the
bot's own HTTP endpoint (``/slack/events``, served by ``bot.web``) and the page. The
database is a fresh SQLite file in a temporary directory, removed on stop; tokens and
the signing secret are made up at start. The page acts on the bot exactly as Slack
would: clicks, modal submissions and ``/care`` are signed HTTP requests. Escalations go
to two more channels (#care-legal, #care-comms); a customer's post or DM is fetched at
once (the scheduled polls run too).

Example::

    python app.py --sandbox --sandbox-port 3000     # then open http://127.0.0.1:3000/

    sandbox = Sandbox(port=0).start()               # in a test: any free port
    print(sandbox.url)
    sandbox.customer_post(username="jane", text="@acme where is my bag?")
    sandbox.stop()
"""

from __future__ import annotations

import logging
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.web import stop_server
from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.seed_history import seed_history
from sandbox.slack_requests import SignedSlackRequests
from sandbox.stack import HOST, Stack, made_up_tokens, start_stack
from sandbox.web_ui import make_ui_server

log = logging.getLogger(__name__)

CHANNEL = "C0CARE"
CHANNEL_NAME = "care"
BRAND_USERNAME = "acme"
BRAND_NAME = "Acme Air"
POLL_SECONDS = 5
DM_POLL_SECONDS = 60  # the lowest X_DM_POLL_SECONDS allows; a customer's DM also polls at once
BOT_NAME = "Care Desk"
# (department, channel id, channel name): where escalation summaries go.
ESCALATION_CHANNELS = (("legal", "C0LEGAL", "care-legal"), ("comms", "C0COMMS", "care-comms"))
# The triage chart: baggage cases in their own channel, the rest in the care channel.
ROUTES_FILE = Path(__file__).with_name("airline_routes.yml")
ROUTE_CHANNELS = (("C0BAGS", "care-baggage", "baggage cases (the triage chart's baggage route)"),)
POLL_WAIT_SECONDS = 5.0
AIRLINE_REPLIES = Path(__file__).resolve().parent / "airline_replies.yml"
AIRLINE_FAQ_URL = "https://acme.example/faq"
AIRLINE_PHONE = "+1 800 555 0100"


@dataclass(frozen=True)
class SandboxUser:
    id: str
    name: str
    role: str


USERS = (SandboxUser("UAGENT1", "Alex (agent)", "agent"),
         SandboxUser("UAGENT2", "Sam (agent)", "agent"),
         SandboxUser("ULEAD1", "Lee (lead)", "lead"),
         # A second lead: a lead's own draft needs another lead's approval.
         SandboxUser("ULEAD2", "Kim (lead)", "lead"))
LEAD_IDS = tuple(u.id for u in USERS if u.role == "lead")

# (username, display name, followers, minutes ago, text): what the page starts with.
SEED_CUSTOMERS = (
    ("maria_lopez", "María López", 812, 26,
     "@acme Hi! Can I bring a folding bike as checked baggage on AC412 to Lisbon? "
     "Does it need a box?"),
    ("dan_kowalski", "Dan Kowalski", 3420, 19,
     "@acme 3 hours on the tarmac in Denver and nobody tells us anything. Flight AC88. "
     "This is ridiculous & I want a refund."),
    ("free_miles_bot", "totally legit deals", 15, 12,
     "@acme <!channel> FREE FLIGHTS for everyone!!! claim at "
     "<https://evil.example/phish|acme.com/refund>"),
    ("priya_travels", "Priya N.", 10240, 7,
     "@acme my suitcase never made it to Boston (AC231, bag tag AC482913). Who do I talk "
     "to?"),
    ("tom_hughes", "Tom Hughes", 95, 3,
     "@acme thanks for the upgrade on AC17 today, the crew was fantastic ✈️"),
    ("lena_flies", "Lena Berg", 48200, 5,
     "@acme love the new lounge in Denver, best coffee at any airport!"),
    ("sam_okafor", "Sam Okafor", 1530, 2,
     "@acme thank you Maria at gate B4, you made my day 🙌"),
)
SEED_BRAND_POST = ("Storms around Chicago may delay some evening flights today. Check your "
                   "flight status in the Acme Air app; rebooking is free.")


class Sandbox:
    """Fakes + bot + page, started together and stopped together. Thread-safe actions.

    Example::

        with Sandbox(port=0) as sandbox:
            sandbox.command(user_id="ULEAD1", text="status")["text"]
    """

    def __init__(self, *, port: int = 3000, seed: bool = True,
                 poll_seconds: int = POLL_SECONDS) -> None:
        self.port, self.seed, self.poll_seconds = port, seed, poll_seconds
        self.users = USERS
        self.slack: FakeSlack | None = None
        self.x: FakeX | None = None
        self.runtime: Runtime | None = None
        self.settings: Settings | None = None
        self.requests: SignedSlackRequests | None = None
        self.stack: Stack | None = None
        self._ui_server = None
        self._threads: list[threading.Thread] = []
        self._tmp: str | None = None
        self._lock = threading.Lock()
        self._poll_lock = threading.Lock()
        self._dismissed: set[str] = set()
        self._answers: dict[str, list[dict[str, Any]]] = {}
        self._started = False

    # --- lifecycle ----------------------------------------------------------------------
    def start(self) -> Sandbox:
        try:
            self._ui_server = make_ui_server(self, host=HOST, port=self.port)  # bind first
            self._start_backends()
            self._serve(self._ui_server, "sandbox-ui")
        except BaseException:
            self.stop()
            raise
        self._started = True
        return self

    def _start_backends(self) -> None:
        self._tmp = tempfile.mkdtemp(prefix="care-sandbox-")
        self.stack = start_stack(
            tokens=made_up_tokens(), signing_secret=secrets.token_hex(16),
            channels=((CHANNEL, CHANNEL_NAME),) + tuple(
                (channel_id, name) for channel_id, name, _ in ROUTE_CHANNELS) + tuple(
                (channel_id, name) for _, channel_id, name in ESCALATION_CHANNELS),
            users=tuple((user.id, user.name.split()[0].lower(), user.name)
                        for user in self.users),
            brand_username=BRAND_USERNAME, brand_name=BRAND_NAME,
            settings={
                "CARE_CHANNEL_ID": CHANNEL, "CARE_LEAD_IDS": ",".join(LEAD_IDS),
                "X_POLL_SECONDS": str(self.poll_seconds),
                "X_DM_POLL_SECONDS": str(DM_POLL_SECONDS),
                "CARE_ESCALATION_CHANNELS": ",".join(f"{dept}={cid}"
                                                     for dept, cid, _ in ESCALATION_CHANNELS),
                "CARE_REPLIES_FILE": str(AIRLINE_REPLIES), "CARE_FAQ_URL": AIRLINE_FAQ_URL,
                "CARE_PHONE_NUMBER": AIRLINE_PHONE,
                "CARE_ROUTES_FILE": str(ROUTES_FILE), "CARE_CSAT": "true",
                "DATABASE_URL": f"sqlite:///{self._tmp}/sandbox.db"})
        self.slack, self.x, self.runtime = self.stack.slack, self.stack.x, self.stack.runtime
        self.settings, self.requests = self.stack.settings, self.stack.requests
        if self.seed:
            self._seed()
        self.runtime.start_jobs()
        self.poll_now()
        self.poll_dms_now()
        if self.seed:  # the seeded praise shows in a digest at once, not in an hour
            self.runtime.jobs.kick("praise_digest")

    def _serve(self, server, name: str) -> None:
        thread = threading.Thread(target=server.run, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _seed(self) -> None:
        now = datetime.now(UTC)
        seed_history(self.runtime.db, now=now - timedelta(days=1),
                     agents=[user.id for user in self.users if user.role == "agent"])
        self.x.store.create_tweet(author_id=self.x.brand_id, text=SEED_BRAND_POST,
                                  created_at=now - timedelta(minutes=40))
        for username, name, followers, minutes, text in SEED_CUSTOMERS:
            self.x.add_user(username=username, name=name, followers_count=followers)
            self.x.post_as_customer(username=username, text=text,
                                    created_at=now - timedelta(minutes=minutes))

    def stop(self) -> None:
        """Stop the page, the bot, its jobs and the fakes; remove the temporary database."""
        self._started = False
        if self._ui_server is not None:
            try:
                stop_server(self._ui_server)
            except Exception:  # noqa: BLE001 - stopping must go on
                log.exception("stopping the sandbox page failed")
        self._ui_server = None
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if self.stack is not None:
            self.stack.stop()
            self.stack = None
        self.runtime = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def ui_port(self) -> int:
        if self._ui_server is None:
            raise RuntimeError("the sandbox is not started")
        return int(self._ui_server.effective_port)

    @property
    def url(self) -> str:
        """The page, e.g. ``http://127.0.0.1:3000/``."""
        return f"http://{HOST}:{self.ui_port}/"

    @property
    def channel(self) -> str:
        return CHANNEL

    @property
    def channels(self) -> list[dict[str, str]]:
        """The Slack channels the page shows: the care channel, the routes' channels, then
        the escalation teams'."""
        return [{"id": CHANNEL, "name": CHANNEL_NAME, "note": "care desk cases"}] + [
            {"id": cid, "name": name, "note": note} for cid, name, note in ROUTE_CHANNELS] + [
            {"id": cid, "name": name, "note": f"escalations to {dept}"}
            for dept, cid, name in ESCALATION_CHANNELS]

    def user(self, user_id: str) -> SandboxUser:
        for user in self.users:
            if user.id == user_id:
                return user
        raise ValueError(f"unknown sandbox user {user_id[:20]!r}")

    # --- X side -------------------------------------------------------------------------
    def poll_now(self) -> None:
        """Fetch mentions now (the scheduled poll runs too) and wake the delivery jobs."""
        with self._poll_lock:
            _poll_until_done(self.runtime.poller.poll)
        self.runtime.jobs.kick()

    def poll_dms_now(self) -> None:
        """Fetch DMs now (the scheduled DM poll runs only every minute); wake the jobs."""
        with self._poll_lock:
            _poll_until_done(self.runtime.dm_poller.poll)
        self.runtime.jobs.kick()

    def customer_post(self, *, username: str, text: str, kind: str = "mention",
                      reply_to: str | None = None) -> str:
        """A customer posts (``mention``, ``reply`` to a brand post, or ``dm``); returns its id."""
        username = username.strip().lstrip("@")
        if not username or not username.replace("_", "").isalnum() or len(username) > 15:
            raise ValueError("a username is 1-15 letters, digits or _")
        if username.lower() == BRAND_USERNAME:
            raise ValueError("that is the brand; pick a customer's username")
        if not text.strip():
            raise ValueError("write something first")
        if kind == "dm":
            post_id = self.x.send_dm_as_customer(username=username, text=text)
            self.poll_dms_now()
            return post_id
        if kind == "reply":
            brand_ids = {p["id"] for p in self.x.brand_posts()}
            if reply_to not in brand_ids:
                raise ValueError("pick one of the brand's posts to reply to")
            post_id = self.x.post_as_customer(username=username, text=text,
                                              in_reply_to_post_id=reply_to)
        elif kind == "mention":
            if f"@{BRAND_USERNAME}" not in text.lower():
                text = f"@{BRAND_USERNAME} {text}"
            post_id = self.x.post_as_customer(username=username, text=text)
        else:
            raise ValueError(f"unknown kind {kind[:20]!r}")
        self.poll_now()
        return post_id

    # --- Slack side: what a person does in the Slack client --------------------------------
    def click(self, *, user_id: str, message_ts: str, action_id: str, value: str,
              block_id: str, selected: bool = False) -> int:
        """Click a button (or pick a select option) on a message; returns the HTTP status."""
        self.user(user_id)
        trigger_id = self.slack.issue_trigger(user_id=user_id)
        response = self.requests.click(user_id=user_id, action_id=action_id, value=value,
                                       channel_id=self._channel_of(message_ts),
                                       message_ts=message_ts,
                                       block_id=block_id, trigger_id=trigger_id,
                                       selected_option=selected)
        return response.status_code

    def _channel_of(self, message_ts: str) -> str:
        """The channel holding the message clicked (the care channel if none does)."""
        for channel in self.channels:
            if self.slack.message(channel["id"], message_ts) is not None:
                return channel["id"]
        return CHANNEL

    def open_view(self, user_id: str) -> dict[str, Any] | None:
        """The newest modal opened for ``user_id`` that is not closed yet, or None."""
        with self._lock:
            dismissed = set(self._dismissed)
        mine = [v for v in self.slack.views()
                if v["user"] == user_id and v["id"] not in dismissed]
        return mine[-1] if mine else None

    def submit_view(self, *, user_id: str, view_id: str,
                    values: dict[str, dict[str, str | dict[str, Any]]]) -> dict[str, Any]:
        """Submit a modal; ``{"closed": True}`` or ``{"closed": False, "errors": {...}}``.

        ``values[block][action]`` is typed text, or a radio/select state (``choice()``)."""
        record = next((v for v in self.slack.views()
                       if v["id"] == view_id and v["user"] == user_id), None)
        if record is None:
            raise ValueError("that modal is not open")
        response = self.requests.submit_view(user_id=user_id, view=record["view"],
                                             values=values)
        body = _json_or_empty(response)
        if response.status_code == 200 and body.get("response_action") == "errors":
            return {"closed": False, "errors": dict(body.get("errors") or {})}
        if response.status_code != 200:
            return {"closed": False, "errors": {}, "error": f"the app answered HTTP "
                                                           f"{response.status_code}"}
        self.close_view(user_id=user_id, view_id=view_id)
        return {"closed": True}

    def close_view(self, *, user_id: str, view_id: str) -> None:
        with self._lock:
            self._dismissed.add(view_id)

    def command(self, *, user_id: str, text: str) -> dict[str, Any]:
        """Run ``/care text``; the answer is kept as an ephemeral for ``user_id``."""
        self.user(user_id)
        text = text.strip()
        if text.lower().startswith("/care"):
            text = text[5:].strip()
        response = self.requests.command(user_id=user_id, text=text, channel_id=CHANNEL)
        body = _json_or_empty(response)
        if response.status_code != 200:
            answer = {"text": f"/care failed: the app answered HTTP {response.status_code}"}
        elif not body and response.text.strip():
            answer = {"text": response.text.strip()}
        else:
            answer = {"text": str(body.get("text") or ""), "blocks": body.get("blocks") or []}
        answer.update(ts=f"{time.time():.6f}", command=f"/care {text}".strip())
        with self._lock:
            self._answers.setdefault(user_id, []).append(answer)
        return answer

    def ephemerals(self, user_id: str) -> list[dict[str, Any]]:
        """What only ``user_id`` sees: the bot's ephemerals and their /care answers."""
        found = [{"ts": e["message_ts"], "text": e.get("text") or "",
                  "blocks": e.get("blocks") or []}
                 for e in self.slack.ephemerals(user=user_id)
                 if e["channel"] in {c["id"] for c in self.channels}]
        with self._lock:
            found += [dict(a) for a in self._answers.get(user_id, [])]
        return sorted(found, key=lambda e: float(e["ts"]))


def _poll_until_done(poll) -> None:
    """Run ``poll()``; when the scheduled poll is running already (``polled`` False), wait
    for it and poll again, so what was just posted is read now and not a minute later."""
    deadline = time.monotonic() + POLL_WAIT_SECONDS
    while not poll().polled and time.monotonic() < deadline:
        time.sleep(0.05)


def _json_or_empty(response) -> dict[str, Any]:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def run_sandbox(*, port: int = 3000, open_browser: bool = False) -> int:
    """Run the sandbox until Ctrl-C or SIGTERM; returns the process exit code."""
    sandbox = Sandbox(port=port)
    try:
        sandbox.start()
    except OSError as exc:
        print(f"The sandbox cannot start on port {port}: {exc.strerror or exc}. "
              "Pick another one with --sandbox-port.", file=sys.stderr)
        return 1
    configure_logging(secrets=sandbox.settings.secrets, level="WARNING")
    # "job skipped: maximum number of running instances" is routine when a click kicks a
    # delivery job that is already running; it is not worth a line in the console.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    stop = threading.Event()
    try:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    except ValueError:  # not the main thread: Ctrl-C handling is the caller's business
        pass
    print(f"Care desk sandbox: open {sandbox.url}  (Slack and X are local stand-ins; "
          "Ctrl-C stops)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(sandbox.url)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping the sandbox…", flush=True)
        sandbox.stop()
    return 0
