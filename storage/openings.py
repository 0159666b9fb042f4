"""Opening cases a page of posts at a time: bulk look-ups, then one bulk insert.

Used inside one transaction by ``CaseStore.open_page``: ``look_up`` reads, for all the
page's posts at once, which are stored already, which follow up a case (their X
conversation's, or for a DM their customer's), and each customer's history; then
``insert_openings`` writes the new cases, their posts, events and Slack work in a few
multi-row INSERTs. A post stored meanwhile by another instance makes the insert fail
on the posts' primary key, so a post is never stored twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from bot.domain.case import CaseState
from bot.domain.model import CustomerHistory, InboundPost
from bot.domain.transition import ResponseClock
from storage.models import CaseRow, EventRow, PostRow, SlackOutboxRow

CHUNK = 500  # ids per IN (...) list: well inside every database's bound-parameter limit
SYSTEM = "system"


@dataclass(frozen=True)
class Opening:
    """What a new case is opened with (the arguments of ``CaseStore.open_case``)."""

    post: InboundPost
    clock: ResponseClock | None = None
    origin: str = "mention"
    public_reply_allowed: bool = True
    assignee_id: str | None = None
    note: str | None = None
    triage: dict | None = None
    brand_id: str | None = None
    continuation: tuple[list, str] | None = None
    route: str | None = None
    channel: str | None = None
    """The route's channel; None: the channel the page is stored with."""

    def arguments(self) -> dict:
        """``CaseStore.open_case``'s arguments (the channel is passed on its own)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "channel"}


@dataclass(frozen=True)
class PageLookup:
    """What the database knows of a page's posts."""

    stored: frozenset[str] = frozenset()
    """Ids of the posts stored already."""
    following_up: frozenset[str] = frozenset()
    """Ids of the posts whose conversation (for a DM: customer) has a case to follow up."""
    histories: dict[str, CustomerHistory] = field(default_factory=dict)
    """Each author's earlier cases (authors without any are left out)."""


def look_up(s: Session, posts: list[InboundPost], *, closed_since: datetime) -> PageLookup:
    stored: set[str] = set()
    for ids in _chunks({p.id for p in posts}):
        stored.update(s.scalars(select(PostRow.id).where(PostRow.id.in_(ids))))
    live = or_(CaseRow.state.not_in(["closed", "ignored"]), CaseRow.closed_at >= closed_since)
    conversations: set[str] = set()
    for ids in _chunks({p.conversation_id for p in posts
                        if p.kind == "post" and p.conversation_id}):
        conversations.update(s.scalars(select(CaseRow.conversation_id).distinct()
                                       .where(CaseRow.conversation_id.in_(ids), live)))
    dm_customers: set[str] = set()
    for ids in _chunks({p.author.id for p in posts if p.kind != "post"}):
        dm_customers.update(s.scalars(select(CaseRow.customer_id).distinct()
                                      .where(CaseRow.customer_id.in_(ids), live)))
    following_up = {p.id for p in posts
                    if (p.conversation_id in conversations if p.kind == "post"
                        else p.author.id in dm_customers)}
    return PageLookup(stored=frozenset(stored), following_up=frozenset(following_up),
                      histories=_histories(s, {p.author.id for p in posts}))


def _histories(s: Session, customer_ids: set[str]) -> dict[str, CustomerHistory]:
    """``case_reads.history_of`` for many customers: two grouped reads."""
    summary = {}
    for ids in _chunks(customer_ids):
        summary.update({row[0]: row[1:] for row in s.execute(
            select(CaseRow.customer_id, func.count(), func.max(CaseRow.created_at),
                   func.max(CaseRow.id))
            .where(CaseRow.customer_id.in_(ids)).group_by(CaseRow.customer_id))})
    last_agent = {}
    for ids in _chunks({newest for _, _, newest in summary.values()}):
        last_agent.update({row.id: row.first_response_by or row.assignee_id
                           for row in s.execute(
                               select(CaseRow.id, CaseRow.first_response_by,
                                      CaseRow.assignee_id).where(CaseRow.id.in_(ids)))})
    return {customer: CustomerHistory(earlier_cases=count, last_case_at=last_at,
                                      last_agent_id=last_agent.get(newest))
            for customer, (count, last_at, newest) in summary.items() if count}


