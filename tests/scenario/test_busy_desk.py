"""A busy desk: acks do not wait for database work, reads do not wait for writers, and
the Slack outbox drains in one run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.case import CaseState
from bot.domain.model import Author, InboundPost
from bot.render.ids import ActionId, ViewId
from bot.runtime import CLICK_WORKERS
from bot.services.slack_sync import SlackSync
from bot.slack_out import ChannelPacer, SlackOut, build_web_client
from sandbox.fake_slack import FakeSlack
from storage.cases import CaseStore, queue_slack
from storage.db import Database
from storage.models import CaseRow, SlackOutboxRow
from storage.outbox import SlackOutbox
from tests.scenario.harness import CHANNEL, wait_until

TOKEN = "xoxb-test-drain-token"
CLICKS = 40  # more than Bolt's 32 listener threads: each must ack though all work waits


def test_clicks_are_acked_while_their_case_is_locked_by_a_writer(desk):
    parent = desk.parent_for(desk.mention("@acme my flight was cancelled"))
    case_id = desk.runtime.store.events(1)[0].case_id
    agents = [f"UAGENT{i}" for i in range(CLICKS)]
    with desk.runtime.db.transaction() as s:
        # Hold the case (and, on SQLite, the write lock) until every click has its answer.
        s.execute(select(CaseRow.id).where(CaseRow.id == case_id).with_for_update())
        s.execute(CaseRow.__table__.update().where(CaseRow.id == case_id)
                  .values(version=CaseRow.version))
        with ThreadPoolExecutor(CLICKS) as pool:
            responses = list(pool.map(
                lambda user: desk.click(parent, ActionId.CLAIM, user=user), agents))
        assert [r.status_code for r in responses] == [200] * CLICKS
        # Acked, but not yet done: the claims wait for the writer; reads do not.
        assert desk.runtime.store.get(case_id).state is CaseState.NEW
    desk.wait_state(parent, "Claimed")
    claims = [e.actor for e in desk.runtime.store.events(case_id) if e.action == "claim"]
    assert len(claims) == 1 and claims[0] in agents


def test_a_read_sees_the_last_commit_while_a_writer_holds_the_lock(db):
    store = CaseStore(db)
    case_id = store.open_case(post=_post("601"), channel=CHANNEL, now=datetime.now(UTC))
    with db.transaction() as s:
        s.execute(CaseRow.__table__.update().where(CaseRow.id == case_id)
                  .values(assignee_id="UWRITER"))
        with db.read() as r:
            assert r.scalar(select(CaseRow.assignee_id).where(CaseRow.id == case_id)) is None
        assert store.get(case_id).assignee_id is None
    assert store.get(case_id).assignee_id == "UWRITER"


def test_one_run_drains_more_than_a_batch_of_due_messages(database_url):
    db = Database.connect(database_url)
    with FakeSlack(bot_token=TOKEN) as slack:
        slack.add_channel(channel_id=CHANNEL, name="care")
        out = SlackOut(build_web_client(token=TOKEN, base_url=slack.url),
                       pacer=ChannelPacer(per_second=0))
        now = datetime.now(UTC)
        sync = SlackSync(outbox=SlackOutbox(db), store=CaseStore(db), slack=out,
                         clock=lambda: datetime.now(UTC), owner="drain")
        case_id = CaseStore(db).open_case(post=_post("602"), channel=CHANNEL, now=now)
        with db.transaction() as s:
            for i in range(120):  # over two claim batches of 50, behind the parent
                queue_slack(s, case_id=case_id, kind="note", now=now, text=f"note {i}")

        assert sync.deliver_due() == 121

        parent_ts = CaseStore(db).get(case_id).slack_ts
        thread = [m.get("text") or "" for m in slack.thread(CHANNEL, parent_ts)]
        assert sum(t.startswith("note ") or "note " in t for t in thread) == 120
        assert SlackOutbox(db).pending() == 0
    db.dispose()


def _post(post_id: str) -> InboundPost:
    return InboundPost(id=post_id, text="@acme where is my bag?", created_at=datetime.now(UTC),
                       author=Author(id="42", username="jane", name="Jane", followers=3),
                       conversation_id=post_id)


@contextmanager
def _drain_desk(database_url: str) -> Iterator[tuple[Database, FakeSlack, SlackOut, SlackSync]]:
    """A database, a fake Slack with the care channel, and the Slack outbox's worker that
    delivers to it unpaced (a test sets a pacer where it needs one)."""
    db = Database.connect(database_url)
    try:
        with FakeSlack(bot_token=TOKEN) as slack:
            slack.add_channel(channel_id=CHANNEL, name="care")
            out = SlackOut(build_web_client(token=TOKEN, base_url=slack.url),
                           pacer=ChannelPacer(per_second=0))
            sync = SlackSync(outbox=SlackOutbox(db), store=CaseStore(db), slack=out,
                             clock=lambda: datetime.now(UTC), owner="drain")
            yield db, slack, out, sync
    finally:
        db.dispose()


def test_a_parent_update_goes_out_before_notes_queued_earlier(database_url):
    with _drain_desk(database_url) as (db, slack, out, sync):
        now = datetime.now(UTC)
        store = CaseStore(db)
        busy, clicked = (store.open_case(post=_post(p), channel=CHANNEL, now=now)
                         for p in ("603", "604"))
        sync.deliver_due()  # both parents
        with db.transaction() as s:
            for i in range(30):
                queue_slack(s, case_id=busy, kind="note", now=now, text=f"note {i}")
            queue_slack(s, case_id=clicked, kind="update", now=now)

        assert sync.deliver_due() == 31

        calls = [c["method"] for c in slack.calls if c["method"].startswith("chat.")]
        first_update = calls.index("chat.update")
        assert calls[:first_update] == ["chat.postMessage"] * 2  # the parents, no note yet


def test_an_update_queued_while_a_note_waits_for_the_pace_goes_out_first(database_url):
    with _drain_desk(database_url) as (db, slack, out, sync):
        now = datetime.now(UTC)
        store = CaseStore(db)
        noted, clicked = (store.open_case(post=_post(p), channel=CHANNEL, now=now)
                          for p in ("605", "606"))
        sync.deliver_due()  # both parents
        out.pacer = ChannelPacer(per_second=0.5, burst=1)
        out.pacer.wait(CHANNEL)  # the channel's one post is spent: the next waits 2 s
        with db.transaction() as s:
            queue_slack(s, case_id=noted, kind="note", now=now, text="a note")
        with ThreadPoolExecutor(1) as pool:
            run = pool.submit(sync.deliver_due)
            wait_until(lambda: _held_notes(db) == 1, message="the note claimed, waiting")
            with db.transaction() as s:  # a click on the other case, while the note waits
                queue_slack(s, case_id=clicked, kind="update", now=datetime.now(UTC))
            sync.wake()
            assert run.result(timeout=30) == 2

        calls = [c["method"] for c in slack.calls if c["method"].startswith("chat.")]
        assert calls[2:] == ["chat.update", "chat.postMessage"]


def _held_notes(db: Database) -> int:
    with db.read() as s:
        return len(s.scalars(select(SlackOutboxRow.id).where(
            SlackOutboxRow.kind == "note", SlackOutboxRow.lease_owner.is_not(None))).all())


def test_a_modal_click_opens_its_modal_while_other_clicks_wait_for_work(desk):
    """Draft opens at once though every click-work thread is busy: Slack's trigger_id
    lasts 3 seconds. A claim queued behind the busy threads lands once they free up."""
    parent = desk.parent_for(desk.mention("@acme my refund never came"))
    desk.click(parent, ActionId.CLAIM, user="UAGENT1")
    desk.wait_state(parent, "Claimed")
    busy = threading.Event()
    pool = desk.runtime.click_work
    held = [pool.submit(busy.wait, 30) for _ in range(CLICK_WORKERS)]
    try:
        view = desk.open_modal(parent, ActionId.DRAFT, user="UAGENT1",
                               callback_id=ViewId.DRAFT)
        assert view["callback_id"] == ViewId.DRAFT.value
        desk.click(parent, ActionId.UNCLAIM, user="UAGENT1")
        case_id = desk.runtime.store.events(1)[0].case_id
        assert desk.runtime.store.get(case_id).state is CaseState.CLAIMED  # still queued
    finally:
        busy.set()
    assert all(f.result(timeout=10) for f in held)
    wait_until(lambda: desk.runtime.store.get(case_id).state is CaseState.NEW,
               message="the queued unclaim worked")
