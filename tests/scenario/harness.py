"""The real app over HTTP against the local fake Slack and X servers.

A ``Desk`` starts FakeSlack and FakeX, builds the runtime exactly as app.py does
(only base URLs differ) and serves it on a loopback port (``sandbox.stack``), and offers
helpers to act as agents (signed requests) and to wait for what Slack shows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.render.ids import ActionId, BlockId, InputId, ViewId
from bot.runtime import Runtime
from bot.slack_out import ChannelPacer
from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.slack_requests import SignedSlackRequests, choice
from sandbox.stack import Stack, start_stack

CHANNEL = "C0CARE"
AGENT, AGENT2, LEAD, LEAD2 = "UAGENT1", "UAGENT2", "ULEAD1", "ULEAD2"
SIGNING_SECRET = "test-signing-secret-8f2e"
SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-test-bot-token-5521",
    "X_BEARER_TOKEN": "x-bearer-token-value-7781",
    "X_API_KEY": "x-api-key-value-3392",
    "X_API_SECRET": "x-api-secret-value-1187",
    "X_ACCESS_TOKEN": "x-access-token-value-6640",
    "X_ACCESS_TOKEN_SECRET": "x-access-secret-value-2209",
}


class FakeClock:
    """A clock the test moves by hand: ``clock.advance(minutes=90)``."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def set(self, value: datetime) -> None:
        with self._lock:
            self._now = value


def wait_until(predicate: Callable[[], object], *, timeout: float = 10.0,
               message: str = "condition", interval: float = 0.02) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


def env_for(*, slack: FakeSlack, x: FakeX, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(SECRETS)
    env.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.url,
               CARE_CHANNEL_ID=CHANNEL, CARE_LEAD_IDS=f"{LEAD},{LEAD2}", X_API_URL=x.url,
               X_POLL_SECONDS="3600", DATABASE_URL=database_url)
    env.update(extra)
    return env


