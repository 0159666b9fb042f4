"""ReplySender against storage on a throwaway database and an X in memory: an approved
draft is posted once, and the case records the outcome."""

from __future__ import annotations

from bot.domain.case import CaseState
from bot.domain.model import Channel
from bot.services.sending import ReplySender
from bot.x.client import XRejected
from storage.outbox import XOutbox
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    LEAD,
    Clock,
    MemoryX,
    actions,
    awaiting_approval,
    make_desk,
    open_case,
)


def sender(db, clock, x) -> ReplySender:
    return ReplySender(outbox=XOutbox(db), store=make_desk(db, clock).store, x=x,
                       brand=lambda: BRAND, clock=clock, owner="worker-1")


def test_an_approved_reply_is_posted_once_and_the_case_is_replied(db):
    clock, x = Clock(), MemoryX()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock, text="We are on it.")
    source = desk.store.get(case_id).source_post_id
    desk.approve(case_id=case_id, user_id=LEAD)
    assert sender(db, clock, x).deliver_due() == 1
    assert sender(db, clock, x).deliver_due() == 0
    assert [(r.text, r.in_reply_to_post_id) for r in x.replies] == [("We are on it.", source)]
    case = desk.store.get(case_id)
    assert case.state is CaseState.REPLIED
    assert case.sent_post_ids == (x.replies[0].id,)
    assert actions(desk.store, case_id)[-2:] == ["start_send", "send_succeeded"]
    assert XOutbox(db).statuses() == [(case_id, "sent", x.replies[0].id)]


def test_a_public_reply_and_a_dm_both_settle(db):
    clock, x = Clock(), MemoryX()
    desk = make_desk(db, clock)
    case_id = open_case(desk.store, clock)
    desk.claim(case_id=case_id, user_id=AGENT)
    desk.submit_draft(case_id=case_id, user_id=AGENT, text="Sent you a DM.",
                      channel=Channel.BOTH, dm_text="Your order number, please?")
    desk.approve(case_id=case_id, user_id=LEAD)
    assert sender(db, clock, x).deliver_due() == 2
    assert len(x.replies) == 1 and [t for _, _, t in x.dms] == ["Your order number, please?"]
    case = desk.store.get(case_id)
    assert case.state is CaseState.REPLIED and len(case.sent_post_ids) == 2
    assert actions(desk.store, case_id)[-1] == "sent"  # the second half, recorded after


def test_a_rejected_reply_fails_the_case_with_the_reason_and_can_be_retried(db):
    clock, x = Clock(), MemoryX()
    desk = make_desk(db, clock)
    case_id = awaiting_approval(desk, clock)
    desk.approve(case_id=case_id, user_id=LEAD)
    x.fail_next.append(XRejected("X answered 400: invalid", 400))
    assert sender(db, clock, x).deliver_due() == 1
    failed = desk.store.get(case_id)
    assert failed.state is CaseState.SEND_FAILED and failed.last_error == "X answered 400: invalid"
    retried = desk.retry_send(case_id=case_id, user_id=AGENT)
    assert retried.ok and retried.case.state is CaseState.APPROVED
    assert retried.case == desk.store.get(case_id) and retried.case.last_error is None
    clock.advance(minutes=1)
    assert sender(db, clock, x).deliver_due() == 1
    assert desk.store.get(case_id).state is CaseState.REPLIED and len(x.replies) == 1

