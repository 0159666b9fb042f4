"""The Home tab over HTTP: app_home_opened publishes an agent's or a lead's view."""

from __future__ import annotations

import itertools

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, LEAD, wait_until

EVENT_IDS = itertools.count(1)


def open_home(desk, user: str) -> None:
    event = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home",
             "event_ts": "1.0"}
    response = desk.requests.event(event=event, event_id=f"EvHOME{next(EVENT_IDS)}")
    assert response.status_code == 200


def home_text(desk, user: str) -> str:
    view = desk.slack.home_view(user)
    assert view is not None and view["type"] == "home" and len(view["blocks"]) <= 100
    return str(view["blocks"])


def test_an_agent_sees_their_open_cases_with_links_and_the_queue(desk):
    mine = desk.mention("@acme my bag never arrived", username="jane_doe")
    desk.mention("@acme where is my refund", username="bob_b")
    parent = desk.parent_for(mine)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")

    open_home(desk, AGENT)
    wait_until(lambda: desk.slack.home_view(AGENT), message="the agent's Home tab")
    text = home_text(desk, AGENT)
    assert "Your open cases (1)" in text and "@jane_doe" in text and "@bob_b" not in text
    assert f"/archives/{parent['channel']}/p{parent['ts'].replace('.', '')}" in text
    assert "*2* open · *1* unclaimed" in text
    assert "Agents' load" not in text


def test_a_lead_sees_the_queue_health_todays_figures_and_agents_load(desk):
    parent = desk.parent_for(desk.mention("@acme how do I change my seat?", username="jane_doe"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    desk.draft(parent, "Done, Jane.", user=AGENT)
    desk.wait_state(parent, "Awaiting approval")

    open_home(desk, LEAD)
    wait_until(lambda: desk.slack.home_view(LEAD), message="the lead's Home tab")
    text = home_text(desk, LEAD)
    assert "*1* open · *0* unclaimed · *1* awaiting approval" in text
    assert "overdue" in text and "at risk" in text
    assert "No first responses yet today." in text
    assert f"<@{AGENT}>: 1 open" in text
    assert "Your open cases" not in text

    desk.click(parent, ActionId.APPROVE, user=LEAD)
    desk.wait_state(parent, "Replied")
    assert desk.runtime.jobs.jobs["refresh_home"].work() == 1
    assert "*1* first responses" in home_text(desk, LEAD)
    assert desk.runtime.jobs.jobs["refresh_home"].work() == 0  # nothing changed since
