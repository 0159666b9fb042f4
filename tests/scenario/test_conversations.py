"""Conversations, not posts: follow-ups, DMs, signatures, returning customers, escalation."""

from __future__ import annotations

import pytest

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, AGENT2, CHANNEL, LEAD, Desk, wait_until


def answered(desk, text="@acme my bag is lost, flight AB12", reply="So sorry! Checking now.",
             username="jane_doe"):
    post_id = desk.mention(text, username=username)
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.draft(parent, reply, user=AGENT).text == ""
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")
    return post_id, parent


def thread_has(desk, parent, *words):
    return wait_until(lambda: [t for t in desk.thread_texts(parent["ts"])
                               if all(w in t for w in words)], message=f"thread note {words}")


def test_reply_to_our_reply_and_same_conversation_posts_land_in_the_thread(desk):
    post_id, parent = answered(desk)
    our_reply = desk.x.brand_posts()[0]["id"]
    followup = desk.x.post_as_customer(username="jane_doe", text="@acme still nothing :(",
                                       in_reply_to_post_id=our_reply)
    desk.poll()
    thread_has(desk, parent, "Follow-up", "still nothing")
    desk.wait_state(parent, "Claimed")  # back to the agent who answered, clock restarted
    assert "due in" in str(desk.fresh_parent(parent["ts"])["blocks"])
    bystander = desk.x.post_as_customer(username="nosy", text="@acme same here!!",
                                        in_reply_to_post_id=post_id)
    desk.poll()
    thread_has(desk, parent, "not the customer", "same here")
    assert len(desk.parents()) == 1
    # The next reply answers the customer's latest post, and nothing is shown twice.
    desk.draft(parent, "Found it! It arrives tonight.", user=AGENT)
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")
    assert desk.x.brand_posts()[-1]["in_reply_to_tweet_id"] == followup
    desk.poll()
    texts = desk.thread_texts(parent["ts"])
    assert sum("still nothing" in t for t in texts) == 1
    assert sum("same here" in t for t in texts) == 1
    assert bystander and len(desk.parents()) == 1


def test_follow_up_reopens_a_recently_closed_case_but_not_an_old_one(database_url):
    desk = Desk.start(database_url=database_url, CARE_REOPEN_DAYS="0")
    try:
        _, parent = answered(desk)
        desk.click(parent, ActionId.CLOSE, user=AGENT, option="resolved")
        desk.wait_state(parent, "Closed")
        desk.x.post_as_customer(username="jane_doe",
                                text="@acme one more question: can I bring my dog?",
                                in_reply_to_post_id=desk.x.brand_posts()[0]["id"])
        desk.poll()
        # CARE_REOPEN_DAYS=0: the closed case stays closed; the customer gets a new case.
        wait_until(lambda: len(desk.parents()) == 2, message="a new case")
        assert "Closed" in str(desk.fresh_parent(parent["ts"])["blocks"])
        assert "Returning customer" in str(desk.parents()[1]["blocks"])
    finally:
        desk.stop()


def test_follow_up_reopens_within_the_reopen_window(desk):
    _, parent = answered(desk)
    desk.click(parent, ActionId.CLOSE, user=AGENT, option="resolved")
    desk.wait_state(parent, "Closed")
    desk.x.post_as_customer(username="jane_doe", text="@acme it broke again",
                            in_reply_to_post_id=desk.x.brand_posts()[0]["id"])
    desk.poll()
    desk.wait_state(parent, "New")
    thread_has(desk, parent, "Follow-up", "it broke again")
    thread_has(desk, parent, "Last handled by", AGENT)
    assert len(desk.parents()) == 1


def test_move_to_dm_invites_publicly_with_the_deep_link_and_sends_the_dm_once(desk):
    post_id = desk.mention("@acme my card was charged twice")
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    view, response = desk.move_to_dm(parent, user=AGENT,
                                     dm="Hi Jane, please send the last 4 digits of the card.")
    assert response.text == ""
    thread_has(desk, parent, "PUBLIC reply", "DM")
    desk.approve(parent, user=LEAD)
    wait_until(lambda: len(desk.x.brand_dms()) == 1 and len(desk.x.brand_posts()) == 1,
               message="invite and DM sent")
    invite = desk.x.brand_posts()[0]
    assert f"https://x.com/messages/compose?recipient_id={desk.x.brand_id}" in invite["text"]
    assert invite["in_reply_to_tweet_id"] == post_id
    dm = desk.x.brand_dms()[0]
    assert dm["text"] == "Hi Jane, please send the last 4 digits of the card."
    assert "last 4 digits" not in invite["text"]
    thread_has(desk, parent, "DM", "sent to the customer")
    thread_has(desk, parent, "Sent publicly on X")
    desk.wait_state(parent, "Moved to DM")
    desk.runtime.sender.deliver_due()
    assert len(desk.x.brand_dms()) == 1 and len(desk.x.brand_posts()) == 1


