"""Triage over the real app: what becomes a case, the filtered log, mute and hide."""

from __future__ import annotations

import pytest

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, Desk, wait_until

QUIET = "C0QUIET"


@pytest.fixture
def quiet_desk(database_url):
    desk = Desk.start(database_url=database_url, CARE_QUIET_CHANNEL_ID=QUIET)
    desk.slack.add_channel(channel_id=QUIET, name="care-quiet")
    yield desk
    desk.stop()


def filtered_ids(desk):
    items, _ = desk.runtime.poller.intake.filtered.recent(limit=50)
    return {i.post.id for i in items}


def test_only_posts_that_need_a_response_become_cases(quiet_desk):
    desk = quiet_desk
    question = desk.x.post_as_customer(username="jane", text="@acme how do I add a bag?")
    spam = desk.x.post_as_customer(username="bot123",
                                   text="@acme FREE crypto giveaway!! follow back 🚀🚀")
    praise = desk.x.post_as_customer(username="fan", text="thanks @acme, that fixed it!")
    retweet = desk.x.post_as_customer(username="rt_guy", text="RT @jane: @acme how do I add?")
    desk.poll()
    desk.parent_for(question)
    wait_until(lambda: filtered_ids(desk) == {spam, retweet}, message="filtered log")
    assert desk.runtime.poller.intake.praise.items.get(praise) is not None  # the praise lane
    assert len(desk.parents()) == 1
    parent = desk.parents()[0]
    assert "*question*" in str(parent["blocks"]) and "priority" in str(parent["blocks"])
    quiet = wait_until(lambda: len(desk.slack.messages(QUIET)) == 2 and
                       desk.slack.messages(QUIET), message="quiet channel lines")
    assert any("a retweet" in m["text"] for m in quiet)
    assert any("spam" in m["text"] for m in quiet)


def test_care_filtered_lists_posts_and_make_it_a_case_opens_one(desk):
    chatter = desk.x.post_as_customer(username="fan",
                                      text="@acme <!channel> just saw your ad on tv")
    desk.poll()
    wait_until(lambda: filtered_ids(desk) == {chatter}, message="filtered")
    answer = desk.requests.command(user_id=AGENT, text="filtered", channel_id=CHANNEL).json()
    assert answer["response_type"] == "ephemeral"
    assert "<!channel>" not in str(answer["blocks"]) and "&lt;!channel&gt;" in str(
        answer["blocks"])
    button = answer["blocks"][1]["accessory"]
    assert button["action_id"] == "care.make_case" and button["value"] == chatter
    desk.requests.click(user_id=AGENT, action_id="care.make_case", value=chatter,
                        channel_id=CHANNEL, message_ts="1.000001")
    parent = desk.parent_for(chatter)
    wait_until(lambda: any("made this a case from the filtered log" in t
                           for t in desk.thread_texts(parent["ts"])), message="note")
    assert filtered_ids(desk) == set()
    desk.requests.click(user_id=AGENT, action_id="care.make_case", value=chatter,
                        channel_id=CHANNEL, message_ts="1.000001")
    wait_until(lambda: any("not in the filtered log" in t or "a case already" in t
                           for t in desk.ephemerals_for(AGENT)), message="second click refused")
    assert len(desk.parents()) == 1
    empty = desk.requests.command(user_id=AGENT, text="filtered", channel_id=CHANNEL).json()
    assert "Nothing has been filtered out" in empty["text"]


def test_mute_author_filters_their_next_posts_and_unmute_reverses_it(desk):
    parent = desk.parent_for(desk.mention("@acme you are the worst airline, refund me now",
                                          username="troll"))
    desk.click(parent, ActionId.MORE, user=AGENT, option="mute")
    desk.wait_state(parent, "Author muted")
    assert desk.x.muted_user_ids() == {desk.runtime.store.get(1).customer.id}
    second = desk.x.post_as_customer(username="troll", text="@acme why won't you answer me??")
    desk.poll()
    wait_until(lambda: second in filtered_ids(desk), message="muted author filtered")
    assert len(desk.parents()) == 1
    desk.click(parent, ActionId.MORE, user=AGENT, option="unmute")
    wait_until(lambda: "Author muted" not in str(desk.fresh_parent(parent["ts"])["blocks"]),
               message="unmuted")
    assert desk.x.muted_user_ids() == set()
    third = desk.x.post_as_customer(username="troll", text="@acme how do I get my refund?")
    desk.poll()
    desk.parent_for(third)
    actions = [e.action for e in desk.runtime.store.events(1)]
    assert "mute" in actions and "unmute" in actions


