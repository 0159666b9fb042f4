"""Draft validation, hostile text, send failures and their recovery, over real HTTP."""

from __future__ import annotations

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, LEAD, wait_until


def _claimed(desk, text="@acme my suitcase is broken"):
    post_id = desk.mention(text)
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    return post_id, parent


def test_too_long_or_empty_draft_comes_back_into_the_modal(desk):
    _, parent = _claimed(desk)
    too_long = "Sorry! " + "x" * 300
    response = desk.draft(parent, too_long, user=AGENT)
    body = response.json()
    assert body["response_action"] == "errors"
    assert "307 characters" in body["errors"]["draft_text"]
    assert "Claimed" in str(desk.fresh_parent(parent["ts"])["blocks"])

    # 20 emoji count 40 and a URL counts 23, so this fits although it is long in characters.
    weighted_ok = "🙏" * 20 + " https://example.com/" + "a" * 300 + " " + "y" * 210
    assert desk.draft(parent, weighted_ok, user=AGENT).text == ""

    empty = desk.draft(parent, "   \n ", user=AGENT).json()
    assert empty["errors"]["draft_text"] == "The reply is empty."


def test_emoji_and_cjk_count_double(desk):
    _, parent = _claimed(desk)
    body = desk.draft(parent, "日本" * 71, user=AGENT).json()  # 142 chars, weighted 284
    assert "284 characters" in body["errors"]["draft_text"]


def test_hostile_post_text_is_escaped_everywhere(desk):
    hostile = ("@acme why was I charged twice? <!channel> <!here> <@U0ADMIN> click "
               "<https://evil.example|bank.com> & win")
    desk.x.add_user(username="troll", name="<!everyone> Troll", followers_count=3)
    parent = desk.parent_for(desk.mention(hostile, username="troll"))
    shown = str(parent["blocks"]) + parent["text"]
    for raw in ("<!channel>", "<!here>", "<@U0ADMIN>", "<https://evil.example|bank.com>",
                "<!everyone>"):
        assert raw not in shown
    assert "&lt;!channel&gt;" in shown
    assert "&lt;https://evil.example|bank.com&gt; &amp; win" in shown
    assert "&lt;!everyone&gt; Troll" in shown

    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=_draft_view())
    assert "<!channel>" not in str(view) and "&lt;!channel&gt;" in str(view)


def test_huge_post_text_stays_within_block_limits(desk):
    parent = desk.parent_for(desk.mention("@acme why is my refund late? " + "<&>" * 2000))
    section = parent["blocks"][0]["text"]["text"]
    assert len(section) <= 3000
    assert section.endswith("… _(full text in thread)_")


def _draft_view():
    from bot.render.ids import ViewId

    return ViewId.DRAFT


def test_send_rejected_by_x_is_reported_with_retry_then_retry_sends_once(desk):
    post_id, parent = _claimed(desk)
    desk.draft(parent, "We're sorry. Please DM us your booking code.", user=AGENT)
    desk.wait_state(parent, "Awaiting approval")
    desk.x.fail_next(method="POST", path_prefix="/2/tweets", status=400,
                     body={"title": "Invalid Request", "detail": "Something is off.",
                           "type": "about:blank", "status": 400})
    desk.click(parent, ActionId.APPROVE, user=LEAD)
    desk.wait_state(parent, "Send failed")
    failure = wait_until(lambda: [t for t in desk.thread_texts(parent["ts"])
                                  if "was not sent" in t], message="failure note")
    assert "X answered 400" in failure[0] and "Retry send" in failure[0]
    assert desk.x.brand_posts() == []

    desk.click(parent, ActionId.RETRY_SEND, user=AGENT)
    desk.wait_state(parent, "Replied")
    assert [p["in_reply_to_tweet_id"] for p in desk.x.brand_posts()] == [post_id]


def test_unconfirmed_send_is_reconciled_not_doubled(desk):
    post_id, parent = _claimed(desk)
    desk.draft(parent, "Thanks for telling us, we're on it & will update you.", user=AGENT)
    desk.wait_state(parent, "Awaiting approval")
    # X stores the post, then answers 503: the bot cannot know it was posted.
    desk.x.fail_next(method="POST", path_prefix="/2/tweets", status=503, after_effect=True)
    desk.click(parent, ActionId.APPROVE, user=LEAD)
    wait_until(lambda: any("did not confirm" in t for t in desk.thread_texts(parent["ts"])),
               message="uncertain note")
    # The next attempt (after the backoff) reads the brand's posts first and finds it.
    wait_until(lambda: desk.runtime.sender.deliver_due() or
               "Replied" in str(desk.fresh_parent(parent["ts"])["blocks"]),
               timeout=15, message="reconciled send")
    desk.wait_state(parent, "Replied")
    assert len(desk.x.brand_posts()) == 1
    assert desk.runtime.sender.outbox.statuses() == [(1, "sent", desk.x.brand_posts()[0]["id"])]
    receipt = wait_until(lambda: [t for t in desk.thread_texts(parent["ts"])
                                  if "Sent publicly" in t], message="receipt")
    assert desk.x.brand_posts()[0]["id"] in receipt[0]


def test_close_with_reason_and_reopen(desk):
    _, parent = _claimed(desk)
    desk.click(parent, ActionId.CLOSE, user=AGENT, option="spam")
    desk.wait_state(parent, "Ignored")
    assert "Spam / troll" in str(desk.fresh_parent(parent["ts"])["blocks"])
    desk.click(parent, ActionId.REOPEN, user=AGENT)
    desk.wait_state(parent, "New")
    desk.click(parent, ActionId.CLOSE, user=AGENT, option="resolved")
    desk.wait_state(parent, "Closed")
    def state_notes():
        return [t for t in desk.thread_texts(parent["ts"]) if "closed" in t or "reopened" in t]

    # the thread notes are paced per channel: wait for the third, then count them all
    wait_until(lambda: len(state_notes()) >= 3, message="three notes")
    notes = state_notes()
    assert len(notes) == 3  # closed as spam, reopened, closed as resolved
    actions = [e.action for e in desk.runtime.store.events(1)]
    assert actions == ["opened", "claim", "ignore", "reopen", "close"]
