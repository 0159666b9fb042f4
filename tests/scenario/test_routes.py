"""The triage chart end to end: cases open in their route's channel, route leads approve
their route's cases only, route hours set deadlines, unreachable channels fall back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.render.ids import ActionId, BlockId, InputId, ViewId
from sandbox.fake_slack import FakeSlack
from sandbox.slack_requests import choice
from sandbox.stack import HOST
from tests.scenario.harness import (
    AGENT,
    AGENT2,
    CHANNEL,
    LEAD,
    SECRETS,
    Desk,
    FakeClock,
    wait_until,
)

BAGS, SPANISH, URGENT, ASK, SECRET = "C0BAGS", "C0ES", "C0URGENT", "C0ASK", "G0SECRET"
BAG_LEAD = "UBAGLEAD"
CHART = f"""\
routes:
  - name: baggage
    channel: {BAGS}
    leads: [{BAG_LEAD}]
    match:
      keywords: [bag, baggage, luggage]
      kinds: [question, complaint]
    sla_minutes: 30
    office_hours: "mon-fri 09:00-17:00"
    timezone: Europe/Madrid
  - name: spanish
    channel: {SPANISH}
    match: {{languages: [es]}}
  - name: urgent
    channel: {URGENT}
    match: {{priority: high}}
  - name: questions
    channel: {ASK}
    match: {{kinds: [question]}}
  - name: vault
    channel: {SECRET}
    agents: [{AGENT2}]
    match: {{keywords: [vault]}}
