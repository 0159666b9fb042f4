"""CareDesk against storage on a throwaway database: claiming, drafting, reviewing,
closing, each as one compare-and-set that returns the case as it now is."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from bot.domain.case import CaseState, CloseReason
from bot.domain.model import Channel, DraftStatus
from bot.render import strings
from storage.cases import CaseStore
from storage.outbox import XOutbox
from tests.unit.services_kit import (
    AGENT,
    LEAD,
    OTHER_AGENT,
    OTHER_LEAD,
    Clock,
    Kicks,
    actions,
    awaiting_approval,
    make_desk,
    open_case,
)


@contextmanager
def counted_statements(db):
    """Every SQL statement sent to the database while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_claim_has_one_winner_and_a_double_click_is_harmless(db):
    clock, kicks = Clock(), Kicks()
    desk = make_desk(db, clock, kicks)
    case_id = open_case(desk.store, clock)
    first = desk.claim(case_id=case_id, user_id=AGENT)
    assert first.ok and first.case.state is CaseState.CLAIMED and first.case.assignee_id == AGENT
    assert desk.claim(case_id=case_id, user_id=AGENT).ok  # the same agent again
    late = desk.claim(case_id=case_id, user_id=OTHER_AGENT)
    assert not late.ok
    assert late.message == strings.ALREADY_CLAIMED.format(assignee=strings.user(AGENT))
    assert actions(desk.store, case_id) == ["opened", "claim"]
    assert kicks.count == 1


def test_only_the_assignee_or_a_lead_unclaims(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    desk.claim(case_id=case_id, user_id=AGENT)
    refused = desk.unclaim(case_id=case_id, user_id=OTHER_AGENT)
    assert not refused.ok and refused.message == strings.NOT_YOURS.format(
        assignee=strings.user(AGENT))
    assert desk.store.get(case_id).assignee_id == AGENT
    by_lead = desk.unclaim(case_id=case_id, user_id=LEAD)
    assert by_lead.ok and by_lead.case.state is CaseState.NEW and by_lead.case.assignee_id is None


def test_every_step_returns_the_case_exactly_as_stored(db):
    clock = Clock()
    desk = make_desk(db, clock)
    store = desk.store
    case_id = open_case(store, clock)
    steps = [
        lambda: desk.claim(case_id=case_id, user_id=AGENT),
        lambda: desk.submit_draft(case_id=case_id, user_id=AGENT, text="Sorry about that!"),
        lambda: desk.request_changes(case_id=case_id, user_id=LEAD, draft_id=None,
                                     reason="Say which order."),
        lambda: desk.submit_draft(case_id=case_id, user_id=AGENT, text="Your order 1 is late.",
                                  channel=Channel.BOTH, dm_text="Can you DM the number?"),
        lambda: desk.approve(case_id=case_id, user_id=LEAD),
    ]
    for step in steps:
        clock.advance(minutes=5)
        outcome = step()
        assert outcome.ok, outcome.message
        assert outcome.case == store.get(case_id)
    assert store.get(case_id).state is CaseState.APPROVED
    assert actions(store, case_id) == ["opened", "claim", "submit_draft", "request_changes",
                                       "submit_draft", "approve"]


def test_approve_queues_the_reply_and_marks_the_draft(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock, text="We are on it.")
    outcome = desk.approve(case_id=case_id, user_id=LEAD)
    assert outcome.ok and outcome.case.state is CaseState.APPROVED
    assert outcome.case.latest_draft.status is DraftStatus.APPROVED
    assert outcome.case.latest_draft.reviewer_id == LEAD
    assert XOutbox(db).statuses() == [(case_id, "pending", None)]
    again = desk.approve(case_id=case_id, user_id=OTHER_LEAD)  # a second lead, too late
    assert not again.ok and again.case.state is CaseState.APPROVED
    assert XOutbox(db).statuses() == [(case_id, "pending", None)]


def test_approve_reads_the_case_once_in_one_transaction(db):
    """One BEGIN, the case's reads, then the writes: the case update, its event, the draft,
    the outbound reply and two Slack rows (parent update and thread note)."""
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock)
    with counted_statements(db) as statements:
        assert desk.approve(case_id=case_id, user_id=LEAD).ok
    assert len(statements) <= 15, "\n".join(statements)
    assert sum(s.strip().upper().startswith("BEGIN") for s in statements) <= 1


