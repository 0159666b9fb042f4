"""A stateful property test of the X outbox: storage.outbox.XOutbox and ReplySender against
an in-memory X that can post-then-fail, fail without posting, reject, rate-limit, and
crash the worker (before or after X stored the post), with several workers, lease expiry
through an injected clock, double approvals, retries and edits after a failure.

Invariants: never more than one post per draft, never two replies to one case; once
everything is settled, every approved draft is sent and has exactly one post, which is
the one recorded on its outbox row.

Two X models: one with X's duplicate-content refusal (403) and slow workers whose lease
runs out while they wait (only that refusal can save those), one without it, where only
the bot's own reconciliation protects against doubles.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
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

    cases = Bundle("cases")

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
    @initialize(target=cases)
    def first_case(self) -> int:
        return self._new_case()

    @precondition(lambda self: len(self.case_posts) < 3)
    @rule(target=cases)
    def another_case(self) -> int:
        return self._new_case()

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

    @rule(case_id=cases, twice=st.booleans())
    def approve(self, case_id: int, twice: bool) -> None:
        self.desk.approve(case_id=case_id, user_id=LEAD)
        if twice:  # a double click, or two leads at once
            self.desk.approve(case_id=case_id, user_id=LEAD)

    @rule(case_id=cases)
    def retry_send(self, case_id: int) -> None:
        self.desk.retry_send(case_id=case_id, user_id=AGENT)

    @rule(case_id=cases)
    def edit_after_failure(self, case_id: int) -> None:
        self.desk.submit_draft(case_id=case_id, user_id=AGENT, text=self._text())

    # --- X and the workers ------------------------------------------------------------------
    @rule(outcome=st.sampled_from(POST_OUTCOMES))
    def next_post_goes(self, outcome: str) -> None:
        self.x.post_script.append(outcome)

    @rule(outcome=st.sampled_from(READ_OUTCOMES))
    def next_read_goes(self, outcome: str) -> None:
        self.x.read_script.append(outcome)

    @rule(seconds=st.sampled_from([1, 3, 10, 70, 130, 400]))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(worker=st.sampled_from(WORKERS))
    def deliver(self, worker: str) -> None:
        if self.held[worker]:
            return  # this worker is paused in the middle of its own batch
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
                                    OutboundRow.x_post_id, OutboundRow.text)).all()
        counts = self._posts_per(lambda p: (p.in_reply_to_post_id, p.text))
        for case_id, status, x_post_id, text in rows:
            assert status == "sent", f"case {case_id}: approved reply ended {status}"
            assert counts.get((self.case_posts[case_id], text)) == 1
        approved = {(self.case_posts[c], t) for c, _, _, t in rows}
        assert set(counts) <= approved, "a post that no outbox row accounts for"


class WithDuplicateRefusal(OutboxMachine):
    refuse_duplicates = True
    slow_workers = True


class WithoutDuplicateRefusal(OutboxMachine):
    refuse_duplicates = False
    slow_workers = False


SETTINGS = settings(max_examples=40, stateful_step_count=25, deadline=None,
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
