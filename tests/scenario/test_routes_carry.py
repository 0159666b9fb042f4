"""The triage chart, continued: what a routed case carries to its new thread, where digest
cases land, a route channel the bot joins later, user groups among a route's agents."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.render.ids import ActionId, BlockId, InputId, ViewId
from sandbox.fake_slack import FakeSlack
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
from tests.scenario.test_routes import (
    ASK,
    BAG_LEAD,
    BAGS,
    CHART,
    SATURDAY,
    SECRET,
    SOCKET,
    SPANISH,
    URGENT,
    awaiting_approval,
    case_of,
    click,
    parent_in,
    route_to,
    shows,
)


@pytest.fixture
def start_desk(database_url, tmp_path):
    """Start a desk on a chart; ``prepare`` sets up the fake Slack first."""
    desks: list[Desk] = []

    def start(*, chart: str = CHART, prepare: Callable[[FakeSlack], None] = lambda _s: None,
              clock: FakeClock | None = None, **settings: str) -> Desk:
        path = tmp_path / "routes.yml"
        path.write_text(chart)
        slack = FakeSlack(bot_token=SECRETS["SLACK_BOT_TOKEN"], host=HOST).start()
        slack.add_channel(channel_id=BAGS, name="baggage", is_member=False)
        slack.add_channel(channel_id=SECRET, name="vault", is_private=True, is_member=False)
        prepare(slack)
        desks.append(Desk.start(database_url=database_url, slack=slack,
                                clock=clock or FakeClock(SATURDAY),
                                CARE_ROUTES_FILE=str(path),
                                channels=((SPANISH, "es"), (URGENT, "urgent"), (ASK, "ask")),
                                **settings))
        return desks[-1]

    yield start
    for desk in desks:
        desk.stop()


def submit_modal(desk, channel: str, parent: dict, action: ActionId, view_id: ViewId, *,
                 user: str, values: dict):
    before = len(desk.slack.views())
    click(desk, channel, parent, action, user=user)
    view = wait_until(lambda: [v["view"] for v in desk.slack.views()[before:]
                               if v["view"].get("callback_id") == view_id.value],
                      message=f"the {view_id.value} modal")[-1]
    return desk.requests.submit_view(user_id=user, view=view, values=values)


def notes_of(desk, channel: str, ts: str) -> list[str]:
    return [m.get("text", "") for m in desk.slack.thread(channel, ts)]


def test_route_to_carries_the_post_the_drafts_and_the_notes_in_order(start_desk):
    desk = start_desk()
    text = "@acme where is my luggage? <!channel> it has been a day"
    old = awaiting_approval(desk, BAGS, text)
    response = submit_modal(desk, BAGS, old, ActionId.REQUEST_CHANGES, ViewId.REQUEST_CHANGES,
                            user=BAG_LEAD, values={BlockId.CHANGES_REASON.value: {
                                InputId.CHANGES_REASON.value: "Ask for the <b>tag number</b>."}})
    assert response.status_code == 200
    wait_until(lambda: any("asked" in t for t in notes_of(desk, BAGS, old["ts"])),
               message="the changes note")
    submit_modal(desk, BAGS, old, ActionId.DRAFT, ViewId.DRAFT, user=AGENT, values={
        BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: "Sorry! What is your tag number?"}})
    shows(desk, BAGS, old, "Awaiting approval")
    click(desk, BAGS, old, ActionId.APPROVE, user=BAG_LEAD)
    shows(desk, BAGS, old, "Replied")
    wait_until(lambda: any("Sent publicly" in t for t in notes_of(desk, BAGS, old["ts"])),
               message="the delivery receipt")
    old_notes = notes_of(desk, BAGS, old["ts"])

    _, response = route_to(desk, BAGS, old, "questions", user=BAG_LEAD)
    assert response.status_code == 200 and not response.text
    case = wait_until(lambda: (lambda c: c if c.slack_channel == ASK and c.slack_ts else None)(
        desk.runtime.store.get(1)), message="the new parent")
    new_thread = wait_until(lambda: (lambda t: t if len(t) >= 2 else None)(
        desk.slack.thread(ASK, case.slack_ts)), message="the carried story")
    assert "Routed here from" in new_thread[0]["text"]
    assert f"archives/{BAGS}/p{old['ts'].replace('.', '')}" in new_thread[0]["text"]
    sections = [b["text"]["text"] for m in new_thread[1:] for b in m.get("blocks") or []
                if b.get("type") == "section"]
    story = "\n".join(sections)
    # the post, in full and escaped
    assert sections[0].startswith("*The post* by @jane_doe")
    assert "where is my luggage? &lt;!channel&gt; it has been a day" in sections[1]
    assert "<!channel>" not in story
    # the drafts, oldest first: text, author, state and who reviewed or approved them
    first = next(s for s in sections if "So sorry, we are on it." in s)
    second = next(s for s in sections if "What is your tag number?" in s)
    assert sections.index(first) < sections.index(second)
    assert f"by <@{AGENT}> · changes requested by <@{BAG_LEAD}>" in first
    assert "&lt;b&gt;tag number&lt;/b&gt;" in first
    assert f"by <@{AGENT}> · approved by <@{BAG_LEAD}>" in second
    # the notes of the old thread, every one, in the order they were posted there
    carried = sections[sections.index(next(s for s in sections
                                           if s.startswith("*Notes of the old thread*"))) + 1:]
    assert carried == old_notes and len(carried) >= 4
    assert any("Claimed by" in n for n in carried) and "Sent publicly" in carried[-1]


STATUS_PAGE = "https://status.acme.com/incidents/42"


def test_digest_cases_land_in_the_route_of_their_topic(start_desk):
    desk = start_desk()
    answer = desk.requests.command(user_id=LEAD, text="crisis on", channel_id=CHANNEL).json()
    assert answer["text"] == "Crisis mode is on."
    # crisis announcements stay one per brand, in the care channel
    wait_until(lambda: any("switched crisis mode *on*" in m.get("text", "")
                           for m in desk.slack.messages(CHANNEL)), message="the announcement")
    assert not any("crisis" in m.get("text", "") for m in desk.slack.messages(BAGS))
    # one page linking the same status page: one topic, but two routes
    bag = desk.x.post_as_customer(username="b1", text=f"@acme my bag is lost {STATUS_PAGE}")
    bag2 = desk.x.post_as_customer(username="b2", text=f"@acme lost my luggage {STATUS_PAGE}")
    seat = desk.x.post_as_customer(username="s1", text=f"{SOCKET} {STATUS_PAGE}")
    seat2 = desk.x.post_as_customer(username="s2", text=f"{SOCKET} either {STATUS_PAGE}")
    desk.poll()
    parent_in(desk, BAGS, bag)
    parent_in(desk, CHANNEL, seat)
    bags_digest, care_digest = case_of(desk, bag), case_of(desk, seat)
    assert (bags_digest.route, bags_digest.slack_channel) == ("baggage", BAGS)
    assert (care_digest.route, care_digest.slack_channel) == (None, CHANNEL)
    assert bags_digest.topic_key == care_digest.topic_key == f"url:{STATUS_PAGE}"
    store = desk.runtime.store
    wait_until(lambda: (store.get(bags_digest.id).digest_count,
                        store.get(care_digest.id).digest_count) == (1, 1),
               message="each post grouped into its own route's digest case")
    grouped = {f.post.id: f.reason for f in
               desk.runtime.poller.intake.filtered.recent(limit=10)[0]}
    assert grouped == {bag2: f"grouped into crisis digest case #{bags_digest.id}",
                       seat2: f"grouped into crisis digest case #{care_digest.id}"}
    # a case opened from a digest follows the routes like any other
    desk.requests.click(user_id=AGENT, action_id=ActionId.MAKE_CASE.value, value=bag2,
                        channel_id=CHANNEL, message_ts="1.000001")
    parent_in(desk, BAGS, bag2)
    assert case_of(desk, bag2).route == "baggage"


def vault_post(desk, username: str) -> str:
    post = desk.x.post_as_customer(username=username, text="@acme my vault card was charged "
                                                           "twice")
    desk.poll()
    return post


def said_in_care_channel(desk, words: str) -> list[dict]:
    return wait_until(lambda: [m for m in desk.slack.messages(CHANNEL)
                               if words in m.get("text", "")], message=repr(words))


def test_a_route_channel_that_invites_the_bot_takes_its_cases_from_then_on(start_desk):
    desk = start_desk()
    said_in_care_channel(desk, "Route *vault*: I cannot post")
    held = vault_post(desk, "v1")
    held_parent = parent_in(desk, CHANNEL, held)
    assert case_of(desk, held).route == "vault"
    # someone invites the bot: Slack tells it with member_joined_channel
    desk.slack.set_member(SECRET, member=True)
    response = desk.requests.event(event={"type": "member_joined_channel", "user": "UBOT",
                                          "channel": SECRET, "channel_type": "G"},
                                   event_id="Ev0INVITED")
    assert response.status_code == 200
    back = said_in_care_channel(desk, "Route *vault*: I can post in")
    assert f"<#{SECRET}>" in back[0]["text"]
    fresh = vault_post(desk, "v2")
    parent_in(desk, SECRET, fresh)
    assert (case_of(desk, fresh).route, case_of(desk, fresh).slack_channel) == ("vault", SECRET)
    # the case that waited in the care channel can go home with Route to…
    view, response = route_to(desk, CHANNEL, held_parent, "vault", user=LEAD)
    assert "vault" in [o["value"] for b in view["blocks"]
                       if b.get("block_id") == BlockId.ROUTE.value
                       for o in b["element"]["options"]]
    assert response.status_code == 200 and not response.text
    parent_in(desk, SECRET, held)
    assert case_of(desk, held).slack_channel == SECRET


def test_a_later_retry_finds_the_bot_in_a_route_channel_without_a_restart(start_desk):
    desk = start_desk()
    said_in_care_channel(desk, "Route *vault*: I cannot post")
    parent_in(desk, CHANNEL, vault_post(desk, "v1"))
    desk.runtime.jobs.kick("retry_route_channels")  # still not invited: nothing changes
    parent_in(desk, CHANNEL, vault_post(desk, "v2"))
    desk.slack.set_member(SECRET, member=True)  # invited, but the event was missed
    desk.runtime.jobs.kick("retry_route_channels")
    said_in_care_channel(desk, "Route *vault*: I can post in")
    parent_in(desk, SECRET, vault_post(desk, "v3"))


def test_a_user_group_among_a_routes_agents_keeps_its_members_claims(start_desk):
    team = "S0VAULTTEAM"
    desk = start_desk(chart=CHART.replace(f"agents: [{AGENT2}]", f"agents: [{AGENT2}, {team}]"),
                      prepare=lambda slack: slack.add_usergroup(
                          group_id=team, handle="vault-team", user_ids=[AGENT]))
    post = desk.x.post_as_customer(username="kim", text="@acme how do I change my seat?")
    desk.poll()
    parent = parent_in(desk, ASK, post)
    click(desk, ASK, parent, ActionId.CLAIM, user=AGENT)
    shows(desk, ASK, parent, "Claimed")
    _, response = route_to(desk, ASK, parent, "vault", user=LEAD)
    assert response.status_code == 200 and not response.text
    case = case_of(desk, post)
    assert case.route == "vault"
    # AGENT is in vault's user group: the claim stays
    assert (case.assignee_id, case.state.value) == (AGENT, "claimed")
    assert {c["args"].get("usergroup") for c in desk.slack.calls_to("usergroups.users.list")} \
        == {team}


def test_care_status_in_a_route_measures_responses_by_its_own_target_and_hours(start_desk):
    clock = FakeClock(SATURDAY)  # baggage works Mon-Fri in Madrid: closed all Saturday
    desk = start_desk(clock=clock)
    bag = awaiting_approval(desk, BAGS, "@acme where is my luggage? it has been a day")
    clock.advance(minutes=20)
    click(desk, BAGS, bag, ActionId.APPROVE, user=BAG_LEAD)
    shows(desk, BAGS, bag, "Replied")
    wait_until(lambda: desk.runtime.store.get(1).state.value == "replied", message="sent")
    in_bags = desk.requests.command(user_id=AGENT, text="status", channel_id=BAGS).json()["text"]
    assert "target 30 min, Mon-Fri 09:00-17:00 (Europe/Madrid)" in in_bags
    # twenty minutes of a Saturday are no minutes of the baggage route's hours
    assert "*Today:* 1 first responses · median 0 min" in in_bags
    assert "100% within target" in in_bags
    # the desk as a whole measures by its own hours (always open)
    everywhere = desk.requests.command(user_id=AGENT, text="status",
                                       channel_id=CHANNEL).json()["text"]
    assert "*Today:* 1 first responses · median 20 min" in everywhere
    assert "target 30 min" not in everywhere