def test_a_dm_draft_never_goes_out_publicly(desk):
    parent = desk.parent_for(desk.mention("@acme need help with my account"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.draft(parent, "Happy to help privately. What's your email?", user=AGENT,
                      channel="dm").text == ""
    thread_has(desk, parent, "*:envelope: DM*")
    assert not any("PUBLIC reply" in t for t in desk.thread_texts(parent["ts"]))
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")
    assert desk.x.brand_posts() == []
    assert [d["text"] for d in desk.x.brand_dms()] == ["Happy to help privately. What's your "
                                                       "email?"]
    # The conversation continues in DM: the next draft defaults to DM.
    case = desk.runtime.store.get(1)
    assert case.moved_to_dm and case.default_channel.value == "dm"


def test_inbound_dms_land_in_the_open_case_or_open_a_new_one(desk):
    desk.poll_dms()
    parent = desk.parent_for(desk.mention("@acme where is my refund?"))
    desk.x.send_dm_as_customer(username="jane_doe", text="Here is my booking code: XYZ123")
    desk.x.send_dm_as_customer(username="new_person", text="Hello, can you help me?")
    desk.poll_dms()
    thread_has(desk, parent, "DM", "XYZ123")
    wait_until(lambda: len(desk.parents()) == 2, message="a case for the new DM")
    dm_parent = desk.parents()[1]
    assert "Came in as a DM" in str(dm_parent["blocks"]) and "can you help me" in str(
        dm_parent["blocks"])
    desk.poll_dms()
    assert sum("XYZ123" in t for t in desk.thread_texts(parent["ts"])) == 1
    assert len(desk.parents()) == 2
    # A DM case is answered by DM only by default.
    desk.click(dm_parent, ActionId.CLAIM, user=AGENT2)
    desk.wait_state(dm_parent, "Claimed")
    desk.draft(dm_parent, "Of course! What happened?", user=AGENT2)
    desk.approve(dm_parent, user=LEAD)
    desk.wait_state(dm_parent, "Replied")
    assert desk.x.brand_posts() == [] and len(desk.x.brand_dms()) == 1


def test_signature_counts_in_the_length_and_ends_public_replies(desk):
    answer = desk.requests.command(user_id=AGENT, text="signature ab", channel_id=CHANNEL)
    assert "` ^AB`" in answer.json()["text"]
    bad = desk.requests.command(user_id=AGENT, text="signature <!here>", channel_id=CHANNEL)
    assert "1 to 4 letters" in bad.json()["text"]
    parent = desk.parent_for(desk.mention("@acme hi, how do I add a bag to my booking?"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    too_long = desk.draft(parent, "x" * 278, user=AGENT).json()
    assert "282 characters" in too_long["errors"]["draft_text"]
    assert desk.draft(parent, "y" * 276, user=AGENT).text == ""
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")
    assert desk.x.brand_posts()[0]["text"] == "y" * 276 + " ^AB"
    thread_has(desk, parent, "Sent publicly", AGENT)
    off = desk.requests.command(user_id=AGENT, text="signature off", channel_id=CHANNEL)
    assert "no signature" in off.json()["text"]


@pytest.fixture
def sticky_desk(database_url):
    desk = Desk.start(database_url=database_url, CARE_STICKY_ASSIGN="true")
    yield desk
    desk.stop()


def test_sticky_assignment_gives_a_returning_customer_their_last_agent(sticky_desk):
    desk = sticky_desk
    answered(desk)
    second = desk.parent_for(desk.mention("@acme new problem: seat broken"))
    assert "Claimed" in str(second["blocks"]) and f"<@{AGENT}>" in str(second["blocks"])
    assert "1 earlier case(s)" in str(second["blocks"])
    thread_has(desk, second, "Returning customer", f"Assigned to <@{AGENT}>")


def test_returning_customer_without_sticky_assignment_names_the_last_agent(desk):
    answered(desk)
    second = desk.parent_for(desk.mention("@acme another problem: my seat is broken"))
    assert "New" in str(second["blocks"]) and "last helped by" in str(second["blocks"])
    thread_has(desk, second, "Returning customer", f"last helped by <@{AGENT}>")


@pytest.fixture
def escalation_desk(database_url):
    desk = Desk.start(database_url=database_url,
                      CARE_ESCALATION_CHANNELS="legal=C0LEGAL,comms=C0COMMS")
    desk.slack.add_channel(channel_id="C0LEGAL", name="legal")
    desk.slack.add_channel(channel_id="C0COMMS", name="comms")
    yield desk
    desk.stop()


def test_escalation_posts_a_summary_with_a_permalink_and_keeps_the_clock(escalation_desk):
    desk = escalation_desk
    parent = desk.parent_for(desk.mention("@acme I will sue you <!channel>"))
    empty = desk.escalate(parent, user=AGENT, department="legal", note="  ").json()
    assert "Tell the team" in empty["errors"]["escalation_note"]
    assert desk.escalate(parent, user=AGENT, department="legal",
                         note="Threatens legal action.").text == ""
    summary = wait_until(lambda: desk.slack.messages("C0LEGAL"), message="legal summary")[0]
    link = f"https://slack.com/archives/{CHANNEL}/p{parent['ts'].replace('.', '')}"
    assert link in summary["text"] and "Threatens legal action." in summary["text"]
    assert "<!channel>" not in summary["text"] and "&lt;!channel&gt;" in summary["text"]
    desk.wait_state(parent, "Escalated to legal")
    thread_has(desk, parent, "escalated this case to *legal*")
    assert not desk.has_button(parent, ActionId.ESCALATE)
    assert desk.runtime.store.get(1).sla_due_at is not None
    from storage.models import CaseRow

    with desk.runtime.db.transaction() as s:
        assert s.get(CaseRow, 1).next_nudge_at is not None
    assert desk.slack.messages("C0COMMS") == []
