"""Intake by the page: the new cases of a page are stored in one transaction, every other
post is routed as before, a page polled twice stores nothing twice, and a page that
cannot be stored at once falls back to post by post (a poison post held alone)."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import event, func, select

from bot.domain.case import CaseState, CloseReason
from bot.domain.model import Author
from bot.domain.triage import Triager
from bot.services.intake import Intake, PagePost, Routing
from bot.services.quarantine import Quarantine
from bot.services.screening import Screening
from storage.cases import CaseStore
from storage.channel_posts import ChannelPosts
from storage.models import CaseRow, EventRow, PostRow, QuarantinedPostRow, SlackOutboxRow
from storage.quarantine import QuarantinedPosts
from storage.screening import FilteredPosts, MutedAuthors
from tests.unit.services_kit import AGENT, BRAND, JANE, Clock, actions, make_desk, policy, post

COMPLAINT = "@acme my order {n} never arrived and nobody answers, please help"
_TRIAGER = Triager()


def intake(db, clock, *, store: CaseStore | None = None, sticky: bool = False) -> Intake:
    return Intake(store=store or CaseStore(db), policy=policy(),
                  channel="C0CARE", clock=clock, filtered=FilteredPosts(db),
                  screening=Screening(triager=_TRIAGER, muted=MutedAuthors(db),
                                      brand=lambda: BRAND),
                  routing=Routing(sticky_assign=sticky),
                  quarantine=Quarantine(store=QuarantinedPosts(db),
                                        channel_posts=ChannelPosts(db), channel="C0CARE",
                                        clock=clock, tz=UTC))


def customer(n: int) -> Author:
    return Author(id=str(500 + n), username=f"cust{n}", name=f"Customer {n}")


def new_posts(count: int) -> list[PagePost]:
    return [PagePost(post=post(text=COMPLAINT.format(n=n), author=customer(n)))
            for n in range(count)]


def count(db, column) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count(column)))


class Transactions:
    """Counts the transactions begun on the database's engine."""

    def __init__(self, db) -> None:
        self.begun = 0
        event.listen(db.engine, "begin", self._begin)

    def _begin(self, _connection) -> None:
        self.begun += 1


def test_a_page_of_new_posts_is_stored_in_one_transaction(db):
    clock = Clock()
    service = intake(db, clock)
    page = new_posts(30)
    service.screening.gate(page[0].post)  # the mute list is read (and kept) once
    transactions = Transactions(db)
    assert service.receive_page(page) == ["opened"] * 30
    assert transactions.begun == 1
    assert count(db, CaseRow.id) == count(db, PostRow.id) == count(db, EventRow.id) == 30
    with db.transaction() as s:
        parents = s.scalars(select(SlackOutboxRow.case_id).where(
            SlackOutboxRow.kind == "parent").order_by(SlackOutboxRow.id)).all()
    store = service.store
    assert len(parents) == 30
    cases = [store.get(case_id) for case_id in parents]
    assert [c.source_post_id for c in cases] == [item.post.id for item in page]
    assert all(c.state is CaseState.NEW and c.sla_due_at is not None for c in cases)
    assert actions(store, cases[0].id) == ["opened"]


def test_follow_ups_filtered_posts_and_returning_customers_route_as_post_by_post(db):
    clock = Clock()
    service = intake(db, clock, sticky=True)
    desk = make_desk(db, clock)
    earlier = post(text=COMPLAINT.format(n=1))
    service.receive(earlier)  # case 1, Jane's, open
    returning = customer(9)
    service.receive(post(text=COMPLAINT.format(n=2), author=returning))  # case 2
    desk.claim(case_id=2, user_id=AGENT)
    desk.close(case_id=2, user_id=AGENT, reason=CloseReason.RESOLVED)
    clock.advance(days=10)
    fresh = post(text=COMPLAINT.format(n=3), author=customer(3))
    page = [PagePost(post=post(text="@acme any news?", author=JANE,
                               conversation_id=earlier.conversation_id)),
            PagePost(post=fresh),
            PagePost(post=post(text="@acme also the invoice is wrong", author=customer(3),
                               conversation_id=fresh.conversation_id)),
            PagePost(post=post(text="@acme thanks!", author=customer(4))),
            PagePost(post=post(text="@acme another order went missing, help",
                               author=returning))]
    assert service.receive_page(page) == ["followup", "opened", "followup", "filtered",
                                          "opened"]
    opened = {c.source_post_id: c for c in map(desk.store.get, (3, 4))}
    assert opened[fresh.id].customer.id == customer(3).id
    again = opened[page[4].post.id]
    assert again.state is CaseState.CLAIMED and again.assignee_id == AGENT
    assert again.history.earlier_cases == 1
    with db.transaction() as s:  # Jane's post joined case 1
        assert s.scalar(select(PostRow.case_id).where(PostRow.id == page[0].post.id)) == 1


def test_a_page_polled_again_stores_nothing_twice(db):
    clock = Clock()
    first, second = intake(db, clock), intake(db, clock)  # two instances, one page
    page = new_posts(12)
    assert first.receive_page(page) == ["opened"] * 12
    assert second.receive_page(page) == ["seen"] * 12
    assert count(db, CaseRow.id) == count(db, PostRow.id) == 12


class FailingStore(CaseStore):
    """Storage that cannot store a page at once, nor (post by post) one poison post."""

    def __init__(self, db, *, poison: str) -> None:
        super().__init__(db)
        self.poison = poison
        self.pages = 0

    def open_page(self, **kwargs):
        self.pages += 1
        if any(p.id == self.poison for p in kwargs["posts"]):
            raise ValueError("this page cannot be stored")
        return super().open_page(**kwargs)

    def open_case(self, *, post, **kwargs):
        if post.id == self.poison:
            raise ValueError("this post cannot be stored")
        return super().open_case(post=post, **kwargs)


def test_a_page_that_fails_is_routed_post_by_post_and_the_poison_post_held_alone(db):
    clock = Clock()
    page = new_posts(5)
    store = FailingStore(db, poison=page[2].post.id)
    service = intake(db, clock, store=store)
    assert service.receive_page(page) == ["opened", "opened", "quarantined", "opened",
                                          "opened"]
    assert store.pages == 1
    assert count(db, CaseRow.id) == 4 and count(db, QuarantinedPostRow.id) == 1
    with db.transaction() as s:
        assert s.scalar(select(QuarantinedPostRow.post_id)) == page[2].post.id
