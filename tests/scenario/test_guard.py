"""Correctly signed requests that do not come from the desk's own workspace, places or people
are refused: nothing changes, the refusal is noted on the case and explained where possible."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from bot.render import handler_text
from bot.render.ids import ActionId, BlockId, InputId, ViewId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, Desk, wait_until

ELSEWHERE = "C0ELSEWHERE"


def signed_click(desk: Desk, parent: dict, action: ActionId, *, user: str | None,
                 channel: str = CHANNEL, team: str | None = None,
                 user_team: str | None = None, enterprise: str | None = None,
                 container: dict | None = None):
    """A block_actions request built and signed the way Slack builds and signs one."""
    element = desk.button(parent, action)
    team = team or desk.slack.team_id
    payload = {
        "type": "block_actions", "api_app_id": "A0CARE",
        "team": {"id": team, "domain": "somewhere"},
        "container": container or {"type": "message", "message_ts": parent["ts"],
                                   "channel_id": channel, "is_ephemeral": False},
        "trigger_id": desk.requests.new_trigger_id(),
        "channel": {"id": channel, "name": "some-channel"},
        "message": {"type": "message", "ts": parent["ts"], "text": ""},
        "actions": [{"action_id": action.value, "block_id": "case_actions", "type": "button",
                     "value": element["value"], "action_ts": f"{time.time():.6f}"}],
    }
    if container is not None:
        payload.pop("channel")
        payload.pop("message")
        payload["view"] = {"id": "V0HOME", "type": "home", "team_id": team}
    if user is not None:
        payload["user"] = {"id": user, "username": user.lower(), "team_id": user_team or team}
    if enterprise is not None:
        payload["enterprise"] = {"id": enterprise, "name": "Other Corp"}
    return desk.requests.post_raw(urlencode({"payload": json.dumps(payload)}))


def refusals(desk: Desk, case_id: int = 1) -> list[tuple[str, str | None]]:
    return [(e.actor, e.detail) for e in desk.runtime.store.events(case_id)
            if e.action == "request_refused"]


def awaiting_approval(desk: Desk) -> dict:
    parent = desk.parent_for(desk.mention("@acme my bag is lost"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.draft(parent, "So sorry! We are on it.", user=AGENT).status_code == 200
    desk.wait_state(parent, "Awaiting approval")
    return parent


@pytest.mark.parametrize(("where", "reason"), [
    ({"team": "T0OTHERTEAM"}, "other_workspace"),
    ({"enterprise": "E0OTHERORG"}, "other_enterprise"),
])
def test_an_approve_from_another_workspace_or_org_posts_nothing(desk, where, reason):
    parent = awaiting_approval(desk)
    assert signed_click(desk, parent, ActionId.APPROVE, user=LEAD, **where).status_code == 200
    wait_until(lambda: refusals(desk) == [(LEAD, reason)], message="the refusal on the case")
    assert desk.x.brand_posts() == []
    assert "Awaiting approval" in str(desk.fresh_parent(parent["ts"])["blocks"])
    desk.approve(parent, user=LEAD)  # the lead's own click still works
    desk.wait_state(parent, "Replied")
    assert len(desk.x.brand_posts()) == 1


def test_an_approve_clicked_in_another_channel_is_refused_and_explained(desk):
    desk.slack.add_channel(channel_id=ELSEWHERE, name="random")
    parent = awaiting_approval(desk)
    signed_click(desk, parent, ActionId.APPROVE, user=LEAD, channel=ELSEWHERE)
    wait_until(lambda: handler_text.OTHER_PLACE in desk.ephemerals_for(LEAD),
               message="the explanation")
    assert refusals(desk) == [(LEAD, "other_place")]
    assert desk.x.brand_posts() == []
    assert "Awaiting approval" in str(desk.fresh_parent(parent["ts"])["blocks"])


def test_a_claim_without_a_user_claims_nothing(desk):
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    signed_click(desk, parent, ActionId.CLAIM, user=None)
    wait_until(lambda: refusals(desk) == [("unknown", "no_user")], message="the refusal")
    assert "New" in str(desk.fresh_parent(parent["ts"])["blocks"])
    assert not any("nobody" in text for text in desk.thread_texts(parent["ts"]))
    desk.click(parent, ActionId.CLAIM, user=AGENT)  # the real agent is not locked out
    desk.wait_state(parent, "Claimed")


def test_a_click_on_the_home_tab_is_a_desk_place(desk):
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    signed_click(desk, parent, ActionId.CLAIM, user=AGENT,
                 container={"type": "view", "view_id": "V0HOME"})
    desk.wait_state(parent, "Claimed")
    assert refusals(desk) == []


def test_a_command_from_another_workspace_or_channel_is_refused(desk):
    desk.slack.add_channel(channel_id=ELSEWHERE, name="random")
    answer = desk.requests.command(user_id=AGENT, text="status", channel_id=ELSEWHERE).json()
    assert answer == {"response_type": "ephemeral", "text": handler_text.OTHER_PLACE}
    desk.requests.team_id = "T0OTHERTEAM"
    answer = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert answer["text"] == handler_text.OTHER_WORKSPACE
    desk.requests.team_id = desk.slack.team_id
    assert "open" in desk.requests.command(user_id=AGENT, text="status",
                                           channel_id=CHANNEL).json()["text"]


def test_a_modal_submission_from_another_workspace_changes_nothing(desk):
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=ViewId.DRAFT)
    desk.requests.team_id = "T0OTHERTEAM"
    response = desk.requests.submit_view(user_id=AGENT, view=view, values={
        BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: "A reply nobody here wrote"}})
    assert response.json()["response_action"] == "errors"
    assert handler_text.OTHER_WORKSPACE in str(response.json()["errors"])
    assert refusals(desk) == [(AGENT, "other_workspace")]
    assert "Claimed" in str(desk.fresh_parent(parent["ts"])["blocks"])


def test_a_user_from_another_organisation_cannot_claim(desk):
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    signed_click(desk, parent, ActionId.CLAIM, user="UPARTNER1", user_team="T0PARTNER")
    wait_until(lambda: handler_text.EXTERNAL_USER in desk.ephemerals_for("UPARTNER1"),
               message="the explanation")
    assert refusals(desk) == [("UPARTNER1", "external_user")]
    assert "New" in str(desk.fresh_parent(parent["ts"])["blocks"])


def test_a_user_from_another_organisation_can_claim_when_the_setting_allows(database_url):
    desk = Desk.start(database_url=database_url, CARE_ALLOW_EXTERNAL_USERS="true")
    try:
        parent = desk.parent_for(desk.mention("@acme where is my refund?"))
        signed_click(desk, parent, ActionId.CLAIM, user="UPARTNER1", user_team="T0PARTNER")
        desk.wait_state(parent, "Claimed")
        assert "<@UPARTNER1>" in str(desk.fresh_parent(parent["ts"])["blocks"])
        assert refusals(desk) == []
    finally:
        desk.stop()
