"""CSAT after DM conversations: asked once, within the DM budget, sent exactly once, and a
1-5 reply recorded on the case (and read by the period reports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.case import CloseReason
from bot.domain.model import Author
from bot.services.csat import Satisfaction
from bot.x.client import XAmbiguous, XError
from storage.cases import CaseStore
from storage.csat import CsatQuestions
from storage.reports import PeriodRecords
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    JANE,
    Clock,
    Kicks,
    MemoryX,
    actions,
    make_desk,
    post,
)

QUESTION = "How did we do? Reply 1-5."


class ReachesXThenTimesOut(MemoryX):
    """The next DM reaches X, but the answer is lost (a timeout after the request left)."""

    def __init__(self) -> None:
        super().__init__()
        self.lose_answers = 0

    def send_dm(self, *, text: str, participant_id: str) -> str:
        event_id = super().send_dm(text=text, participant_id=participant_id)
        if self.lose_answers:
            self.lose_answers -= 1
            raise XAmbiguous("read timed out")
        return event_id


def build(db, *, x: MemoryX | None = None, enabled: bool = True):
    clock = Clock()
    desk = make_desk(db, clock)
    x = x or MemoryX()
    csat = Satisfaction(questions=CsatQuestions(db), x=x, brand_id=lambda: BRAND[0],
                        clock=clock, owner="host:1", text=QUESTION, enabled=enabled,
                        kick=Kicks(), wake=Kicks())
    desk.on_closed = csat.case_closed
    return desk, csat, x, clock


def dm_case(store: CaseStore, clock: Clock, *, author: Author = JANE,
            origin: str = "dm") -> int:
    case_id = store.open_case(post=post(text="my refund never came", author=author,
                                        kind="dm" if origin == "dm" else "post"),
                              channel="C0CARE", now=clock(), origin=origin,
                              brand_id=BRAND[0])
    assert case_id is not None
    return case_id


def resolve(desk, case_id: int) -> None:
    assert desk.close(case_id=case_id, user_id=AGENT, reason=CloseReason.RESOLVED).ok


def questions_to(x: MemoryX, who: str = JANE.id) -> list[str]:
    return [text for _, to, text in x.dms if to == who and text == QUESTION]


def test_a_resolved_dm_case_is_asked_once_even_when_reopened_and_resolved_again(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    assert csat.waiting() == 1
    assert csat.send_due() == 1 and questions_to(x) == [QUESTION]
    assert {"csat_queued", "csat_asked"} <= set(actions(desk.store, case_id))
    assert desk.reopen(case_id=case_id, user_id=AGENT).ok
    resolve(desk, case_id)
    assert csat.waiting() == 0 and csat.send_due() == 0
    assert questions_to(x) == [QUESTION]


def test_a_case_reopened_before_its_question_went_out_waits_until_resolved_again(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    assert desk.reopen(case_id=case_id, user_id=AGENT).ok
    assert csat.waiting() == 0 and csat.send_due() == 0 and x.dms == []
    resolve(desk, case_id)
    assert csat.waiting() == 1 and csat.send_due() == 1 and questions_to(x) == [QUESTION]


def test_only_dm_cases_closed_as_resolved_are_asked_and_only_with_csat_on(db):
    desk, csat, x, clock = build(db)
    public = dm_case(desk.store, clock, origin="mention")
    resolve(desk, public)
    spam = dm_case(desk.store, clock, author=Author(id="77", username="bot", name="B"))
    assert desk.close(case_id=spam, user_id=AGENT, reason=CloseReason.SPAM).ok
    assert csat.waiting() == 0
    off_desk, off, off_x, off_clock = build(db, enabled=False)
    resolve(off_desk, dm_case(off_desk.store, off_clock,
                              author=Author(id="78", username="ann", name="Ann")))
    assert off.waiting() == 0 and off.send_due() == 0 and off_x.dms == []


def test_questions_wait_while_more_than_five_dm_sends_are_used_in_the_window(db):
    desk, csat, x, clock = build(db)
    for n in range(7):
        resolve(desk, dm_case(desk.store, clock,
                              author=Author(id=f"5{n}", username=f"c{n}", name="C")))
    # 0..5 sends used: each of the first six may go; the seventh would use a seventh send.
    assert csat.send_due() == 6
    assert csat.waiting() == 1 and "1 question waiting for the DM budget" in csat.status_line()
    clock.advance(minutes=14)
    assert csat.send_due() == 0 and len(x.dms) == 6
    clock.advance(minutes=1, seconds=1)  # the first sends leave the 15-minute window
    assert csat.send_due() == 1 and len(x.dms) == 7
    assert csat.waiting() == 0 and csat.status_line() is None


def test_an_answer_lost_after_the_dm_reached_x_is_found_instead_of_sent_again(db):
    x = ReachesXThenTimesOut()
    desk, csat, _, clock = build(db, x=x)
    first = dm_case(desk.store, clock)
    resolve(desk, first)
    assert csat.send_due() == 1  # an earlier question to the same customer, same text
    second = dm_case(desk.store, clock)
    resolve(desk, second)
    x.lose_answers = 1
    assert csat.send_due() == 0 and len(questions_to(x)) == 2
    clock.advance(seconds=5)
    assert csat.send_due() == 1
    assert len(questions_to(x)) == 2  # reconciled: not sent a third time
    assert "csat_asked" in actions(desk.store, second)


def test_a_lost_dm_is_sent_again_and_an_earlier_question_is_not_mistaken_for_it(db):
    desk, csat, x, clock = build(db)
    first = dm_case(desk.store, clock)
    resolve(desk, first)
    assert csat.send_due() == 1
    second = dm_case(desk.store, clock)
    resolve(desk, second)
    x.fail_next = [XAmbiguous("connection reset")]  # this try never reached X
    assert csat.send_due() == 0
    clock.advance(seconds=5)
    assert csat.send_due() == 1 and len(questions_to(x)) == 2


def test_a_question_x_refuses_is_noted_in_the_thread_and_not_retried(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    x.fail_next = [XError("You cannot send messages to this user.")]
    assert csat.send_due() == 0
    assert "csat_failed" in actions(desk.store, case_id)
    clock.advance(minutes=30)
    assert csat.send_due() == 0 and csat.waiting() == 0 and x.dms == []


def test_a_score_within_three_days_is_the_rating_and_anything_else_is_not(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    early = post(text="5", kind="dm")
    assert not csat.take_rating(early)  # not asked yet: the question still waits
    csat.send_due()
    assert not csat.take_rating(post(text="7", kind="dm"))
    assert not csat.take_rating(post(text="5 but the refund is still missing", kind="dm"))
    assert not csat.take_rating(post(text="4", kind="post"))
    clock.advance(days=2, hours=23)
    assert csat.take_rating(post(text="four stars", kind="dm"))
    assert csat.questions.rating_of(case_id) == 4
    [rated] = [e for e in desk.store.events(case_id) if e.action == "csat"]
    assert rated.detail == "rating 4"
    assert not csat.take_rating(post(text="5", kind="dm"))  # one rating per question
    assert csat.questions.rating_of(case_id) == 4


def test_a_score_after_three_days_is_no_rating(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    csat.send_due()
    clock.advance(days=3, minutes=1)
    assert not csat.take_rating(post(text="5", kind="dm"))
    assert csat.questions.rating_of(case_id) is None


def test_the_period_reports_read_the_recorded_rating(db):
    desk, csat, x, clock = build(db)
    case_id = dm_case(desk.store, clock)
    resolve(desk, case_id)
    csat.send_due()
    assert csat.take_rating(post(text="⭐⭐⭐⭐⭐", kind="dm"))
    start = datetime(2030, 1, 1, tzinfo=UTC)
    records = list(PeriodRecords(db).cases(start=start, end=start + timedelta(days=14)))
    assert [(r.id, r.csat) for r in records] == [(case_id, 5)]