def test_hide_reply_on_a_brand_post(desk):
    brand_post = desk.x.store.create_tweet(author_id=desk.x.brand_id,
                                           text="Our winter schedule is out!")
    reply = desk.x.post_as_customer(username="angry", text="this schedule is a scam, refund!",
                                    in_reply_to_post_id=brand_post)
    desk.poll()
    parent = desk.parent_for(reply)
    desk.click(parent, ActionId.MORE, user=AGENT, option="hide")
    desk.wait_state(parent, "Reply hidden on X")
    assert reply in desk.x.hidden_post_ids()
    desk.click(parent, ActionId.MORE, user=AGENT, option="unhide")
    wait_until(lambda: "Reply hidden" not in str(desk.fresh_parent(parent["ts"])["blocks"]),
               message="unhidden")
    assert reply not in desk.x.hidden_post_ids()


def test_an_answer_to_the_brands_own_post_becomes_a_case_the_same_words_alone_do_not(desk):
    brand_post = desk.x.store.create_tweet(author_id=desk.x.brand_id,
                                           text="Where did you spot our pop-up store?")
    answer = desk.x.post_as_customer(username="jo", text="@acme It was Leeds, by the bridge",
                                     in_reply_to_post_id=brand_post)
    alone = desk.x.post_as_customer(username="kim", text="@acme It was Leeds, by the bridge")
    desk.poll()
    parent = desk.parent_for(answer)
    assert "a reply to the brand" in str(parent["blocks"])
    wait_until(lambda: filtered_ids(desk) == {alone}, message="the lone post filtered")
    assert len(desk.parents()) == 1


def test_sla_lists_high_priority_first_within_the_same_deadline_band(desk):
    calm = desk.parent_for(desk.mention("@acme how do I change my seat?", username="calm"))
    urgent = desk.parent_for(desk.mention("@acme I was charged twice, fraud! refund now",
                                          username="urgent"))
    assert "high priority" in str(urgent["blocks"]) and "normal priority" in str(calm["blocks"])
    status = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert "1 high priority" in status["text"]


@pytest.fixture
def search_desk(database_url):
    desk = Desk.start(database_url=database_url,
                      X_SEARCH_QUERY='"acme air" OR acmeair -is:retweet',
                      CARE_X_MONTHLY_READ_CAP="3", CARE_X_PRICE_PER_READ="0.01",
                      CARE_X_PRICE_OWNED_READ="0.001")
    yield desk
    desk.stop()


def poll_search(desk):
    wait_until(lambda: desk.runtime.search_poller.poll().polled, message="a search poll")
    desk.runtime.jobs.kick()


def test_search_hits_without_a_mention_are_dm_only_and_never_doubled(search_desk):
    desk = search_desk
    hit = desk.x.post_as_customer(username="flyer",
                                  text="Acme Air lost my luggage again, how do I claim it?")
    both = desk.x.post_as_customer(username="other", text="@acme acmeair where is my bag?")
    poll_search(desk)
    desk.poll()
    poll_search(desk)
    parent = desk.parent_for(hit)
    desk.parent_for(both)
    assert len(desk.parents()) == 2
    assert "DM only" in str(parent["blocks"])
    assert "DM only" not in str(desk.parent_for(both)["blocks"])
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=_draft_view())
    assert "radio_buttons" not in str(view) and "DM only" in str(view)
    status = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert "*X reads this month:* 3 (mentions 1 · search 2)" in status["text"]
    assert "est. $0.02" in status["text"] and "100% of the monthly cap of 3" in status["text"]
    assert "monthly read cap is reached" in status["text"]


def _draft_view():
    from bot.render.ids import ViewId

    return ViewId.DRAFT
