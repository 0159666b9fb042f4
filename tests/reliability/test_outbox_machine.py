"""A stateful property test of the X outbox: storage.outbox.XOutbox and ReplySender against
an in-memory X that can post-then-fail, fail without posting, reject, rate-limit, and
crash the worker (before or after X stored the post), with several workers, lease expiry
through an injected clock, double approvals, retries and edits after a failure.

Invariants: never more than one post per draft, never two replies to one case; once
everything is settled (faults off, failed sends retried), each case's newest approved draft
is sent and has exactly one post, the one recorded on its outbox row.

The plain tests at the end pin down the bugs this found or led to (fixed in
bot/services/sending.py and storage/outbox.py).

Two X models: one with X's duplicate-content refusal (403) and slow workers whose lease
runs out while they wait (only that refusal can save those), one without it, where only
the bot's own reconciliation protects against doubles.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, select

from bot.domain.model import Author, InboundPost
from bot.domain.office_hours import OfficeHours
from bot.domain.sla import SlaPolicy
from bot.services.desk import CareDesk
from bot.services.leads import LeadDirectory
from bot.services.sending import LeaseLost, ReplySender
from bot.x.client import OwnReply, XAmbiguous, XDuplicate, XRateLimited, XRejected
from storage.cases import CaseStore
from storage.db import Database
from storage.models import OutboundRow
from storage.outbox import XOutbox

AGENT, LEAD = "UAGENT1", "ULEAD1"
WORKERS = ("w0", "w1", "w2")
BRAND = ("999", "acme")
POST_OUTCOMES = ("ok", "ambiguous_after", "ambiguous_before", "reject", "rate_limit",
                 "crash_before", "crash_after")
READ_OUTCOMES = ("ok", "ambiguous", "rate_limit")
_ids = itertools.count(1)
_epoch = itertools.count(0)


class Crash(BaseException):  # noqa: N818 - not an error the bot could catch: the process dies
    """The worker process dies (kill -9) in the middle of a call to X."""


class MemoryX:
    """Just enough of bot.x.client.XClient for ReplySender, with scripted outcomes."""

    def __init__(self, *, refuse_duplicates: bool) -> None:
        self.refuse_duplicates = refuse_duplicates
        self.posts: list[OwnReply] = []
        self.post_script: list[str] = []
        self.read_script: list[str] = []

    def post_reply(self, *, text: str, in_reply_to_post_id: str) -> str:
        outcome = self.post_script.pop(0) if self.post_script else "ok"
        if outcome == "reject":
            raise XRejected("X answered 400: invalid", 400)
        if outcome == "rate_limit":
            raise XRateLimited("X answered 429", None)
        if outcome == "ambiguous_before":
            raise XAmbiguous("no answer from X (ReadTimeout)")
        if outcome == "crash_before":
            raise Crash()
        if self.refuse_duplicates and any(p.text == text for p in self.posts):
            raise XDuplicate("X answered 403: You are not allowed to create a Tweet with "
                             "duplicate content.")
        post = OwnReply(id=str(10**18 + next(_ids)), text=text,
                        in_reply_to_post_id=in_reply_to_post_id)
        self.posts.append(post)
        if outcome == "ambiguous_after":
            raise XAmbiguous("X answered 503")
        if outcome == "crash_after":
            raise Crash()
        return post.id

    def recent_replies(self, *, user_id: str, max_results: int = 100) -> list[OwnReply]:
        outcome = self.read_script.pop(0) if self.read_script else "ok"
        if outcome == "ambiguous":
            raise XAmbiguous("X answered 503")
        if outcome == "rate_limit":
            raise XRateLimited("X answered 429", None)
        return list(reversed(self.posts))[:max_results]


class OutboxMachine(RuleBasedStateMachine):
    database_url: str = ""
    refuse_duplicates = True
    slow_workers = True

    def __init__(self) -> None:
        super().__init__()
        self.db = Database.connect(self.database_url, migrate=False)
        with self.db.transaction() as s:  # examples share the database: start from no rows
            s.execute(delete(OutboundRow))
        # each example on its own day, so that no time of an earlier one is in the future
        self.now = datetime(2030, 1, 1, 9, tzinfo=UTC) + timedelta(days=next(_epoch))
        self.x = MemoryX(refuse_duplicates=self.refuse_duplicates)
        self.store = CaseStore(self.db)
        self.desk = CareDesk(store=self.store,
                             leads=LeadDirectory(lead_ids=(LEAD,), members_of=lambda _g: []),
                             policy=SlaPolicy(hours=OfficeHours()), clock=self.clock)
        self.outbox = XOutbox(self.db)
        self.senders = {w: ReplySender(outbox=self.outbox, store=self.store, x=self.x,
                                       brand=lambda: BRAND, clock=self.clock, owner=w)
                        for w in WORKERS}
        self.held: dict[str, list] = {w: [] for w in WORKERS}
        self.case_posts: dict[int, str] = {}  # case id -> the customer's post id
        self.texts = itertools.count(1)

    def clock(self) -> datetime:
        return self.now

    def teardown(self) -> None:
        self.db.dispose()

    # --- customers and agents -------------------------------------------------------------
    @initialize()
    def first_case(self) -> None:
        self._new_case()

    @precondition(lambda self: len(self.case_posts) < 3)
    @rule()
    def another_case(self) -> None:
        self._new_case()

    def _new_case(self) -> int:
        post_id = str(next(_ids))
        post = InboundPost(id=post_id, text="@acme where is my bag?",
                           author=Author(id="42", username="jane", name="Jane", followers=3),
                           created_at=self.now, conversation_id=post_id)
        case_id = self.store.open_case(post=post, channel="C0CARE", now=self.now)
        assert self.desk.claim(case_id=case_id, user_id=AGENT).ok
        assert self.desk.submit_draft(case_id=case_id, user_id=AGENT, text=self._text()).ok
        self.case_posts[case_id] = post_id
        return case_id

    def _text(self) -> str:
        return f"Sorry! We are on it, reference {next(_ids)}-{next(self.texts)}."

    def _in_state(self, state: str) -> list[int]:
        return [c for c in self.case_posts if self.store.get(c).state.value == state]

    @precondition(lambda self: self._in_state("awaiting_approval"))
    @rule(data=st.data(), twice=st.booleans())
    def approve(self, data, twice: bool) -> None:
        case_id = data.draw(st.sampled_from(self._in_state("awaiting_approval")))
        self.desk.approve(case_id=case_id, user_id=LEAD)
        if twice:  # a double click, or two leads at once
            self.desk.approve(case_id=case_id, user_id=LEAD)

    @precondition(lambda self: self._in_state("send_failed"))
    @rule(data=st.data())
    def retry_send(self, data) -> None:
        case_id = data.draw(st.sampled_from(self._in_state("send_failed")))
        self.desk.retry_send(case_id=case_id, user_id=AGENT)

    @precondition(lambda self: self._in_state("send_failed"))
    @rule(data=st.data())
    def edit_after_failure(self, data) -> None:
        case_id = data.draw(st.sampled_from(self._in_state("send_failed")))
        self.desk.submit_draft(case_id=case_id, user_id=AGENT, text=self._text())

    # --- X and the workers ------------------------------------------------------------------
    @rule(seconds=st.sampled_from([1, 3, 10, 70, 130, 400]))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(worker=st.sampled_from(WORKERS), post=st.sampled_from(POST_OUTCOMES),
          read=st.sampled_from(READ_OUTCOMES))
    def deliver(self, worker: str, post: str, read: str) -> None:
        """A worker's delivery round; X's next post and next read go as given."""
        if self.held[worker]:
            return  # this worker is stalled in the middle of its own batch
        self.x.post_script[:] = [post]
        self.x.read_script[:] = [read]
        try:
            self.senders[worker].deliver_due()
        except Crash:
            pass  # the process died: whatever it had claimed stays leased to it

    @precondition(lambda self: self.slow_workers)
    @rule(worker=st.sampled_from(WORKERS))
    def claim_then_stall(self, worker: str) -> None:
        """A worker claims its batch and then stalls (GC pause, slow network)."""
        if not self.held[worker]:
            self.held[worker] = self.outbox.claim_due(owner=worker, now=self.now,
                                                      lease_seconds=120)

    @precondition(lambda self: self.slow_workers)
    @rule(worker=st.sampled_from(WORKERS))
    def stalled_worker_resumes(self, worker: str) -> None:
        self.x.post_script.clear()
        self.x.read_script.clear()
        self._resume(worker)

    def _resume(self, worker: str) -> None:
        jobs, self.held[worker] = self.held[worker], []
        sender = self.senders[worker]
        for job in jobs:
            try:
                sender._deliver(job)
            except LeaseLost:
                continue
            except Crash:
                return

    # --- what must always hold -------------------------------------------------------------
    def _posts_per(self, key) -> dict:
        counts: dict = {}
        for p in self.x.posts:
            counts[key(p)] = counts.get(key(p), 0) + 1
        return counts

    @invariant()
    def never_two_posts_of_one_draft(self) -> None:
        doubled = {k: n for k, n in self._posts_per(
            lambda p: (p.in_reply_to_post_id, p.text)).items() if n > 1}
        assert not doubled, f"a draft was posted more than once: {doubled}"

    @invariant()
    def never_two_replies_to_one_case(self) -> None:
        doubled = {k: n for k, n in self._posts_per(lambda p: p.in_reply_to_post_id).items()
                   if n > 1}
        assert not doubled, f"a customer got more than one reply: {doubled}"

    @invariant()
    def sent_rows_point_at_their_post(self) -> None:
        posts = {p.id: p for p in self.x.posts}
        with self.db.transaction() as s:
            rows = s.execute(select(OutboundRow.status, OutboundRow.x_post_id,
                                    OutboundRow.text)).all()
        for status, x_post_id, text in rows:
            if status == "sent":
                assert x_post_id in posts and posts[x_post_id].text == text

    # --- once everything is settled -------------------------------------------------------
    def settle(self) -> None:
        self.x.post_script.clear()
        self.x.read_script.clear()
        for worker in WORKERS:
            self._resume(worker)
        for _ in range(12):
            for case_id in self.case_posts:
                self.desk.approve(case_id=case_id, user_id=LEAD)
                self.desk.retry_send(case_id=case_id, user_id=AGENT)
            self.now += timedelta(seconds=400)
            self.senders["w0"].deliver_due()
            with self.db.transaction() as s:
                open_rows = s.scalar(select(OutboundRow.id).where(
                    OutboundRow.status != "sent").limit(1))
            if open_rows is None:
                break
        with self.db.transaction() as s:
            rows = s.execute(select(OutboundRow.case_id, OutboundRow.status,
                                    OutboundRow.x_post_id, OutboundRow.text)
                             .order_by(OutboundRow.id)).all()
        latest = {case_id: (status, x_post_id, text) for case_id, status, x_post_id, text in rows}
        per_case = self._posts_per(lambda p: p.in_reply_to_post_id)
        for case_id, (status, x_post_id, text) in latest.items():
            # the newest approved draft of each case (older ones were edited after a failure)
            assert status == "sent", f"case {case_id}: approved reply ended {status}"
            post = next(p for p in self.x.posts if p.id == x_post_id)
            assert post.text == text and post.in_reply_to_post_id == self.case_posts[case_id]
            assert per_case[self.case_posts[case_id]] == 1
        assert sum(per_case.values()) == len(latest), "a post that no outbox row accounts for"
        self.never_two_replies_to_one_case()


class WithDuplicateRefusal(OutboxMachine):
    refuse_duplicates = True
    slow_workers = True


class WithoutDuplicateRefusal(OutboxMachine):
    refuse_duplicates = False
    slow_workers = False


# CARE_MACHINE_EXAMPLES=500 for a longer search
SETTINGS = settings(max_examples=int(os.environ.get("CARE_MACHINE_EXAMPLES", "30")),
                    stateful_step_count=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _run(machine_class: type[OutboxMachine], database_url: str) -> None:
    Database.connect(database_url).dispose()

    class Machine(machine_class):
        pass

    Machine.database_url = database_url

    def make() -> OutboxMachine:
        machine = Machine()
        original = machine.teardown

        def teardown() -> None:
            try:
                machine.settle()
            finally:
                original()

        machine.teardown = teardown
        return machine

    run_state_machine_as_test(make, settings=SETTINGS)


def test_outbox_with_x_duplicate_refusal_and_stalled_workers(database_url):
    _run(WithDuplicateRefusal, database_url)


def test_outbox_without_duplicate_refusal_crashes_only(database_url):
    _run(WithoutDuplicateRefusal, database_url)


def _machine(database_url: str) -> OutboxMachine:
    Database.connect(database_url).dispose()

    class Machine(WithoutDuplicateRefusal):
        pass

    Machine.database_url = database_url
    return Machine()


def test_retry_after_an_edit_sends_only_the_new_draft(database_url):
    """Found by reasoning over the machine's rules: X rejects a reply, the agent edits it,
    the lead approves, X rejects again, the agent clicks Retry: only the edited text goes."""
    m = _machine(database_url)
    try:
        case_id = m._new_case()
        first = m.store.get(case_id).latest_draft.text
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        m.x.post_script[:] = ["reject"]
        m.senders["w0"].deliver_due()
        assert m.desk.submit_draft(case_id=case_id, user_id=AGENT, text="Edited: so sorry!").ok
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        m.x.post_script[:] = ["reject"]
        m.senders["w0"].deliver_due()
        assert m.store.get(case_id).state.value == "send_failed"
        assert m.desk.retry_send(case_id=case_id, user_id=AGENT).ok
        m.now += timedelta(seconds=1)
        m.senders["w0"].deliver_due()
        assert [p.text for p in m.x.posts] == ["Edited: so sorry!"]
        assert first not in [p.text for p in m.x.posts]
        assert m.store.get(case_id).state.value == "replied"
    finally:
        m.teardown()


def test_rate_limited_reconciliation_read_still_reconciles(database_url):
    """Found by the machine (without X's duplicate refusal): X stores the reply and answers
    503; the read before the retry gets 429; the retry must read again, not post again."""
    m = _machine(database_url)
    try:
        case_id = m._new_case()
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        m.x.post_script[:] = ["ambiguous_after"]
        m.senders["w0"].deliver_due()
        m.now += timedelta(seconds=3)
        m.x.read_script[:] = ["rate_limit"]
        m.senders["w0"].deliver_due()
        for _ in range(3):
            m.now += timedelta(seconds=30)
            m.senders["w0"].deliver_due()
        assert len(m.x.posts) == 1
        assert m.outbox.statuses() == [(case_id, "sent", m.x.posts[0].id)]
    finally:
        m.teardown()


def test_giving_up_after_unconfirmed_tries_looks_for_the_last_one_first(database_url):
    """X does not confirm six tries; the sixth did post. The bot must not report a failure
    (which invites an edit and a second reply) for a reply that is on X."""
    m = _machine(database_url)
    try:
        case_id = m._new_case()
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        for outcome in ["ambiguous_before"] * 5 + ["ambiguous_after"]:
            m.x.post_script[:] = [outcome]
            m.senders["w0"].deliver_due()
            m.now += timedelta(seconds=400)
        assert len(m.x.posts) == 1
        assert m.outbox.statuses() == [(case_id, "sent", m.x.posts[0].id)]
        assert m.store.get(case_id).state.value == "replied"
    finally:
        m.teardown()


def test_duplicate_refusal_with_an_unreadable_timeline_is_not_a_failure(database_url):
    """X stored the reply but the answer was lost; the retry's read did not show it yet,
    so the bot posts again and X refuses the duplicate; the read after that fails. The reply
    is on X: it must end sent, not failed."""
    m = _machine(database_url)
    try:
        m.x.refuse_duplicates = True
        case_id = m._new_case()
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        text = m.store.get(case_id).latest_draft.text
        m.x.posts.append(OwnReply(id="77", text=text, in_reply_to_post_id=m.case_posts[case_id]))
        m.x.read_script[:] = ["ambiguous"]
        m.senders["w0"].deliver_due()  # fresh row: posts, X says duplicate, the read fails
        assert m.store.get(case_id).state.value != "send_failed"
        m.now += timedelta(seconds=30)
        m.senders["w0"].deliver_due()
        assert m.outbox.statuses() == [(case_id, "sent", "77")]
        assert len(m.x.posts) == 1
    finally:
        m.teardown()


def test_a_worker_that_stalled_past_its_lease_does_not_send(database_url):
    """Found by the machine: worker 1 claims a reply and stalls past its lease; worker 0
    takes it over, X rejects it, the agent edits the draft. When worker 1 wakes up it must
    not post the old text (the customer would get both)."""
    m = _machine(database_url)
    try:
        case_id = m._new_case()
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        stalled = m.outbox.claim_due(owner="w1", now=m.now, lease_seconds=120)
        assert len(stalled) == 1
        m.now += timedelta(seconds=400)
        m.x.post_script[:] = ["reject"]
        m.senders["w0"].deliver_due()
        assert m.desk.submit_draft(case_id=case_id, user_id=AGENT, text="Edited: so sorry!").ok
        with pytest.raises(LeaseLost):
            m.senders["w1"]._deliver(stalled[0])
        assert m.x.posts == []
        assert m.desk.approve(case_id=case_id, user_id=LEAD).ok
        m.senders["w0"].deliver_due()
        assert [p.text for p in m.x.posts] == ["Edited: so sorry!"]
    finally:
        m.teardown()
