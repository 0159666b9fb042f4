"""Cases, their posts, drafts and events. Every state change is one compare-and-set.

Example::

    store = CaseStore(db)
    case_id = store.open_case(post=post, channel="C1", now=now, clock=clock)
    result = store.transition(case_id=case_id, now=now, step=Step(
        action=Action.CLAIM, actor="U1", effects=(SetAssignee("U1"),),
        note="Claimed by <@U1>"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.case import can, target_state
from bot.domain.model import Case, CustomerHistory, Draft, InboundPost
from bot.domain.transition import (
    AddPost,
    CaseEvent,
    Effect,
    QueueParentUpdate,
    ResponseClock,
    Step,
)
from storage.case_reads import draft_of, event_of, history_of, load_case
from storage.db import Database
from storage.models import CaseRow, DraftRow, EventRow, PostRow, SlackOutboxRow
from storage.openings import (  # noqa: F401 - SYSTEM: the actor of automatic changes
    SYSTEM,
    Opening,
    PageLookup,
    insert_openings,
    look_up,
)
from storage.transitions import (
    PostAlreadyStored,
    add_post,
    apply_effects,
    case_after,
    case_values,
    is_case_effect,
)


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
                  clock: ResponseClock | None = None, origin: str = "mention",
                  public_reply_allowed: bool = True, assignee_id: str | None = None,
                  note: str | None = None, triage: dict | None = None,
                  brand_id: str | None = None,
                  continuation: tuple[list, str] | None = None,
                  route: str | None = None) -> int | None:
        """Store a case for ``post`` and queue its parent message. None if it exists.

        With ``assignee_id`` the case starts claimed by them (sticky assignment).
        """
        opening = Opening(post=post, clock=clock, origin=origin,
                          public_reply_allowed=public_reply_allowed, assignee_id=assignee_id,
                          note=note, triage=triage, brand_id=brand_id,
                          continuation=continuation, route=route)
        try:
            with self.db.transaction() as s:
                if s.get(PostRow, post.id) is not None:
                    return None
                return insert_openings(s, [opening], channel=channel, now=now)[post.id]
        except IntegrityError:
            return None

    def open_page(self, *, posts: list[InboundPost], channel: str, now: datetime,
                  closed_since: datetime, plan: Callable[[PageLookup], list[Opening]]
                  ) -> tuple[PageLookup, dict[str, int]]:
        """Open the cases of a page of posts in one transaction.

        The page's posts are looked up at once (stored already? following up a case?
        their authors' histories), ``plan`` (a pure function of that) says which cases
        to open, and they are inserted together. Returns the look-up and post id ->
        new case id. Raises (and stores nothing) if any insert fails, for instance
        when another instance stored one of the posts meanwhile.
        """
        with self.db.transaction() as s:
            lookup = look_up(s, posts, closed_since=closed_since)
            return lookup, insert_openings(s, plan(lookup), channel=channel, now=now)

    def attach_post(self, *, case_id: int, post: InboundPost, from_customer: bool,
                    now: datetime, note: str, step: Step | None = None,
                    effects: tuple[Effect, ...] = ()) -> bool:
        """Add a follow-up post (or DM) to a case, once; with ``step``, change its state too
        (``effects`` apply without one).

        False when the post is stored already (it is never shown twice) or the state
        change no longer applies.
        """
        try:
            if step is None:
                with self.db.transaction() as s:
                    if s.get(PostRow, post.id) is not None:
                        return False
                    add_post(s, case_id=case_id, post=post, from_customer=from_customer)
                    s.execute(update(CaseRow).where(CaseRow.id == case_id)
                              .values(version=CaseRow.version + 1, updated_at=now,
                                      **case_values(effects, now=now)))
                    queue_slack(s, case_id=case_id, kind="note", now=now, text=note)
                    queue_slack(s, case_id=case_id, kind="update", now=now)
                    return True
            step = replace(step, effects=(*step.effects,
                                          AddPost(post=post, from_customer=from_customer)),
                           note=note, detail=f"{post.kind} {post.id}")
            return self.transition(case_id=case_id, now=now, step=step).ok
        except (PostAlreadyStored, IntegrityError):
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
            return False, load_case(s, case_id) if case_id else None

    def case_for_conversation(self, *, conversation_id: str | None, customer_id: str,
                              kind: str, closed_since: datetime) -> Case | None:
        """The case a follow-up belongs to: the newest case of that X conversation (for a
        DM: of that customer) that is open, or was closed after ``closed_since``."""
        with self.db.transaction() as s:
            case_id = _conversation_case_id(s, conversation_id=conversation_id,
                                            customer_id=customer_id, kind=kind,
                                            closed_since=closed_since)
            return load_case(s, case_id) if case_id else None

    def digest_case(self, *, topic_key: str, since: datetime | None,
                    route: str | None = None) -> int | None:
        """The open digest case of ``topic_key`` in ``route`` (None: the care channel's)
        opened in this crisis, if any."""
        cond = [CaseRow.topic_key == topic_key, CaseRow.state.not_in(["closed", "ignored"]),
                CaseRow.route == route if route is not None else CaseRow.route.is_(None)]
        if since is not None:
            cond.append(CaseRow.created_at >= since)
        with self.db.transaction() as s:
            return s.scalar(select(CaseRow.id).where(*cond).order_by(CaseRow.id.desc())
                            .limit(1))

    def history(self, *, customer_id: str, before_case_id: int | None = None
                ) -> CustomerHistory:
        with self.db.transaction() as s:
            return history_of(s, customer_id, before_case_id)

    def post_seen(self, post_id: str) -> bool:
        with self.db.transaction() as s:
            return s.get(PostRow, post_id) is not None

    # --- reading --------------------------------------------------------------------
    def get(self, case_id: int) -> Case | None:
        with self.db.read() as s:
            return load_case(s, case_id)

    def draft(self, draft_id: int) -> Draft | None:
        with self.db.read() as s:
            row = s.get(DraftRow, draft_id)
            return draft_of(row) if row else None

    def events(self, case_id: int) -> list[CaseEvent]:
        with self.db.read() as s:
            return [event_of(row) for row in s.scalars(
                select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.id))]

    def count_by_state(self) -> dict[str, int]:
        with self.db.read() as s:
            rows = s.execute(select(CaseRow.state, func.count()).group_by(CaseRow.state))
            return {state: n for state, n in rows}

    # --- changing -------------------------------------------------------------------
    def transition(self, *, case_id: int, now: datetime,
                   step: Step | Callable[[Case], Step | None]) -> TransitionResult:
        """Apply ``step`` if the case's state allows its action and its guards hold.

        The case is read once, in the transaction that changes it; ``step`` may be a pure
        function of that case (returning None: leave it be). One UPDATE on the case's
        version decides: of two concurrent callers exactly one wins. The winner's
        transaction also appends the event, applies the effects and queues the parent
        update and the note.
        """
        with self.db.transaction() as s:
            before = load_case(s, case_id)
            if before is None:
                return TransitionResult(False, None)
            if callable(step):
                step = step(before)
            if step is None or not can(step.action, before.state) \
                    or not all(guard.holds(before) for guard in step.guards):
                return TransitionResult(False, before)
            to_state = target_state(step.action, before.state)
            changed = s.execute(
                update(CaseRow)
                .where(CaseRow.id == case_id, CaseRow.version == before.version,
                       CaseRow.state == before.state.value)
                .values(state=to_state.value, version=CaseRow.version + 1, updated_at=now,
                        **case_values(step.effects, now=now))
                .execution_options(synchronize_session=False)
            ).rowcount
            if changed != 1:
                s.expire_all()  # another transaction won: read the case as it is now
                return TransitionResult(False, load_case(s, case_id))
            s.add(EventRow(case_id=case_id, actor=step.actor, action=step.action.value,
                           from_state=before.state.value, to_state=to_state.value,
                           detail=step.detail, at=now))
            done = apply_effects(s, case_id=case_id, effects=step.effects, now=now)
            queue_slack(s, case_id=case_id, kind="update", now=now)
            if step.note:
                queue_slack(s, case_id=case_id, kind="note", now=now, text=step.note)
            return TransitionResult(True, case_after(s, before=before, state=to_state,
                                                     effects=step.effects, done=done))

    def record(self, *, case_id: int, actor: str, action: str, now: datetime,
               detail: str | None = None, note: str | None = None,
               effects: tuple[Effect, ...] = ()) -> None:
        """Append an event that changes no state (e.g. a refused approval, an escalation).

        Effects on the case's own values, or QueueParentUpdate, re-render the parent.
        """
        with self.db.transaction() as s:
            apply_effects(s, case_id=case_id, effects=effects, now=now)
            if any(is_case_effect(e) or isinstance(e, QueueParentUpdate) for e in effects):
                s.execute(update(CaseRow).where(CaseRow.id == case_id)
                          .values(version=CaseRow.version + 1, updated_at=now,
                                  **case_values(effects, now=now)))
                queue_slack(s, case_id=case_id, kind="update", now=now)
            state = s.scalar(select(CaseRow.state).where(CaseRow.id == case_id))
            s.add(EventRow(case_id=case_id, actor=actor, action=action, from_state=state,
                           to_state=state, detail=detail, at=now))
            if note:
                queue_slack(s, case_id=case_id, kind="note", now=now, text=note)


# --- helpers used inside a transaction -------------------------------------------------
def queue_slack(s: Session, *, case_id: int, kind: str, now: datetime, text: str | None = None,
           blocks: list | None = None) -> None:
    s.add(SlackOutboxRow(case_id=case_id, kind=kind, text=text or "", blocks=blocks,
                         status="pending", attempts=0, next_attempt_at=now, created_at=now))


def queue_slack_many(s: Session, work: list[dict], *, now: datetime) -> None:
    """Queue several Slack rows at once: dicts of case_id, kind and text."""
    s.connection().execute(insert(SlackOutboxRow.__table__), [
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