@dataclass
class Desk:
    slack: FakeSlack
    x: FakeX
    runtime: Runtime
    requests: SignedSlackRequests
    stack: Stack

    @property
    def port(self) -> int:
        return self.stack.port

    @property
    def server(self) -> object:
        return self.stack.server

    @classmethod
    def start(cls, *, database_url: str, slack: FakeSlack | None = None,
              x: FakeX | None = None, clock: Callable[[], datetime] | None = None,
              channels: tuple[tuple[str, str], ...] = (), **extra_env: str) -> Desk:
        settings = {"CARE_CHANNEL_ID": CHANNEL, "CARE_LEAD_IDS": f"{LEAD},{LEAD2}",
                    "X_POLL_SECONDS": "3600", "DATABASE_URL": database_url, **extra_env}
        stack = start_stack(tokens=SECRETS, signing_secret=SIGNING_SECRET, settings=settings,
                            channels=((CHANNEL, "care"), *channels), slack=slack, x=x,
                            runtime_options={"pacer": ChannelPacer(per_second=0),
                                             **({"clock": clock} if clock else {})})
        runtime = stack.runtime
        if clock is not None:
            # The test moves the clock and sweeps when it chooses; a background sweep
            # at an arbitrary moment in between would race the test's own assertions.
            runtime.jobs.scheduler.remove_job("sweep_sla")
        started = datetime.now(runtime.jobs.scheduler.timezone)
        runtime.start_jobs()
        polls = [name for name in ("poll_x", "poll_dms", "poll_search")
                 if name in runtime.jobs.jobs]
        # The polls run once at start; let them finish so a test's own polls and injected
        # faults meet a quiet poller.
        wait_until(lambda: all(runtime.jobs.scheduler.get_job(name).next_run_time > started
                               and not runtime.jobs.jobs[name].running.is_set()
                               for name in polls), message="the first polls")
        return cls(slack=stack.slack, x=stack.x, runtime=runtime, requests=stack.requests,
                   stack=stack)

    def stop(self) -> None:
        self.stack.stop()

    # --- X side ---------------------------------------------------------------------
    def mention(self, text: str, *, username: str = "jane_doe", **kwargs) -> str:
        """A customer posts; the bot polls; returns the post id once its parent is in Slack."""
        post_id = self.x.post_as_customer(username=username, text=text, **kwargs)
        self.poll()
        self.parent_for(post_id)
        return post_id

    def poll(self) -> None:
        """Poll X now (waiting out a poll the scheduler may be running at this moment)."""
        wait_until(lambda: self.runtime.poller.poll().polled, message="a poll of X")
        self.runtime.jobs.kick()

    def poll_dms(self) -> None:
        wait_until(lambda: self.runtime.dm_poller.poll().polled, message="a poll of DMs")
        self.runtime.jobs.kick()

    # --- Slack side -------------------------------------------------------------------
    def parents(self) -> list[dict]:
        return self.slack.messages(CHANNEL)

    def parent_for(self, post_id: str, timeout: float = 10.0) -> dict:
        return wait_until(lambda: next((m for m in self.parents()
                                        if f"/status/{post_id}" in str(m.get("blocks"))), None),
                          timeout=timeout, message=f"parent message for post {post_id}")

    def fresh_parent(self, ts: str) -> dict:
        return self.slack.message(CHANNEL, ts)

    def thread_texts(self, ts: str) -> list[str]:
        return [m.get("text", "") for m in self.slack.thread(CHANNEL, ts)]

    def button(self, parent: dict, action: ActionId) -> dict:
        for block in self.fresh_parent(parent["ts"]).get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("action_id") == action.value:
                    return element
        raise AssertionError(f"no {action.value} button on the parent message")

    def has_button(self, parent: dict, action: ActionId) -> bool:
        try:
            self.button(parent, action)
            return True
        except AssertionError:
            return False

    def click(self, parent: dict, action: ActionId, *, user: str, option: str | None = None,
              trigger_id: str | None = None):
        element = self.button(parent, action)
        if option is not None:
            value = next(o["value"] for o in element["options"]
                         if o["value"].endswith(":" + option)
                         or o["value"].startswith(option + ":"))
            return self.requests.click(user_id=user, action_id=action.value, value=value,
                                       channel_id=CHANNEL, message_ts=parent["ts"],
                                       selected_option=True, trigger_id=trigger_id)
        return self.requests.click(user_id=user, action_id=action.value,
                                   value=element["value"], channel_id=CHANNEL,
                                   message_ts=parent["ts"], trigger_id=trigger_id)

    def wait_state(self, parent: dict, label: str, timeout: float = 10.0) -> dict:
        return wait_until(lambda: (lambda m: m if label in str(m.get("blocks")) else None)(
            self.fresh_parent(parent["ts"])), timeout=timeout,
            message=f"parent to show {label!r}")

    def ephemerals_for(self, user: str) -> list[str]:
        return [e.get("text", "") for e in self.slack.ephemerals(user=user)]

    def open_modal(self, parent: dict, action: ActionId, *, user: str,
                   callback_id: ViewId) -> dict:
        before = len(self.slack.views())
        self.click(parent, action, user=user)
        views = wait_until(lambda: [v for v in self.slack.views()[before:]
                                    if v["view"].get("callback_id") == callback_id.value],
                           message=f"{callback_id.value} modal")
        return views[-1]["view"]

    def draft(self, parent: dict, text: str, *, user: str, channel: str | None = None):
        """Open the draft modal and submit ``text`` (``channel``: "public" or "dm")."""
        view = self.open_modal(parent, ActionId.DRAFT, user=user, callback_id=ViewId.DRAFT)
        values = {BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: text}}
        if channel:
            values[BlockId.CHANNEL.value] = {InputId.CHANNEL.value: choice(channel)}
        return self.requests.submit_view(user_id=user, view=view, values=values)

    def move_to_dm(self, parent: dict, *, user: str, invite: str | None = None,
                   dm: str = ""):
        """Submit the Move to DM modal; ``invite`` None keeps the prefilled invitation."""
        view = self.open_modal(parent, ActionId.MOVE_TO_DM, user=user,
                               callback_id=ViewId.MOVE_TO_DM)
        prefilled = next((b["element"].get("initial_value", "") for b in view["blocks"]
                          if b.get("block_id") == BlockId.DRAFT_TEXT.value), "")
        values = {BlockId.DM_TEXT.value: {InputId.DM_TEXT.value: dm}}
        if any(b.get("block_id") == BlockId.DRAFT_TEXT.value for b in view["blocks"]):
            values[BlockId.DRAFT_TEXT.value] = {
                InputId.DRAFT_TEXT.value: prefilled if invite is None else invite}
        return view, self.requests.submit_view(user_id=user, view=view, values=values)

    def escalate(self, parent: dict, *, user: str, department: str, note: str):
        view = self.open_modal(parent, ActionId.ESCALATE, user=user,
                               callback_id=ViewId.ESCALATE)
        return self.requests.submit_view(user_id=user, view=view, values={
            BlockId.DEPARTMENT.value: {InputId.DEPARTMENT.value: choice(
                department, element="static_select")},
            BlockId.ESCALATION_NOTE.value: {InputId.ESCALATION_NOTE.value: note}})

    def approve(self, parent: dict, *, user: str) -> None:
        self.wait_state(parent, "Awaiting approval")
        self.click(parent, ActionId.APPROVE, user=user)

    def request_changes(self, parent: dict, reason: str, *, user: str):
        view = self.open_modal(parent, ActionId.REQUEST_CHANGES, user=user,
                               callback_id=ViewId.REQUEST_CHANGES)
        return self.requests.submit_view(user_id=user, view=view, values={
            BlockId.CHANGES_REASON.value: {InputId.CHANGES_REASON.value: reason}})
