"""Races, double clicks and the approval rules, over the real HTTP app."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, AGENT2, LEAD, LEAD2, wait_until

AGENTS = [f"UAGENT{i}" for i in range(1, 9)]


def _claimed_and_drafted(desk, text="Sorry about that! We're checking it now."):
    post_id = desk.mention("@acme my card was charged twice")
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.draft(parent, text, user=AGENT).text == ""
    desk.wait_state(parent, "Awaiting approval")
    return post_id, parent


def test_claim_race_has_one_winner_and_polite_refusals(desk):
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    with ThreadPoolExecutor(len(AGENTS)) as pool:
        responses = list(pool.map(lambda u: desk.click(parent, ActionId.CLAIM, user=u), AGENTS))
    assert all(r.status_code == 200 for r in responses)
    desk.wait_state(parent, "Claimed")
    events = [e for e in desk.runtime.store.events(1) if e.action == "claim"]
    assert len(events) == 1
    winner = events[0].actor
    losers = [u for u in AGENTS if u != winner]
    wait_until(lambda: all(any("already claimed by" in t and winner in t
                               for t in desk.ephemerals_for(u)) for u in losers),
               message="an 'already claimed' note for every other agent")
    assert desk.ephemerals_for(winner) == []
    assert f"<@{winner}>" in str(desk.fresh_parent(parent["ts"])["blocks"])


def test_unclaim_gives_the_case_back_and_only_the_assignee_may(desk):
    parent = desk.parent_for(desk.mention("@acme is the lounge open?"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    desk.click(parent, ActionId.UNCLAIM, user=AGENT2)
    wait_until(lambda: any("only they can" in t for t in desk.ephemerals_for(AGENT2)),
               message="refusal for another agent")
    desk.click(parent, ActionId.UNCLAIM, user=AGENT)
    desk.wait_state(parent, "New")
    assert desk.has_button(parent, ActionId.CLAIM)


def test_double_click_on_approve_sends_exactly_one_post(desk):
    post_id, parent = _claimed_and_drafted(desk)
    approve = desk.button(parent, ActionId.APPROVE)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda u: desk.requests.click(
            user_id=u, action_id=ActionId.APPROVE.value, value=approve["value"],
            channel_id="C0CARE", message_ts=parent["ts"]), [LEAD, LEAD, LEAD, LEAD2, LEAD2,
                                                            LEAD]))
    desk.wait_state(parent, "Replied")
    desk.runtime.sender.deliver_due()
    assert [p["in_reply_to_tweet_id"] for p in desk.x.brand_posts()] == [post_id]
    assert desk.runtime.sender.outbox.statuses() == [(1, "sent", desk.x.brand_posts()[0]["id"])]


def test_author_cannot_approve_own_draft_and_non_lead_cannot_approve(desk):
    # A lead who drafts cannot approve their own draft.
    post_id = desk.mention("@acme my flight was cancelled, what now?")
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=LEAD)
    desk.wait_state(parent, "Claimed")
    desk.draft(parent, "We're so sorry. We have rebooked you on the 18:05.", user=LEAD)
    desk.wait_state(parent, "Awaiting approval")

    desk.click(parent, ActionId.APPROVE, user=LEAD)
    wait_until(lambda: any("can't approve it" in t for t in desk.ephemerals_for(LEAD)),
               message="self-approval refusal")
    desk.click(parent, ActionId.APPROVE, user=AGENT2)
    wait_until(lambda: any("Only a team lead" in t for t in desk.ephemerals_for(AGENT2)),
               message="non-lead refusal")
    refused = [e for e in desk.runtime.store.events(1) if e.action == "approval_refused"]
    assert [e.actor for e in refused] == [LEAD, AGENT2]
    wait_until(lambda: sum("tried to approve, refused" in t
                           for t in desk.thread_texts(parent["ts"])) == 2,
               message="refusals recorded in the thread")
    assert desk.x.brand_posts() == []
    assert "Awaiting approval" in str(desk.fresh_parent(parent["ts"])["blocks"])

    desk.click(parent, ActionId.APPROVE, user=LEAD2)
    desk.wait_state(parent, "Replied")
    assert len(desk.x.brand_posts()) == 1


def test_request_changes_returns_the_draft_with_the_reason(desk):
    _, parent = _claimed_and_drafted(desk, "we r looking in2 it")
    assert desk.request_changes(parent, "Please write it out properly.", user=LEAD).text == ""
    desk.wait_state(parent, "Claimed")
    wait_until(lambda: any("asked" in t and "Please write it out properly." in t
                           for t in desk.thread_texts(parent["ts"])), message="reason in thread")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=desk_view_draft())
    assert view["blocks"][2]["element"]["initial_value"] == "we r looking in2 it"


def desk_view_draft():
    from bot.render.ids import ViewId

    return ViewId.DRAFT


def test_request_changes_needs_a_reason(desk):
    _, parent = _claimed_and_drafted(desk)
    response = desk.request_changes(parent, "   ", user=LEAD)
    assert response.json()["response_action"] == "errors"
    assert "Say what should change" in response.json()["errors"]["changes_reason"]
    assert "Awaiting approval" in str(desk.fresh_parent(parent["ts"])["blocks"])


def test_only_the_assignee_may_draft(desk):
    parent = desk.parent_for(desk.mention("@acme hello? can anyone help with my booking?"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    desk.click(parent, ActionId.DRAFT, user=AGENT2)
    wait_until(lambda: any("claimed by" in t for t in desk.ephemerals_for(AGENT2)),
               message="draft refusal")
    assert desk.slack.views() == []
