"""The fake Slack's requests for modals and the Home tab: signed and shaped as Slack sends
them, only for controls in the user's view, and the app's options checked as Slack checks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from sandbox.fake_slack import FakeSlack
from sandbox.fake_slack_surfaces import SlackSurfaces, SurfaceError, read_options, view_state
from sandbox.slack_requests import SignedSlackRequests

SECRET = "unit-secret"
DRAFT = {"type": "modal", "callback_id": "draft", "private_metadata": "{\"c\":7}",
         "title": {"type": "plain_text", "text": "Draft reply"},
         "blocks": [
             {"type": "input", "block_id": "draft_text", "label": {"type": "plain_text",
                                                                   "text": "Reply"},
              "element": {"type": "plain_text_input", "action_id": "text"}},
             {"type": "input", "block_id": "channel", "label": {"type": "plain_text",
                                                                "text": "Send as"},
              "element": {"type": "static_select", "action_id": "ch", "options": [
                  {"text": {"type": "plain_text", "text": "Public"}, "value": "public"},
                  {"text": {"type": "plain_text", "text": "DM"}, "value": "dm"}]}},
             {"type": "input", "block_id": "saved_reply", "dispatch_action": True,
              "optional": True, "label": {"type": "plain_text", "text": "Saved reply"},
              "element": {"type": "external_select", "action_id": "pick",
                          "min_query_length": 2}}]}


def option(text: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


class _App(BaseHTTPRequestHandler):
    """An app's request URL: records what it gets, answers with ``answer``."""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.got.append((dict(self.headers), body))
        data = json.dumps(self.server.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def world():
    app = ThreadingHTTPServer(("127.0.0.1", 0), _App)
    app.got, app.answer = [], {"options": [option("Delayed bag", "7:1")]}
    threading.Thread(target=app.serve_forever, args=(0.05,), daemon=True).start()
    with FakeSlack() as slack:
        slack.add_user(user_id="UAGENT1", name="alex")
        client = WebClient(token=slack.bot_token, base_url=slack.url)
        view = client.views_open(trigger_id=slack.issue_trigger(user_id="UAGENT1"),
                                 view=DRAFT)["view"]
        requests = SignedSlackRequests(url=f"http://127.0.0.1:{app.server_port}/slack/events",
                                       signing_secret=SECRET)
        yield SlackSurfaces(slack=slack, requests=requests), view, app, client
    app.shutdown()
    app.server_close()


def _received(app) -> dict:
    headers, body = app.got[-1]
    assert SignatureVerifier(SECRET).is_valid(
        body=body, timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"])
    return json.loads(parse_qs(body)["payload"][0])


def test_typing_sends_a_signed_block_suggestion_with_the_view_and_its_state(world) -> None:
    surfaces, view, app, _ = world
    answer = surfaces.suggest(user_id="UAGENT1", view_id=view["id"], block_id="saved_reply",
                              action_id="pick", value="bag",
                              values={"draft_text": {"text": "typed so far"}})
    assert answer == {"options": [option("Delayed bag", "7:1")]}
    payload = _received(app)
    assert payload["type"] == "block_suggestion" and payload["value"] == "bag"
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    assert (payload["action_id"], payload["block_id"]) == ("pick", "saved_reply")
    assert payload["view"]["private_metadata"] == "{\"c\":7}"
    assert payload["view"]["state"]["values"] == {
        "draft_text": {"text": {"type": "plain_text_input", "value": "typed so far"}},
        "channel": {"ch": {"type": "static_select", "selected_option": None}},
        "saved_reply": {"pick": {"type": "external_select", "selected_option": None}}}


def test_a_query_shorter_than_min_query_length_asks_the_app_nothing(world) -> None:
    surfaces, view, app, _ = world
    answer = surfaces.suggest(user_id="UAGENT1", view_id=view["id"], block_id="saved_reply",
                              action_id="pick", value="b", values={})
    assert answer == {"options": [], "min_query_length": 2} and app.got == []


def test_choosing_an_option_sends_block_actions_with_a_live_trigger(world) -> None:
    surfaces, view, app, client = world
    status = surfaces.act(user_id="UAGENT1", view_id=view["id"], block_id="saved_reply",
                          action_id="pick", selected_option=option("Delayed bag", "7:1"),
                          values={})
    assert status == 200
    payload = _received(app)
    assert payload["type"] == "block_actions" and payload["view"]["id"] == view["id"]
    [action] = payload["actions"]
    assert action["type"] == "external_select"
    assert action["selected_option"] == option("Delayed bag", "7:1")
    # the trigger is one the fake Slack issued for this user: a modal can be pushed with it
    pushed = client.views_push(trigger_id=payload["trigger_id"], view=DRAFT)
    assert pushed["ok"] and surfaces.view_of(user_id="UAGENT1", view_id=pushed["view"]["id"])


def test_only_controls_of_the_users_own_views_are_sent(world) -> None:
    surfaces, view, app, _ = world
    with pytest.raises(SurfaceError, match="not open"):
        surfaces.suggest(user_id="UAGENT2", view_id=view["id"], block_id="saved_reply",
                         action_id="pick", value="bag", values={})
    with pytest.raises(SurfaceError, match="not in the view"):
        surfaces.act(user_id="UAGENT1", view_id=view["id"], block_id="saved_reply",
                     action_id="care.approve", values={})
    with pytest.raises(SurfaceError, match="not in the menu"):
        surfaces.act(user_id="UAGENT1", view_id=view["id"], block_id="channel",
                     action_id="ch", selected_option=option("Fax", "fax"), values={})
    # a choice in an input block that does not dispatch: Slack sends nothing
    assert surfaces.act(user_id="UAGENT1", view_id=view["id"], block_id="channel",
                        action_id="ch", selected_option=option("DM", "dm"), values={}) is None
    assert app.got == []


def test_opening_the_home_tab_sends_app_home_opened_with_the_published_view(world) -> None:
    surfaces, _, app, client = world
    assert surfaces.open_home(user_id="UAGENT1") == 200
    event = json.loads(app.got[-1][1])["event"]
    assert event["type"] == "app_home_opened" and event["tab"] == "home"
    assert event["user"] == "UAGENT1" and "view" not in event
    client.views_publish(user_id="UAGENT1", view={"type": "home", "blocks": [
        {"type": "actions", "block_id": "nav", "elements": [
            {"type": "button", "action_id": "next", "value": "2",
             "text": {"type": "plain_text", "text": "Next"}}]}]})
    surfaces.open_home(user_id="UAGENT1")
    home = json.loads(app.got[-1][1])["event"]["view"]
    assert home["type"] == "home"
    assert surfaces.act(user_id="UAGENT1", view_id=home["id"], block_id="nav",
                        action_id="next", values={}) == 200
    [action] = _received(app)["actions"]
    assert (action["type"], action["value"]) == ("button", "2")  # the view's value, not ours


def test_the_apps_options_are_checked_as_slack_checks_them() -> None:
    groups = {"option_groups": [{"label": {"type": "plain_text", "text": "Bags"},
                                 "options": [option("Delayed bag", "1")]}]}
    assert read_options(groups) == groups
    for bad, why in (
            ({"options": [option("x" * 76, "1")]}, "over 75"),
            ({"options": [option("a", "v" * 151)]}, "value"),
            ({"options": [option(str(n), str(n)) for n in range(101)]}, "at most 100"),
            ({"option_groups": [{"options": []}]}, "label"),
            ({"options": [{"text": {"type": "mrkdwn", "text": "*a*"}, "value": "1"}]},
             "plain_text"),
            ([], "JSON object")):
        with pytest.raises(SurfaceError, match=why):
            read_options(bad)


def test_view_state_lists_every_input_empty_or_filled() -> None:
    state = view_state(DRAFT, {"saved_reply": {"pick": {"selected_option": option("A", "1")}}})
    assert state == {"values": {
        "draft_text": {"text": {"type": "plain_text_input", "value": None}},
        "channel": {"ch": {"type": "static_select", "selected_option": None}},
        "saved_reply": {"pick": {"type": "external_select",
                                 "selected_option": option("A", "1")}}}}
