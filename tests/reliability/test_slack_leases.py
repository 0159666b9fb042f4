"""A worker whose Slack lease runs out in the middle of a delivery never double-posts.

Two SlackSync workers share one database and the local fake Slack. Worker A is slow:
while Slack stores its first post, an hour passes (the clock is the test's), A's lease
runs out and worker B claims the same rows. Whatever kind the rows are (channel posts such
as summaries and alerts, or a case's thread notes), each message reaches Slack once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.model import Author, InboundPost
from bot.services.slack_sync import SlackSync
from bot.slack_out import ChannelPacer, SlackOut, build_web_client
from sandbox.fake_slack import FakeSlack
from storage.cases import CaseStore, queue_slack
from storage.channel_posts import ChannelPosts
from storage.db import Database
from storage.outbox import SlackOutbox
from tests.scenario.harness import FakeClock

CHANNEL = "C0CARE"
TOKEN = "xoxb-test-lease-token"


@pytest.fixture
def slack():
    with FakeSlack(bot_token=TOKEN) as fake:
        fake.add_channel(channel_id=CHANNEL, name="care")
        yield fake


@pytest.fixture
def clock():
    # Starts at the real time: Slack's message timestamps (what a look-up reads) are real.
    return FakeClock(datetime.now(UTC))


def worker(db: Database, slack: FakeSlack, clock: FakeClock, owner: str) -> SlackSync:
    out = SlackOut(build_web_client(token=TOKEN, base_url=slack.url),
                   pacer=ChannelPacer(per_second=0))
    return SlackSync(outbox=SlackOutbox(db), store=CaseStore(db), slack=out, clock=clock,
                     owner=owner, channel_posts=ChannelPosts(db))


def stall_first_post(slack: FakeSlack, clock: FakeClock, other: SlackSync) -> list[int]:
    """While Slack stores the first post, an hour passes and ``other`` delivers."""
    ran: list[int] = []

    def listener(call: dict) -> None:
        if call["method"] == "chat.postMessage" and call["ok"] and not ran:
            ran.append(1)
            clock.advance(hours=1)
            ran.append(other.deliver_due())

    slack.subscribe(listener)
    return ran


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text") or "" for m in messages]


def test_a_channel_post_outliving_its_lease_is_posted_once(database_url, slack, clock):
    db = Database.connect(database_url)
    a, b = worker(db, slack, clock, "A"), worker(db, slack, clock, "B")
    posts = ChannelPosts(db)
    posts.queue(channel=CHANNEL, text="Overnight: 3 cases", now=clock())
    posts.queue(channel=CHANNEL, text="Alert: X is not answering", now=clock())
    ran = stall_first_post(slack, clock, b)

    a.deliver_due()

    assert ran, "the slow first post never happened"
    shown = texts(slack.messages(CHANNEL))
    assert sum("Overnight: 3 cases" in t for t in shown) == 1, shown
    assert sum("Alert: X is not answering" in t for t in shown) == 1, shown
    assert posts.pending() == 0
    db.dispose()


def test_thread_notes_outliving_their_lease_are_posted_once(database_url, slack, clock):
    db = Database.connect(database_url)
    a, b = worker(db, slack, clock, "A"), worker(db, slack, clock, "B")
    store = CaseStore(db)
    post = InboundPost(id="501", text="@acme where is my bag?", created_at=clock(),
                       author=Author(id="42", username="jane", name="Jane", followers=3),
                       conversation_id="501")
    case_id = store.open_case(post=post, channel=CHANNEL, now=clock())
    a.deliver_due()  # the parent message
    parent_ts = store.get(case_id).slack_ts
    assert parent_ts
    with db.transaction() as s:
        queue_slack(s, case_id=case_id, kind="note", now=clock(), text="first note")
        queue_slack(s, case_id=case_id, kind="note", now=clock(), text="second note")
    ran = stall_first_post(slack, clock, b)

    a.deliver_due()

    assert ran, "the slow first note never happened"
    shown = texts(slack.thread(CHANNEL, parent_ts))
    assert sum("first note" in t for t in shown) == 1, shown
    assert sum("second note" in t for t in shown) == 1, shown
    assert SlackOutbox(db).pending() == 0
    db.dispose()
