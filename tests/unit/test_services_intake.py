"""Intake against storage on a throwaway database: a post opens a case, a follow-up lands in
its case's thread (once), and a customer writing again reopens it with a new clock."""

from __future__ import annotations

from bot.domain.case import CaseState, CloseReason
from bot.domain.model import Author
from bot.domain.triage import Triager
from bot.services.intake import Intake, Routing
from bot.services.screening import Screening
from storage.screening import FilteredPosts, MutedAuthors
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    JANE,
    LEAD,
    Clock,
    MemoryX,
    actions,
    make_desk,
    policy,
    post,
)
from tests.unit.test_services_sending import sender

COMPLAINT = "@acme my order 1234 never arrived and nobody answers, please help"
_TRIAGER = Triager()


def intake(db, clock, *, sticky: bool = False) -> Intake:
    return Intake(store=make_desk(db, clock).store, policy=policy(), channel="C0CARE",
                  clock=clock, filtered=FilteredPosts(db),
                  screening=Screening(triager=_TRIAGER, muted=MutedAuthors(db),
                                      brand=lambda: BRAND),
                  routing=Routing(sticky_assign=sticky))


def only_case(service: Intake):
    counts = service.store.count_by_state()
    assert sum(counts.values()) == 1, counts
    return service.store.get(1)


def test_a_post_opens_a_case_once(db):
    clock = Clock()
    service = intake(db, clock)
    first = post(text=COMPLAINT, at=clock())
    assert service.receive(first) == "opened"
    assert service.receive(first) == "seen"
    case = only_case(service)
    assert case.state is CaseState.NEW and case.customer == JANE
    assert case.sla_due_at is not None and case.sla_due_at > clock()
    assert actions(service.store, case.id) == ["opened"]


def test_a_follow_up_while_we_owe_an_answer_joins_the_thread_without_a_state_change(db):
    clock = Clock()
    service = intake(db, clock)
    first = post(text=COMPLAINT)
    service.receive(first)
    version = service.store.get(1).version
    again = post(text="@acme hello??", conversation_id=first.conversation_id)
    assert service.receive(again) == "followup"
    assert service.receive(again) == "seen"
    case = service.store.get(1)
    assert case.state is CaseState.NEW and case.version == version + 1
    assert case.latest_customer_post_id == again.id


def test_a_dm_follow_up_moves_the_case_to_dm(db):
    clock = Clock()
    service = intake(db, clock)
    service.receive(post(text=COMPLAINT))
    assert service.receive(post(text="here is my order number", kind="dm")) == "followup"
    assert service.store.get(1).moved_to_dm


def test_the_customer_writing_after_our_answer_goes_back_to_the_agent(db):
    clock, x = Clock(), MemoryX()
    service = intake(db, clock)
    desk = make_desk(db, clock)
    first = post(text=COMPLAINT)
    service.receive(first)
    desk.claim(case_id=1, user_id=AGENT)
    desk.submit_draft(case_id=1, user_id=AGENT, text="So sorry, checking now.")
    desk.approve(case_id=1, user_id=LEAD)
    sender(db, clock, x).deliver_due()
    assert desk.store.get(1).state is CaseState.REPLIED
    clock.advance(hours=2)
    answer = post(text="@acme thanks, still waiting", conversation_id=first.conversation_id,
                  at=clock())
    assert service.receive(answer) == "followup"
    case = desk.store.get(1)
    assert case.state is CaseState.CLAIMED and case.assignee_id == AGENT
    assert case.sla_due_at > clock()
    assert actions(desk.store, 1)[-1] == "followup_assigned"


def test_writing_again_after_close_reopens_the_case_unassigned(db):
    clock = Clock()
    service = intake(db, clock)
    desk = make_desk(db, clock)
    first = post(text=COMPLAINT)
    service.receive(first)
    desk.claim(case_id=1, user_id=AGENT)
    desk.close(case_id=1, user_id=AGENT, reason=CloseReason.RESOLVED)
    clock.advance(days=1)
    again = post(text="@acme it happened again", conversation_id=first.conversation_id)
    assert service.receive(again) == "followup"
    case = desk.store.get(1)
    assert case.state is CaseState.NEW and case.assignee_id is None
    assert case.close_reason is None
    assert actions(desk.store, 1)[-1] == "followup"


def test_someone_else_in_the_conversation_is_shown_not_counted(db):
    clock = Clock()
    service = intake(db, clock)
    first = post(text=COMPLAINT)
    service.receive(first)
    bystander = post(text="@acme same here", conversation_id=first.conversation_id,
                     author=Author(id="77", username="bob", name="Bob"))
    assert service.receive(bystander) == "followup"
    case = service.store.get(1)
    assert case.state is CaseState.NEW and case.latest_customer_post_id == first.id


def test_a_returning_customer_goes_to_their_last_agent_with_sticky_assignment(db):
    clock = Clock()
    service = intake(db, clock, sticky=True)
    desk = make_desk(db, clock)
    service.receive(post(text=COMPLAINT))
    desk.claim(case_id=1, user_id=AGENT)
    desk.close(case_id=1, user_id=AGENT, reason=CloseReason.RESOLVED)
    clock.advance(days=10)  # past the reopen window: a new case
    assert service.receive(post(text="@acme another order went missing, help")) == "opened"
    second = desk.store.get(2)
    assert second.state is CaseState.CLAIMED and second.assignee_id == AGENT
    assert second.history.earlier_cases == 1
