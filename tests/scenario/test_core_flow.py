"""The whole case flow over HTTP: mention -> case -> claim -> draft -> approve -> sent."""

from __future__ import annotations

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, wait_until


def test_mention_becomes_a_case_with_author_text_link_and_claim_button(desk):
    desk.x.add_user(username="jane_doe", name="Jane Doe", followers_count=1234)
    post_id = desk.mention("@acme my bag never arrived, flight AC123")
    parent = desk.parent_for(post_id)
    blocks = str(parent["blocks"])
    assert "Jane Doe" in blocks and "@jane_doe" in blocks and "1,234 followers" in blocks
    assert "my bag never arrived" in blocks
    assert f"https://x.com/jane_doe/status/{post_id}" in blocks
    assert "New" in blocks
    assert desk.has_button(parent, ActionId.CLAIM)
    assert parent["unfurl_links"] is False


def test_full_flow_claim_draft_approve_send(desk):
    post_id = desk.mention("@acme how do I change my seat?")
    parent = desk.parent_for(post_id)

    assert desk.click(parent, ActionId.CLAIM, user=AGENT).status_code == 200
    desk.wait_state(parent, "Claimed")
    assert f"<@{AGENT}>" in str(desk.fresh_parent(parent["ts"])["blocks"])

    response = desk.draft(parent, "Hi Jane! Open Manage booking and pick a new seat.", user=AGENT)
    assert response.status_code == 200 and response.text == ""
    desk.wait_state(parent, "Awaiting approval")
    wait_until(lambda: any("PUBLIC reply" in t and "Manage booking" in t
                           for t in desk.thread_texts(parent["ts"])), message="draft note")

    assert desk.click(parent, ActionId.APPROVE, user=LEAD).status_code == 200
    desk.wait_state(parent, "Replied")
    posts = desk.x.brand_posts()
    assert len(posts) == 1
    assert posts[0]["text"] == "Hi Jane! Open Manage booking and pick a new seat."
    assert posts[0]["in_reply_to_tweet_id"] == post_id
    receipt = wait_until(lambda: [t for t in desk.thread_texts(parent["ts"])
                                  if "Sent publicly on X" in t], message="receipt")
    assert f"/status/{posts[0]['id']}" in receipt[0]
    # The parent was edited in place: every update targets it, and nothing was reposted.
    updates = desk.slack.calls_to("chat.update")
    assert updates
    assert {(c["args"]["channel"], c["args"]["ts"]) for c in updates} == {(CHANNEL, parent["ts"])}
    assert [m["ts"] for m in desk.parents()] == [parent["ts"]]