def case_row(opening: Opening, *, channel: str, now: datetime) -> dict:
    """The column values of a new case."""
    post, clock = opening.post, opening.clock
    state = CaseState.CLAIMED if opening.assignee_id else CaseState.NEW
    return dict(
        source_post_id=post.id, conversation_id=post.conversation_id,
        customer_id=post.author.id, customer_handle=post.author.username,
        customer_name=post.author.name, customer_followers=post.author.followers,
        state=state.value, assignee_id=opening.assignee_id,
        slack_channel=opening.channel or channel, route=opening.route,
        version=1, created_at=now, updated_at=now, sla_cycle=0, origin=opening.origin,
        public_reply_allowed=opening.public_reply_allowed and post.kind == "post",
        moved_to_dm=post.kind == "dm", **clock_values(clock), **(opening.triage or {}),
        replies_to_brand=bool(opening.brand_id
                              and post.in_reply_to_user_id == opening.brand_id),
        first_due_at=clock.due_at if clock else None)


def post_row(post: InboundPost, *, case_id: int, from_customer: bool) -> dict:
    return dict(id=post.id, case_id=case_id, direction="inbound", kind=post.kind,
                from_customer=from_customer, author_id=post.author.id,
                author_handle=post.author.username, text=post.text, url=post.url,
                created_at=post.created_at)


def opened_event(opening: Opening, *, case_id: int, now: datetime) -> dict:
    state = CaseState.CLAIMED if opening.assignee_id else CaseState.NEW
    post = opening.post
    return dict(case_id=case_id, actor=SYSTEM, action="opened", from_state=None,
                to_state=state.value, detail=f"{post.kind} {post.id}", at=now)


def slack_work(opening: Opening, *, case_id: int) -> list[dict]:
    """The Slack rows of a new case, in order: parent, the rest of a long post, the note."""
    work = [{"case_id": case_id, "kind": "parent", "text": "", "blocks": None}]
    if opening.continuation:
        blocks, text = opening.continuation
        work.append({"case_id": case_id, "kind": "note", "text": text or "", "blocks": blocks})
    if opening.note:
        work.append({"case_id": case_id, "kind": "note", "text": opening.note, "blocks": None})
    return work


def insert_openings(s: Session, openings: list[Opening], *, channel: str,
                    now: datetime) -> dict[str, int]:
    """Insert the cases of ``openings`` with their rows; returns post id -> case id."""
    if not openings:
        return {}
    conn = s.connection()  # Core INSERTs of many rows: no ORM objects are needed
    cases = CaseRow.__table__
    for rows in _same_columns(case_row(o, channel=channel, now=now) for o in openings):
        conn.execute(insert(cases), rows)
    case_ids = new_case_ids(s, [o.post.id for o in openings])
    ids = [case_ids[o.post.id] for o in openings]
    conn.execute(insert(PostRow.__table__),
                 [post_row(o.post, case_id=case_id, from_customer=True)
                  for o, case_id in zip(openings, ids, strict=True)])
    conn.execute(insert(EventRow.__table__), [opened_event(o, case_id=case_id, now=now)
                                              for o, case_id in zip(openings, ids, strict=True)])
    conn.execute(insert(SlackOutboxRow.__table__), [
        {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now, **row}
        for o, case_id in zip(openings, ids, strict=True)
        for row in slack_work(o, case_id=case_id)])
    return case_ids


def new_case_ids(s: Session, post_ids: list[str]) -> dict[str, int]:
    """Post id -> id of the case it opened. Read back after a multi-row INSERT: cheaper
    than RETURNING of many rows on PostgreSQL, and the same on SQLite."""
    case_ids: dict[str, int] = {}
    for ids in _chunks(set(post_ids)):
        case_ids.update(s.execute(select(CaseRow.source_post_id, CaseRow.id)
                                  .where(CaseRow.source_post_id.in_(ids))).all())
    return case_ids


def clock_values(clock: ResponseClock | None) -> dict:
    """The columns of a case's first response clock (``StartClock`` on a new case)."""
    if clock is None:
        return {}
    return {"sla_started_at": clock.started_at, "sla_minutes": clock.minutes,
            "sla_due_at": clock.due_at, "next_nudge_at": clock.next_nudge_at,
            "next_nudge_level": clock.next_nudge_level}


def _same_columns(rows: Iterable[dict]) -> Iterator[list[dict]]:
    """The rows grouped by their set of columns (one multi-row INSERT each), in order."""
    groups: dict[frozenset, list[dict]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    yield from groups.values()


def _chunks(values: set) -> Iterator[list]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]