"""
SOCKET = "@acme the power socket at my seat does not work"
SATURDAY = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return FakeClock(SATURDAY)


@pytest.fixture
def routed(database_url, tmp_path, clock):
    path = tmp_path / "routes.yml"
    path.write_text(CHART)
    slack = FakeSlack(bot_token=SECRETS["SLACK_BOT_TOKEN"], host=HOST).start()
    slack.add_channel(channel_id=BAGS, name="baggage", is_member=False)  # public: joined
    slack.add_channel(channel_id=SECRET, name="vault", is_private=True, is_member=False)
    desk = Desk.start(database_url=database_url, slack=slack, clock=clock,
                      CARE_ROUTES_FILE=str(path),
                      channels=((SPANISH, "es"), (URGENT, "urgent"), (ASK, "ask")))
    yield desk
    desk.stop()


def parent_in(desk: Desk, channel: str, post_id: str) -> dict:
    return wait_until(lambda: next((m for m in desk.slack.messages(channel)
                                    if f"/status/{post_id}" in str(m.get("blocks"))), None),
                      message=f"parent of {post_id} in {channel}")


def case_of(desk: Desk, post_id: str):
    return next(c for c in (desk.runtime.store.get(i) for i in range(1, 30))
                if c is not None and c.source_post_id == post_id)


def click(desk: Desk, channel: str, parent: dict, action: ActionId, *, user: str):
    fresh = desk.slack.message(channel, parent["ts"])
    element = next(e for b in fresh["blocks"] for e in b.get("elements") or []
                   if e.get("action_id") == action.value)
    return desk.requests.click(user_id=user, action_id=action.value, value=element["value"],
                               channel_id=channel, message_ts=parent["ts"])


def shows(desk: Desk, channel: str, parent: dict, label: str) -> dict:
    return wait_until(lambda: (lambda m: m if label in str(m["blocks"]) else None)(
        desk.slack.message(channel, parent["ts"])), message=f"parent to show {label!r}")


def awaiting_approval(desk: Desk, channel: str, text: str) -> dict:
    post = desk.x.post_as_customer(username="jane_doe", text=text)
    desk.poll()
    parent = parent_in(desk, channel, post)
    click(desk, channel, parent, ActionId.CLAIM, user=AGENT)
    shows(desk, channel, parent, "Claimed")
    before = len(desk.slack.views())
    click(desk, channel, parent, ActionId.DRAFT, user=AGENT)
    view = wait_until(lambda: [v["view"] for v in desk.slack.views()[before:]
                               if v["view"].get("callback_id") == ViewId.DRAFT.value],
                      message="the draft modal")[-1]
    desk.requests.submit_view(user_id=AGENT, view=view, values={
        BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: "So sorry, we are on it."}})
    return shows(desk, channel, parent, "Awaiting approval")


def test_posts_open_in_the_first_route_that_takes_them(routed):
    desk = routed
    posts = {
        "bag": desk.x.post_as_customer(username="a1", text="@acme my bag never arrived"),
        "es": desk.x.post_as_customer(username="a2", text="@acme ¿Dónde está mi vuelo? "
                                                          "Nadie me ayuda en el aeropuerto",
                                          lang="es"),
        "high": desk.x.post_as_customer(username="a3", text="@acme flight cancelled, I want "
                                                            "a refund now"),
        "ask": desk.x.post_as_customer(username="a4", text="@acme how do I change my seat?"),
        "rest": desk.x.post_as_customer(username="a5", text=SOCKET),
        "praise": desk.x.post_as_customer(username="a6", text="@acme my bag arrived first, "
                                                              "thank you so much, love it!"),
    }
    desk.poll()
    where = {"bag": (BAGS, "baggage"), "es": (SPANISH, "spanish"), "high": (URGENT, "urgent"),
             "ask": (ASK, "questions"), "rest": (CHANNEL, None)}
    for key, (channel, route) in where.items():
        parent = parent_in(desk, channel, posts[key])
        case = case_of(desk, posts[key])
        assert (case.slack_channel, case.route) == (channel, route), key
        if route:
            assert f"Route *{route}*" in str(parent["blocks"])
    assert all(f"/status/{posts['bag']}" not in str(m["blocks"])
               for m in desk.slack.messages(CHANNEL))
    # praise is not a kind the baggage route takes (and praise opens no case by default)
    assert not any(f"/status/{posts['praise']}" in str(m["blocks"])
                   for m in desk.slack.messages(BAGS))


def test_the_bot_joins_public_route_channels_and_reports_private_ones(routed):
    desk = routed
    joins = [c["args"].get("channel") for c in desk.slack.calls_to("conversations.join")]
    assert BAGS in joins and SECRET in joins
    warning = wait_until(lambda: [m for m in desk.slack.messages(CHANNEL)
                                  if "Route *vault*" in m.get("text", "")],
                         message="the start-up warning")[0]
    assert f"<#{SECRET}>" in warning["text"]
    post = desk.x.post_as_customer(username="v1", text="@acme my vault card was charged twice")
    desk.poll()
    parent = parent_in(desk, CHANNEL, post)
    assert "Route *vault*" in str(parent["blocks"])
    assert case_of(desk, post).route == "vault"


def test_a_route_lead_approves_in_their_route_and_is_refused_in_another(routed):
    desk = routed
    elsewhere = awaiting_approval(desk, ASK, "@acme how do I change my seat online?")
    click(desk, ASK, elsewhere, ActionId.APPROVE, user=BAG_LEAD)
    wait_until(lambda: any("lead" in t.lower() for t in
                           (e.get("text", "") for e in desk.slack.ephemerals(user=BAG_LEAD))),
               message="the refusal")
    assert "Awaiting approval" in str(desk.slack.message(ASK, elsewhere["ts"])["blocks"])
    bags = awaiting_approval(desk, BAGS, "@acme where is my luggage? it has been a day")
    click(desk, BAGS, bags, ActionId.APPROVE, user=BAG_LEAD)
    wait_until(lambda: approved_by(desk, 2) == [BAG_LEAD], message="the route lead's approval")
    assert approved_by(desk, 1) == []
    # the desk's leads approve everywhere
    click(desk, ASK, elsewhere, ActionId.APPROVE, user=LEAD)
    wait_until(lambda: approved_by(desk, 1) == [LEAD], message="the desk lead's approval")


def approved_by(desk: Desk, case_id: int) -> list[str]:
    return [e.actor for e in desk.runtime.store.events(case_id) if e.action == "approve"]


def test_deadlines_follow_each_routes_target_and_hours(routed):
    desk = routed
    bag = desk.x.post_as_customer(username="d1", text="@acme my bag is missing")
    other = desk.x.post_as_customer(username="d2", text=SOCKET)
    desk.poll()
    parent_in(desk, BAGS, bag)
    parent_in(desk, CHANNEL, other)
    # baggage: 30 minutes of Madrid's Mon-Fri 09:00-17:00; Monday 09:00 CET is 08:00 UTC
    assert case_of(desk, bag).sla_due_at.astimezone(UTC) == datetime(2026, 12, 7, 8, 30,
                                                                      tzinfo=UTC)
    # the care channel: the desk's hours (always open) and target (60 minutes)
    assert case_of(desk, other).sla_due_at.astimezone(UTC) == datetime(2026, 12, 5, 11, 0,
                                                                       tzinfo=UTC)


def route_to(desk: Desk, channel: str, parent: dict, to: str, *, user: str):
    before = len(desk.slack.views())
    click(desk, channel, parent, ActionId.ROUTE_TO, user=user)
    view = wait_until(lambda: [v["view"] for v in desk.slack.views()[before:]
                               if v["view"].get("callback_id") == ViewId.ROUTE_TO.value],
                      message="the Route to… modal")[-1]
    return view, desk.requests.submit_view(user_id=user, view=view, values={
        BlockId.ROUTE.value: {InputId.ROUTE.value: choice(to, element="static_select")}})


def test_route_to_moves_the_case_with_its_history_and_its_follow_ups(routed):
    desk = routed
    post = desk.x.post_as_customer(username="jane_doe", text="@acme my bag is missing")
    desk.poll()
    old = parent_in(desk, BAGS, post)
    assert case_of(desk, post).sla_due_at.astimezone(UTC) == datetime(2026, 12, 7, 8, 30,
                                                                      tzinfo=UTC)
    click(desk, BAGS, old, ActionId.CLAIM, user=AGENT)
    shows(desk, BAGS, old, "Claimed")
    view, response = route_to(desk, BAGS, old, "questions", user=AGENT)
    options = [o["value"] for b in view["blocks"] if b.get("block_id") == BlockId.ROUTE.value
               for o in b["element"]["options"]]
    assert "baggage" not in options and {"questions", "spanish", "-"} <= set(options)
    assert response.status_code == 200 and not response.text
    new = parent_in(desk, ASK, post)
    case = case_of(desk, post)
    assert (case.route, case.slack_channel, case.assignee_id) == ("questions", ASK, AGENT)
    assert "Claimed" in str(desk.slack.message(ASK, new["ts"])["blocks"])
    # the deadline now follows the questions route: the desk's hours, 60 minutes from start
    assert case.sla_due_at.astimezone(UTC) == datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    history = wait_until(lambda: desk.slack.thread(ASK, new["ts"]), message="the history")
    assert f"Routed here from <#{BAGS}>" in history[0]["text"]
    assert "claim" in history[0]["text"]
    marked = wait_until(lambda: (lambda m: m if "Moved to" in m.get("text", "") else None)(
        desk.slack.message(BAGS, old["ts"])), message="the old parent marked")
    assert f"<#{ASK}>" in marked["text"] and f"<@{AGENT}>" in marked["text"]
    assert f"archives/{ASK}/p{new['ts'].replace('.', '')}" in marked["text"]
    assert not any(e.get("action_id") for b in marked["blocks"] for e in b.get("elements") or []
                   if e.get("type") == "button")
    assert [e.detail for e in desk.runtime.store.events(case.id) if e.action == "route"] == \
        ["baggage -> questions"]
    # the customer answers: the follow-up lands in the new thread
    desk.x.post_as_customer(username="jane_doe", text="@acme it was a blue suitcase",
                            in_reply_to_post_id=post)
    desk.poll()
    wait_until(lambda: any("blue suitcase" in m.get("text", "")
                           for m in desk.slack.thread(ASK, new["ts"])),
               message="the follow-up in the new thread")
    assert not any("blue suitcase" in m.get("text", "")
                   for m in desk.slack.thread(BAGS, old["ts"]))


def test_only_leads_and_the_assignee_may_route_and_agents_lists_drop_the_claim(routed):
    desk = routed
    post = desk.x.post_as_customer(username="kim", text="@acme how do I change my seat?")
    desk.poll()
    parent = parent_in(desk, ASK, post)
    click(desk, ASK, parent, ActionId.CLAIM, user=AGENT)
    shows(desk, ASK, parent, "Claimed")
    click(desk, ASK, parent, ActionId.ROUTE_TO, user=AGENT2)
    wait_until(lambda: any("Only a lead" in t.get("text", "")
                           for t in desk.slack.ephemerals(user=AGENT2)),
               message="the refusal")
    assert case_of(desk, post).route == "questions"
    _, response = route_to(desk, ASK, parent, "vault", user=LEAD)
    assert response.status_code == 200 and not response.text
    # vault's channel is private and not joined: the case waits in the care channel
    parent_in(desk, CHANNEL, post)
    case = case_of(desk, post)
    assert (case.slack_channel, case.route) == (CHANNEL, "vault")
    # vault lists its agents and the assignee is not among them: the claim is released
    assert case.assignee_id is None and case.state.value == "new"


def care(desk: Desk, text: str, *, channel: str, user: str = AGENT) -> str:
    response = desk.requests.command(user_id=user, text=text, channel_id=channel)
    assert response.status_code == 200
    return response.json()["text"]


def test_care_answers_for_the_channel_it_is_typed_in_and_shows_the_chart(routed):
    desk = routed
    bag = desk.x.post_as_customer(username="c1", text="@acme my bag is missing")
    other = desk.x.post_as_customer(username="c2", text=SOCKET)
    desk.poll()
    parent_in(desk, BAGS, bag)
    parent_in(desk, CHANNEL, other)
    in_bags = care(desk, "status", channel=BAGS)
    assert "Route *baggage* only" in in_bags and "1 open" in in_bags
    everywhere = care(desk, "status", channel=CHANNEL)
    assert "2 open" in everywhere and "only" not in everywhere
    per_route = care(desk, "status all", channel=ASK).splitlines()
    assert per_route[0] == "*Queues per route*"
    assert f"*baggage* <#{BAGS}>: 1 open · 1 unclaimed · 0 overdue · 0 high priority" in per_route
    assert f"*questions* <#{ASK}>: nothing open" in per_route
    assert f"*care channel* <#{CHANNEL}>: 1 open · 1 unclaimed · 0 overdue · 0 high priority" \
        in per_route
    chart = care(desk, "chart", channel=ASK).splitlines()
    assert chart[1] == "*#* · *route* · *channel* · *takes* · *leads* · *target* · *hours*"
    assert chart[2] == (f"1 · *baggage* · <#{BAGS}> · keywords bag, baggage, luggage; kinds "
                        f"complaint, question · <@{BAG_LEAD}> · 30 min · Mon-Fri 09:00-17:00 "
                        "(Europe/Madrid)")
    assert chart[5].startswith(f"4 · *questions* · <#{ASK}> · kinds question · the desk's leads")
    assert "cannot post there" in chart[6]
    assert chart[7].startswith(f"– · *everything else* · <#{CHANNEL}>")
