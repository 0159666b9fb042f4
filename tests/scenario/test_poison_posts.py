"""A post that cannot be read never stops intake: cleaned at the edge, or quarantined."""

from __future__ import annotations

from bot.render.ids import ActionId
from bot.services.polling import MENTIONS_CURSOR
from storage.coordination import Cursors
from tests.scenario.harness import AGENT, CHANNEL, wait_until


def test_a_lone_surrogate_and_nul_are_cleaned_and_intake_goes_on(desk):
    poison = desk.x.post_as_customer(username="cutoff",
                                     text="@acme my flight \ud83d was cancelled\x00 help\x07")
    after = desk.x.post_as_customer(username="bob", text="@acme where is my bag?")
    desk.poll()
    parent = desk.parent_for(poison)
    desk.parent_for(after)
    assert "my flight \ufffd was cancelled help" in str(parent["blocks"])
    assert desk.runtime.poller.last_error is None


def break_post(desk, post_id: str, **fields) -> None:
    """Make the fake X answer a post object in a shape no post has."""
    with desk.x.store.lock:
        desk.x.store.tweets[post_id].update(fields)


def test_an_unreadable_post_is_quarantined_announced_once_and_listed(desk):
    bad = desk.x.post_as_customer(username="weird", text="@acme hello")
    break_post(desk, bad, text={"not": "a string"})
    good = desk.x.post_as_customer(username="bob", text="@acme my bag is lost, help")
    desk.poll()
    desk.parent_for(good)
    notice = wait_until(lambda: [m for m in desk.parents() if "could not be read" in
                                 m.get("text", "")], message="the quarantine notice")
    assert "1 post could not be read; `/care quarantine` shows it" in notice[0]["text"]
    assert int(Cursors(desk.runtime.db).get(MENTIONS_CURSOR)) >= max(int(bad), int(good))
    desk.poll()  # the next poll neither fails on it again nor announces it again
    assert desk.runtime.poller.last_error is None
    assert len([m for m in desk.parents() if "could not be read" in m.get("text", "")]) == 1

    answer = desk.requests.command(user_id=AGENT, text="quarantine", channel_id=CHANNEL).json()
    assert answer["response_type"] == "ephemeral"
    listed = str(answer["blocks"])
    assert f"post {bad}" in listed and "text is not a string" in listed
    retry = next(b["accessory"] for b in answer["blocks"] if "accessory" in b)
    assert retry["action_id"] == ActionId.QUARANTINE_RETRY.value

    desk.requests.click(user_id=AGENT, action_id=retry["action_id"], value=retry["value"],
                        channel_id=CHANNEL, message_ts="1.000001", block_id="quarantine")
    told = wait_until(lambda: [t for t in desk.ephemerals_for(AGENT) if "still" in t],
                      message="the retry answer")
    assert "stays in quarantine" in told[0]
    # Other /care answers are untouched by the quarantine listener.
    status = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert "*Queue:*" in status["text"]
