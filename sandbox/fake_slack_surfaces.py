"""What the fake Slack sends the app when a person uses a modal or the Home tab: the
options request of an external select (``block_suggestion``), an action inside a view
(``block_actions`` with a ``view`` container) and opening the Home tab (the
``app_home_opened`` event). Each request is signed and shaped the way Slack sends it, to
the app's request URL (which the manifest also names as the options load URL).

Slack knows the view a person acts on, so every call names a view the app opened or
published for that user, and a block and action id that are in it; the values the person
typed ride along as the view's ``state``, as Slack sends them.

Example::

    surfaces = SlackSurfaces(slack=fake_slack, requests=signed_requests)
    answer = surfaces.suggest(user_id="UAGENT1", view_id="V00000012", block_id="saved_reply",
                              action_id="care.saved_reply", value="bag", values={})
    option = answer["options"][0]
    surfaces.act(user_id="UAGENT1", view_id="V00000012", block_id="saved_reply",
                 action_id="care.saved_reply", selected_option=option, values={})
    surfaces.open_home(user_id="ULEAD1")
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from sandbox.fake_slack import FakeSlack
from sandbox.slack_requests import SignedSlackRequests

Body = dict[str, Any]
# Slack waits 3 s for the options of an external select; a slower app shows no options.
OPTIONS_TIMEOUT = 3.0
DEFAULT_MIN_QUERY_LENGTH = 3  # Slack's default for external_select
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
SELECTS = ("external_select", "static_select")
_event_ids = itertools.count(1)


class SurfaceError(ValueError):
    """A request Slack would not send (no such view, block or action); the message says why."""


def find_element(view: Body, *, block_id: str, action_id: str) -> tuple[Body, Body]:
    """The block ``block_id`` of ``view`` and its element ``action_id`` (input, accessory or
    one of an actions/context block's elements)."""
    for block in view.get("blocks") or []:
        if not isinstance(block, dict) or block.get("block_id") != block_id:
            continue
        elements = [block.get("element"), block.get("accessory"), *(block.get("elements") or [])]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise SurfaceError("that control is not in the view")


def view_state(view: Body, values: dict[str, dict[str, Any]]) -> Body:
    """The ``state`` Slack sends with a view: every input block's element, with what was
    typed or chosen in it (``values[block][action]``: text, or ``{"selected_option"}``)."""
    state: dict[str, Body] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        kind, action_id = element.get("type"), element.get("action_id", "")
        given = (values.get(block.get("block_id", "")) or {}).get(action_id)
        if kind == "plain_text_input":
            entry: Body = {"type": kind, "value": given if isinstance(given, str) else None}
        else:
            chosen = given.get("selected_option") if isinstance(given, dict) else None
            entry = {"type": kind, "selected_option": chosen}
        state.setdefault(block.get("block_id", ""), {})[action_id] = entry
    return {"values": state}


def _option_problem(option: Any) -> str | None:
    if not isinstance(option, dict):
        return "an option must be an object"
    text = option.get("text")
    if not (isinstance(text, dict) and text.get("type") == "plain_text"
            and isinstance(text.get("text"), str)):
        return "an option's text must be plain_text"
    if len(text["text"]) > MAX_OPTION_TEXT:
        return f"an option's text is over {MAX_OPTION_TEXT} characters"
    value = option.get("value")
    if not isinstance(value, str) or len(value) > MAX_OPTION_VALUE:
        return f"an option's value must be a string of at most {MAX_OPTION_VALUE} characters"
    return None


def read_options(answer: Any) -> Body:
    """The options an app answered with, checked as Slack checks them:
    ``{"options": [...]}`` or ``{"option_groups": [{"label", "options"}]}``, at most 100."""
    if not isinstance(answer, dict):
        raise SurfaceError("the app's answer is not a JSON object")
    if "option_groups" in answer:
        groups = answer["option_groups"]
        if not isinstance(groups, list) or len(groups) > MAX_OPTIONS:
            raise SurfaceError(f"option_groups must be a list of at most {MAX_OPTIONS}")
        for group in groups:
            label = group.get("label") if isinstance(group, dict) else None
            if not isinstance(label, dict) or not isinstance(label.get("text"), str):
                raise SurfaceError("an option group needs a plain_text label")
            options = group.get("options")
            if not isinstance(options, list) or len(options) > MAX_OPTIONS:
                raise SurfaceError(f"a group's options must be a list of at most {MAX_OPTIONS}")
            problem = next(filter(None, map(_option_problem, options)), None)
            if problem:
                raise SurfaceError(problem)
        return {"option_groups": groups}
    options = answer.get("options")
    if not isinstance(options, list) or len(options) > MAX_OPTIONS:
        raise SurfaceError(f"options must be a list of at most {MAX_OPTIONS}")
    problem = next(filter(None, map(_option_problem, options)), None)
    if problem:
        raise SurfaceError(problem)
    return {"options": options}


class SlackSurfaces:
    """Sends the app what Slack sends for modals and the Home tab (see the module doc)."""

    def __init__(self, *, slack: FakeSlack, requests: SignedSlackRequests) -> None:
        self.slack, self.requests = slack, requests

    # --- the views a user has -------------------------------------------------------------
    def view_of(self, *, user_id: str, view_id: str) -> Body:
        """The view ``view_id`` as it stands: a modal opened for ``user_id`` or their Home."""
        home = self.slack.home_view(user_id)
        if home is not None and home["id"] == view_id:
            return home
        for record in self.slack.views():
            if record["id"] == view_id and record["user"] == user_id:
                return record["view"]
        raise SurfaceError("that view is not open")

    def _user(self, user_id: str) -> Body:
        return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(),
                "team_id": self.requests.team_id}

    def _common(self, kind: str, user_id: str, view: Body) -> Body:
        return {"type": kind, "token": "unused", "api_app_id": self.requests.app_id,
                "team": {"id": self.requests.team_id, "domain": "care-desk"},
                "enterprise": None, "is_enterprise_install": False,
                "user": self._user(user_id),
                "container": {"type": "view", "view_id": view["id"]}}

    def _send(self, payload: Body, *, timeout: float):
        body = urlencode({"payload": json.dumps(payload)})
        stamp = str(int(time.time()))
        return self.requests.session.post(self.requests.url, data=body.encode(), timeout=timeout,
                                          headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.requests.signer.generate_signature(timestamp=stamp,
                                                                         body=body)})

    # --- what a person does ---------------------------------------------------------------
    def suggest(self, *, user_id: str, view_id: str, block_id: str, action_id: str,
                value: str, values: dict[str, dict[str, Any]]) -> Body:
        """Typing ``value`` into an external select: the options the app answers with.

        Shorter than the element's ``min_query_length`` (3 unless it says), Slack asks
        nothing: ``{"options": [], "min_query_length": n}``."""
        view = copy.deepcopy(self.view_of(user_id=user_id, view_id=view_id))
        _, element = find_element(view, block_id=block_id, action_id=action_id)
        if element.get("type") != "external_select":
            raise SurfaceError("only an external select asks the app for options")
        least = element.get("min_query_length", DEFAULT_MIN_QUERY_LENGTH)
        if len(value) < least:
            return {"options": [], "min_query_length": least}
        view["state"] = view_state(view, values)
        payload = {**self._common("block_suggestion", user_id, view), "view": view,
                   "action_id": action_id, "block_id": block_id, "value": value,
                   "action_ts": f"{time.time():.6f}"}
        try:
            response = self._send(payload, timeout=OPTIONS_TIMEOUT)
        except OSError as exc:  # requests' timeouts and connection errors
            raise SurfaceError(f"the app did not answer in time ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise SurfaceError(f"the app answered HTTP {response.status_code}")
        try:
            return read_options(response.json())
        except ValueError as exc:
            raise SurfaceError(str(exc) or "the app's answer is not JSON") from exc

    def act(self, *, user_id: str, view_id: str, block_id: str, action_id: str,
            values: dict[str, dict[str, Any]], selected_option: Body | None = None) -> int | None:
        """A button clicked or an option chosen inside a modal or the Home tab: the
        ``block_actions`` Slack sends; returns the app's HTTP status, or None when Slack
        sends nothing (a choice in an input block that does not dispatch)."""
        view = copy.deepcopy(self.view_of(user_id=user_id, view_id=view_id))
        block, element = find_element(view, block_id=block_id, action_id=action_id)
        kind = element.get("type")
        action: Body = {"type": kind, "action_id": action_id, "block_id": block_id,
                        "action_ts": f"{time.time():.6f}"}
        if kind == "button":
            action.update(text=element.get("text"), value=element.get("value", ""))
            if element.get("style"):
                action["style"] = element["style"]
        elif kind in SELECTS:
            if not isinstance(selected_option, dict) or _option_problem(selected_option):
                raise SurfaceError("choose one of the options")
            if kind == "static_select" and not any(
                    o.get("value") == selected_option["value"]
                    for o in element.get("options") or [o for g in element.get("option_groups")
                                                         or [] for o in g.get("options", [])]):
                raise SurfaceError("that option is not in the menu")
            action["selected_option"] = selected_option
            if element.get("placeholder"):
                action["placeholder"] = element["placeholder"]
        else:
            raise SurfaceError(f"a {kind} cannot be used in the sandbox")
        if block.get("type") == "input" and not block.get("dispatch_action"):
            return None
        view["state"] = view_state(view, values)
        payload = {**self._common("block_actions", user_id, view),
                   "trigger_id": self.slack.issue_trigger(user_id=user_id),
                   "view": view, "actions": [action]}
        return self._send(payload, timeout=10).status_code

    def open_home(self, *, user_id: str) -> int:
        """The user opens the app's Home tab: Slack's ``app_home_opened`` event (with the
        view last published for them, if any); returns the app's HTTP status."""
        event: Body = {"type": "app_home_opened", "user": user_id,
                       # the fake Slack's id of the user's DM with the app
                       "channel": "D" + user_id[1:], "tab": "home",
                       "event_ts": f"{time.time():.6f}"}
        home = self.slack.home_view(user_id)
        if home is not None:
            event["view"] = home
        response = self.requests.event(event=event,
                                       event_id=f"EvHOME{next(_event_ids):06d}{user_id}")
        return response.status_code
