"""Sending the bot what Slack sends it: clicks, modal submissions and slash commands,
signed the way Slack signs them (``v0`` HMAC-SHA256 of ``v0:{timestamp}:{body}``).

Used by the scenario tests and by the sandbox, so both exercise the real request path.

Example::

    slack = SignedSlackRequests(url="http://127.0.0.1:3000/slack/events",
                                signing_secret="secret", team_id="T0CARE")
    response = slack.click(user_id="U1", action_id="care.claim", value='{"c":1}',
                           channel_id="C1", message_ts="1.000100")
"""

from __future__ import annotations

import itertools
import json
import time
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

_counter = itertools.count(1)


class SignedSlackRequests:
    def __init__(self, *, url: str, signing_secret: str, team_id: str = "T0CARE",
                 app_id: str = "A0CARE", session: requests.Session | None = None) -> None:
        self.url = url
        self.signer = SignatureVerifier(signing_secret)
        self.team_id = team_id
        self.app_id = app_id
        self.session = session or requests.Session()

    def new_trigger_id(self) -> str:
        return f"{next(_counter)}.{int(time.time())}.trigger"

    def post_raw(self, body: str, *, timestamp: int | None = None,
                 signature: str | None = None,
                 content_type: str = "application/x-www-form-urlencoded") -> requests.Response:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or self.signer.generate_signature(timestamp=str(timestamp),
                                                                body=body)
        return self.session.post(self.url, data=body.encode(), timeout=10, headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature,
        })

    def _interactive(self, payload: dict) -> requests.Response:
        return self.post_raw(urlencode({"payload": json.dumps(payload)}))

    def click(self, *, user_id: str, action_id: str, value: str, channel_id: str,
              message_ts: str, block_id: str = "case_actions", trigger_id: str | None = None,
              selected_option: bool = False) -> requests.Response:
        """A button click (or, with ``selected_option``, a static-select choice)."""
        action = {"action_id": action_id, "block_id": block_id,
                  "action_ts": f"{time.time():.6f}"}
        if selected_option:
            action.update(type="static_select", selected_option={
                "value": value, "text": {"type": "plain_text", "text": value}})
        else:
            action.update(type="button", value=value,
                          text={"type": "plain_text", "text": action_id})
        return self._interactive({
            "type": "block_actions", "api_app_id": self.app_id,
            "team": {"id": self.team_id, "domain": "care-desk"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id,
                          "is_ephemeral": False},
            "trigger_id": trigger_id or self.new_trigger_id(),
            "channel": {"id": channel_id, "name": "care"},
            "message": {"type": "message", "ts": message_ts, "text": ""},
            "response_url": "https://hooks.slack.com/actions/T0CARE/1/unused",
            "actions": [action],
        })

    def options(self, *, user_id: str, view: dict, action_id: str, block_id: str,
                value: str) -> requests.Response:
        """A ``block_suggestion``: the user typed ``value`` into an external select."""
        return self._interactive({
            "type": "block_suggestion", "api_app_id": self.app_id,
            "team": {"id": self.team_id, "domain": "care-desk"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": {"type": "view", "view_id": view.get("id")},
            "action_id": action_id, "block_id": block_id, "value": value,
            "action_ts": f"{time.time():.6f}", "view": view})

    def choose_in_view(self, *, user_id: str, view: dict, action_id: str, block_id: str,
                       value: str, values: dict | None = None,
                       element: str = "external_select") -> requests.Response:
        """A ``block_actions`` from inside a modal: an option chosen in a select that
        dispatches (``values``: the state of the modal's other inputs)."""
        shown = dict(view)
        shown["state"] = {"values": values or {}}
        return self._interactive({
            "type": "block_actions", "api_app_id": self.app_id,
            "team": {"id": self.team_id, "domain": "care-desk"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": {"type": "view", "view_id": view.get("id")},
            "trigger_id": self.new_trigger_id(), "view": shown,
            "actions": [{"type": element, "action_id": action_id, "block_id": block_id,
                         "selected_option": {"value": value,
                                             "text": {"type": "plain_text", "text": value}},
                         "action_ts": f"{time.time():.6f}"}]})

    def home_click(self, *, user_id: str, view: dict, action_id: str,
                   value: str) -> requests.Response:
        """A button clicked on the app's Home tab (``view``: the published Home view)."""
        return self._interactive({
            "type": "block_actions", "api_app_id": self.app_id,
            "team": {"id": self.team_id, "domain": "care-desk"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": {"type": "view", "view_id": view.get("id")},
            "trigger_id": self.new_trigger_id(), "view": view,
            "actions": [{"type": "button", "action_id": action_id, "block_id": "home",
                         "value": value, "action_ts": f"{time.time():.6f}"}]})

    def submit_view(self, *, user_id: str, view: dict,
                    values: dict[str, dict[str, str | dict]]) -> requests.Response:
        """Submit ``view`` (as the bot opened it) with ``values[block][action]``.

        A string is what was typed into a plain-text input; for a radio button or a
        select, pass the element's value state, e.g. ``{"type": "radio_buttons",
        "selected_option": {"value": "dm"}}`` (see :func:`choice`).
        """
        state = {block: {action: value if isinstance(value, dict)
                         else {"type": "plain_text_input", "value": value}
                         for action, value in actions.items()}
                 for block, actions in values.items()}
        submitted = dict(view)
        submitted.update(state={"values": state}, team_id=self.team_id,
                         id=view.get("id") or f"V{next(_counter):08d}")
        return self._interactive({
            "type": "view_submission", "api_app_id": self.app_id,
            "team": {"id": self.team_id, "domain": "care-desk"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "trigger_id": self.new_trigger_id(), "view": submitted,
        })

    def event(self, *, event: dict, event_id: str,
              retry_num: int | None = None) -> requests.Response:
        """An Events API delivery (JSON); ``retry_num`` marks Slack's retry of it."""
        body = json.dumps({"token": "unused", "team_id": self.team_id, "api_app_id": self.app_id,
                           "event": event, "type": "event_callback", "event_id": event_id,
                           "event_time": int(time.time())})
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp":
                   str(timestamp), "X-Slack-Signature": self.signer.generate_signature(
                       timestamp=str(timestamp), body=body)}
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num),
                            "X-Slack-Retry-Reason": "http_timeout"})
        return self.session.post(self.url, data=body.encode(), headers=headers, timeout=10)

    def command(self, *, user_id: str, text: str, channel_id: str,
                command: str = "/care") -> requests.Response:
        return self.post_raw(urlencode({
            "token": "unused", "team_id": self.team_id, "team_domain": "care-desk",
            "channel_id": channel_id, "channel_name": "care", "user_id": user_id,
            "user_name": user_id.lower(), "command": command, "text": text,
            "api_app_id": self.app_id, "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/T0CARE/1/unused",
            "trigger_id": self.new_trigger_id(),
        }))


def choice(value: str, *, element: str = "radio_buttons") -> dict:
    """The state Slack sends for a chosen option of a radio group or a static select."""
    return {"type": element, "selected_option": {"value": value,
                                                 "text": {"type": "plain_text", "text": value}}}