def test_a_stale_draft_is_not_approved(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock, text="First try.")
    old = desk.store.get(case_id).latest_draft.id
    desk.submit_draft(case_id=case_id, user_id=AGENT, text="Second try.")
    outcome = desk.approve(case_id=case_id, user_id=LEAD, draft_id=old)
    assert not outcome.ok and outcome.message == strings.STALE_DRAFT
    assert desk.store.get(case_id).state is CaseState.AWAITING_APPROVAL


def test_approving_ones_own_draft_is_refused_and_recorded(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    desk.claim(case_id=case_id, user_id=LEAD)
    desk.submit_draft(case_id=case_id, user_id=LEAD, text="I wrote this myself.")
    outcome = desk.approve(case_id=case_id, user_id=LEAD)
    assert not outcome.ok and outcome.message == strings.OWN_DRAFT
    refused = [e for e in desk.store.events(case_id) if e.action == "approval_refused"]
    assert [e.detail for e in refused] == [strings.OWN_DRAFT]
    assert desk.store.get(case_id).state is CaseState.AWAITING_APPROVAL


def test_a_non_lead_cannot_approve(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock)
    outcome = desk.approve(case_id=case_id, user_id=OTHER_AGENT)
    assert not outcome.ok
    assert outcome.message == strings.NOT_A_LEAD.format(leads=desk.leads.mention_list())
    assert "approval_refused" in actions(desk.store, case_id)


def test_asking_changes_on_ones_own_draft_is_recorded_as_that(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    desk.claim(case_id=case_id, user_id=LEAD)
    desk.submit_draft(case_id=case_id, user_id=LEAD, text="I wrote this myself.")
    outcome = desk.request_changes(case_id=case_id, user_id=LEAD, draft_id=None,
                                   reason="Hm.")
    assert not outcome.ok
    assert "approve" not in outcome.message
    recorded = actions(desk.store, case_id)
    assert "approval_refused" not in recorded
    assert recorded[-1] == "changes_refused"
    assert "tried to approve" not in strings.note_refused(LEAD, outcome.message,
                                                          attempt="request_changes")


def test_the_modal_check_for_changes_records_a_changes_refusal(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    desk.claim(case_id=case_id, user_id=LEAD)
    desk.submit_draft(case_id=case_id, user_id=LEAD, text="Mine.")
    assert not desk.can_review(case_id=case_id, user_id=LEAD, draft_id=None).ok
    assert actions(desk.store, case_id)[-1] == "changes_refused"


def test_submitting_needs_the_assignee(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    assert desk.submit_draft(case_id=case_id, user_id=AGENT, text="Hi").message \
        == strings.CLAIM_FIRST
    desk.claim(case_id=case_id, user_id=AGENT)
    refused = desk.submit_draft(case_id=case_id, user_id=OTHER_AGENT, text="Hi")
    assert not refused.ok and desk.store.get(case_id).latest_draft is None
    moved = desk.submit_draft(case_id=case_id, user_id=AGENT, text="Please DM us.",
                              channel=Channel.DM)
    assert moved.ok and moved.case.moved_to_dm and moved.case.latest_draft.channel is Channel.DM


def test_close_twice_is_a_double_click_and_reopen_restarts_the_clock(db):
    clock = Clock()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    due_before = desk.store.get(case_id).sla_due_at
    closed = desk.close(case_id=case_id, user_id=AGENT, reason=CloseReason.SPAM)
    assert closed.ok and closed.case.state is CaseState.IGNORED
    assert closed.case.close_reason == "spam"
    assert desk.close(case_id=case_id, user_id=AGENT, reason=CloseReason.SPAM).ok
    assert not desk.close(case_id=case_id, user_id=AGENT, reason=CloseReason.RESOLVED).ok
    clock.advance(hours=3)
    reopened = desk.reopen(case_id=case_id, user_id=AGENT)
    assert reopened.ok and reopened.case.close_reason is None
    assert reopened.case.sla_due_at is not None and reopened.case.sla_due_at != due_before
    assert reopened.case == desk.store.get(case_id)


def test_no_such_case(db):
    desk = make_desk(db, Clock())
    assert desk.claim(case_id=404, user_id=AGENT).message == strings.NO_SUCH_CASE
    assert desk.approve(case_id=404, user_id=LEAD).message == strings.NO_SUCH_CASE
    assert isinstance(desk.store, CaseStore)
