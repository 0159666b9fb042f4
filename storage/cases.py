"""Cases, their posts, drafts and events. Every state change is one compare-and-set.

Example::

    store = CaseStore(db)
    case_id = store.open_case(post=post, channel="C1", now=now, sla_due_at=due)
    result = store.transition(case_id=case_id, action=Action.CLAIM, actor="U1", now=now,
                              updates={"assignee_id": "U1"}, note="Claimed by <@U1>")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.case import Action, CaseState, allowed_from, target_state
from bot.domain.model import (
    Author,
    Case,
    Channel,
    CustomerHistory,
    Draft,
    DraftStatus,
    InboundPost,
)
from storage.db import Database
from storage.models import (
    CaseRow,
    DraftRow,
    EventRow,
    MutedAuthorRow,
    OutboundRow,
    PostRow,
    SlackOutboxRow,
    UTCDateTime,
)

SYSTEM = "system"


@dataclass(frozen=True)
class TransitionResult:
    ok: bool
    case: Case | None
    """The case after the change when ok, else as it is now (None: no such case)."""


class CaseStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- creating -------------------------------------------------------------------
    def open_case(self, *, post: InboundPost, channel: str, now: datetime,
                  clock: dict | None = None, origin: str = "mention",
                  public_reply_allowed: bool = True, assignee_id: str | None = None,
                  note: str | None = None, triage: dict | None = None,
                  brand_id: str | None = None,
                  continuation: tuple[list, str] | None = None) -> int | None:
        """Store a case for ``post`` and queue its parent message. None if it exists.

        With ``assignee_id`` the case starts claimed by them (sticky assignment).
        """
        state = CaseState.CLAIMED if assignee_id else CaseState.NEW
        try:
            with self.db.transaction() as s:
                if s.get(PostRow, post.id) is not None:
                    return None
                case_id = s.execute(insert(CaseRow).values(
                    source_post_id=post.id, conversation_id=post.conversation_id,
                    customer_id=post.author.id, customer_handle=post.author.username,
                    customer_name=post.author.name, customer_followers=post.author.followers,
                    state=state.value, assignee_id=assignee_id, slack_channel=channel,
                    version=1, created_at=now, updated_at=now, sla_cycle=0, origin=origin,
                    public_reply_allowed=public_reply_allowed and post.kind == "post",
                    moved_to_dm=post.kind == "dm", **(clock or {}), **(triage or {}),
                    replies_to_brand=bool(brand_id and post.in_reply_to_user_id == brand_id),
                    first_due_at=(clock or {}).get("sla_due_at"),
                ).returning(CaseRow.id)).scalar_one()
                _add_post(s, case_id=case_id, post=post, from_customer=True)
                s.add(EventRow(case_id=case_id, actor=SYSTEM, action="opened",
                               from_state=None, to_state=state.value,
                               detail=f"{post.kind} {post.id}", at=now))
                queue_slack(s, case_id=case_id, kind="parent", now=now)
                if continuation:  # the rest of a long post, as blocks and fallback text
                    queue_slack(s, case_id=case_id, kind="note", now=now,
                                blocks=continuation[0], text=continuation[1])
                if note:
                    queue_slack(s, case_id=case_id, kind="note", now=now, text=note)
                return case_id
        except IntegrityError:
            return None

    def attach_post(self, *, case_id: int, post: InboundPost, from_customer: bool,
                    now: datetime, note: str, action: Action | None = None,
                    updates: dict | None = None, new_clock: dict | None = None) -> bool:
        """Add a follow-up post (or DM) to a case, once; optionally change its state too.

        False when the post is stored already (it is never shown twice) or the state
        change no longer applies.
        """
        if action is None:
            try:
                with self.db.transaction() as s:
                    if s.get(PostRow, post.id) is not None:
                        return False
                    _add_post(s, case_id=case_id, post=post, from_customer=from_customer)
                    s.execute(update(CaseRow).where(CaseRow.id == case_id)
                              .values(version=CaseRow.version + 1, updated_at=now,
                                      **(updates or {})))
                    queue_slack(s, case_id=case_id, kind="note", now=now, text=note)
                    queue_slack(s, case_id=case_id, kind="update", now=now)
                    return True
            except IntegrityError:
                return False

        def store_post(s: Session, cid: int) -> None:
            if s.get(PostRow, post.id) is not None:
                raise _AlreadyStored
            _add_post(s, case_id=cid, post=post, from_customer=from_customer)

        try:
            return self.transition(case_id=case_id, action=action, actor=SYSTEM, now=now,
                                   updates=updates, new_clock=new_clock, note=note,
                                   detail=f"{post.kind} {post.id}", also=store_post).ok
        except (_AlreadyStored, IntegrityError):
            return False

    def conversation_of(self, *, post: InboundPost,
                        closed_since: datetime) -> tuple[bool, Case | None]:
        """(whether ``post`` is stored already, the case it follows up), in one read."""
        with self.db.transaction() as s:
            if s.get(PostRow, post.id) is not None:
                return True, None
            case_id = _conversation_case_id(s, conversation_id=post.conversation_id,
                                            customer_id=post.author.id, kind=post.kind,
                                            closed_since=closed_since)
            return False, _load_case(s, case_id) if case_id else None

    def case_for_conversation(self, *, conversation_id: str | None, customer_id: str,
                              kind: str, closed_since: datetime) -> Case | None:
        """The case a follow-up belongs to: the newest case of that X conversation (for a
        DM: of that customer) that is open, or was closed after ``closed_since``."""
        with self.db.transaction() as s:
            case_id = _conversation_case_id(s, conversation_id=conversation_id,
                                            customer_id=customer_id, kind=kind,
                                            closed_since=closed_since)
            return _load_case(s, case_id) if case_id else None

    def digest_case(self, *, topic_key: str, since: datetime | None) -> int | None:
        """The open digest case of ``topic_key`` opened in this crisis, if any."""
        cond = [CaseRow.topic_key == topic_key, CaseRow.state.not_in(["closed", "ignored"])]
        if since is not None:
            cond.append(CaseRow.created_at >= since)
        with self.db.transaction() as s:
            return s.scalar(select(CaseRow.id).where(*cond).order_by(CaseRow.id.desc())
                            .limit(1))

    def history(self, *, customer_id: str, before_case_id: int | None = None
                ) -> CustomerHistory:
        with self.db.transaction() as s:
            return _history(s, customer_id, before_case_id)

    def post_seen(self, post_id: str) -> bool:
        with self.db.transaction() as s:
            return s.get(PostRow, post_id) is not None

    # --- reading --------------------------------------------------------------------
    def get(self, case_id: int) -> Case | None:
        with self.db.transaction() as s:
            return _load_case(s, case_id)

    def draft(self, draft_id: int) -> Draft | None:
        with self.db.transaction() as s:
            row = s.get(DraftRow, draft_id)
            return _draft(row) if row else None

    def events(self, case_id: int) -> list[EventRow]:
        with self.db.transaction() as s:
            return list(s.scalars(select(EventRow).where(EventRow.case_id == case_id)
                                  .order_by(EventRow.id)))

    def count_by_state(self) -> dict[str, int]:
        with self.db.transaction() as s:
            rows = s.execute(select(CaseRow.state, func.count()).group_by(CaseRow.state))
            return {state: n for state, n in rows}

    # --- changing -------------------------------------------------------------------
    def transition(self, *, case_id: int, action: Action, actor: str, now: datetime,
                   updates: dict | None = None, where: tuple = (), note: str | None = None,
                   detail: str | None = None, new_clock: dict | None = None,
                   also: Callable[[Session, int], None] | None = None) -> TransitionResult:
        """Apply ``action`` if the case is in a state that allows it (and ``where`` holds).

        One UPDATE decides: of two concurrent callers exactly one wins. The winner's
        transaction also appends the event, queues the parent update and the thread
        ``note``, and runs ``also`` (e.g. to store a draft). ``new_clock`` (from
        bot.services.sla_clock.start_clock) restarts the response clock.
        """
        sources = [state.value for state in allowed_from(action)]
        updates = dict(updates or {})
        if new_clock:
            updates.update(new_clock, sla_cycle=CaseRow.sla_cycle + 1)
        with self.db.transaction() as s:
            current = s.get(CaseRow, case_id)
            if current is None:
                return TransitionResult(False, None)
            before = current.state
            to_state = target_state(action, CaseState(before)) if before in sources else None
            if to_state is None:
                return TransitionResult(False, _load_case(s, case_id))
            changed = s.execute(
                update(CaseRow)
                .where(CaseRow.id == case_id, CaseRow.state.in_(sources), *where)
                .values(state=to_state.value, version=CaseRow.version + 1, updated_at=now,
                        **updates)
                .execution_options(synchronize_session=False)
            ).rowcount
            if changed != 1:
                s.expire_all()  # another transaction won: read the case as it is now
                return TransitionResult(False, _load_case(s, case_id))
            s.add(EventRow(case_id=case_id, actor=actor, action=action.value,
                           from_state=before, to_state=to_state.value, detail=detail, at=now))
            if also is not None:
                also(s, case_id)
            queue_slack(s, case_id=case_id, kind="update", now=now)
            if note:
                queue_slack(s, case_id=case_id, kind="note", now=now, text=note)
            s.expire_all()
            return TransitionResult(True, _load_case(s, case_id))

    def record(self, *, case_id: int, actor: str, action: str, now: datetime,
               detail: str | None = None, note: str | None = None, updates: dict | None = None,
               also: Callable[[Session, int], None] | None = None) -> None:
        """Append an event that changes no state (e.g. a refused approval, an escalation).

        ``updates`` changes other columns of the case; given (even empty), the parent is
        re-rendered.
        """
        with self.db.transaction() as s:
            if also is not None:
                also(s, case_id)
            if updates is not None:
                s.execute(update(CaseRow).where(CaseRow.id == case_id)
                          .values(version=CaseRow.version + 1, updated_at=now, **updates))
                queue_slack(s, case_id=case_id, kind="update", now=now)
            state = s.scalar(select(CaseRow.state).where(CaseRow.id == case_id))
            s.add(EventRow(case_id=case_id, actor=actor, action=action, from_state=state,
                           to_state=state, detail=detail, at=now))
            if note:
                queue_slack(s, case_id=case_id, kind="note", now=now, text=note)


def first_response(*, now: datetime, by: str | None) -> dict:
    """Column values that record the first answer (kept if one is recorded already)."""
    return {"first_response_at": func.coalesce(CaseRow.first_response_at,
                                               literal(now, type_=UTCDateTime())),
            "first_response_by": func.coalesce(CaseRow.first_response_by,
                                               literal(by, type_=String()))}


# --- helpers used inside a transaction -------------------------------------------------
def add_draft(s: Session, *, case_id: int, author_id: str, text: str, now: datetime,
              channel: Channel = Channel.PUBLIC, dm_text: str | None = None,
              signature: str = "") -> int:
    s.execute(update(DraftRow)
              .where(DraftRow.case_id == case_id, DraftRow.status == DraftStatus.PENDING.value)
              .values(status=DraftStatus.SUPERSEDED.value))
    return s.execute(insert(DraftRow).values(
        case_id=case_id, author_id=author_id, text=text, channel=channel.value, dm_text=dm_text,
        signature=signature, status=DraftStatus.PENDING.value,
        created_at=now).returning(DraftRow.id)).scalar_one()


def review_draft(s: Session, *, draft_id: int, reviewer_id: str, status: DraftStatus,
                 note: str | None = None) -> None:
    s.execute(update(DraftRow).where(DraftRow.id == draft_id)
              .values(status=status.value, reviewer_id=reviewer_id, review_note=note))


def queue_slack(s: Session, *, case_id: int, kind: str, now: datetime, text: str | None = None,
           blocks: list | None = None) -> None:
    s.add(SlackOutboxRow(case_id=case_id, kind=kind, text=text or "", blocks=blocks,
                         status="pending", attempts=0, next_attempt_at=now, created_at=now))


def queue_slack_many(s: Session, work: list[dict], *, now: datetime) -> None:
    """Queue several Slack rows at once: dicts of case_id, kind and text."""
    s.execute(insert(SlackOutboxRow), [
        {"blocks": None, "status": "pending", "attempts": 0, "next_attempt_at": now,
         "created_at": now, **item} for item in work])


def _conversation_case_id(s: Session, *, conversation_id: str | None, customer_id: str,
                          kind: str, closed_since: datetime) -> int | None:
    if kind == "post" and not conversation_id:
        return None
    match = CaseRow.conversation_id == conversation_id if kind == "post" \
        else CaseRow.customer_id == customer_id
    return s.scalar(select(CaseRow.id).where(
        match, or_(CaseRow.state.not_in(["closed", "ignored"]),
                   CaseRow.closed_at >= closed_since))
        .order_by(CaseRow.id.desc()).limit(1))


class _AlreadyStored(Exception):
    """The post is stored already: roll the transition back."""


def _add_post(s: Session, *, case_id: int, post: InboundPost, from_customer: bool) -> None:
    s.add(PostRow(id=post.id, case_id=case_id, direction="inbound", kind=post.kind,
                  from_customer=from_customer, author_id=post.author.id,
                  author_handle=post.author.username, text=post.text, url=post.url,
                  created_at=post.created_at))


def _history(s: Session, customer_id: str, before_case_id: int | None) -> CustomerHistory:
    cond = [CaseRow.customer_id == customer_id]
    if before_case_id is not None:
        cond.append(CaseRow.id < before_case_id)
    count, last_at = s.execute(select(func.count(), func.max(CaseRow.created_at))
                               .where(*cond)).one()
    if not count:
        return CustomerHistory()
    last = s.execute(select(CaseRow.first_response_by, CaseRow.assignee_id).where(*cond)
                     .order_by(CaseRow.id.desc()).limit(1)).one()
    return CustomerHistory(earlier_cases=count, last_case_at=last_at,
                           last_agent_id=last[0] or last[1])


def _draft(row: DraftRow) -> Draft:
    return Draft(id=row.id, case_id=row.case_id, author_id=row.author_id, text=row.text,
                 status=DraftStatus(row.status), channel=Channel(row.channel),
                 reviewer_id=row.reviewer_id, review_note=row.review_note,
                 dm_text=row.dm_text, signature=row.signature or "")


def _load_case(s: Session, case_id: int) -> Case | None:
    row = s.get(CaseRow, case_id)
    if row is None:
        return None
    post = s.get(PostRow, row.source_post_id)
    latest = s.scalars(select(DraftRow).where(
        DraftRow.case_id == case_id, DraftRow.status != DraftStatus.SUPERSEDED.value)
        .order_by(DraftRow.id.desc()).limit(1)).first()
    outbound = s.scalars(select(OutboundRow).where(OutboundRow.case_id == case_id)
                         .order_by(OutboundRow.id)).all()
    last_error = next((o.last_error for o in reversed(outbound) if o.status == "failed"), None)
    return Case(
        id=row.id, state=CaseState(row.state), source_post_id=row.source_post_id,
        customer=Author(id=row.customer_id, username=row.customer_handle,
                        name=row.customer_name, followers=row.customer_followers),
        text=post.text if post else "", post_created_at=post.created_at if post else row.created_at,
        assignee_id=row.assignee_id, close_reason=row.close_reason,
        slack_channel=row.slack_channel, slack_ts=row.slack_ts, version=row.version,
        created_at=row.created_at, sla_due_at=row.sla_due_at,
        latest_draft=_draft(latest) if latest else None, last_error=last_error,
        sent_post_ids=tuple(o.x_post_id for o in outbound if o.x_post_id),
        origin=row.origin, public_reply_allowed=row.public_reply_allowed,
        moved_to_dm=row.moved_to_dm, escalated_to=row.escalated_to,
        history=_history(s, row.customer_id, row.id),
        kind=row.kind, priority=row.priority or "normal", triage_reason=row.triage_reason,
        topic_key=row.topic_key, digest_count=row.digest_count or 0,
        replies_to_brand=row.replies_to_brand,
        hidden_on_x=row.hidden_on_x,
        author_muted=s.get(MutedAuthorRow, row.customer_id) is not None,
        latest_customer_post_id=s.scalar(
            select(PostRow.id).where(PostRow.case_id == case_id, PostRow.kind == "post",
                                     PostRow.from_customer.is_(True))
            .order_by(PostRow.created_at.desc(), PostRow.id.desc()).limit(1)),
    )
