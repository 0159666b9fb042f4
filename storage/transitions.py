"""How storage applies the domain's effects (bot.domain.transition) inside a transaction.

Example::

    values = case_values(step.effects, now=now)     # columns of the case to change
    done = apply_effects(s, case_id=7, effects=step.effects, now=now)
    after = case_after(s, before=before, state=to_state, effects=step.effects, done=done)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import String, func, insert, literal, select, update
from sqlalchemy.orm import Session

from bot.domain.case import CaseState
from bot.domain.model import Case, Draft, DraftStatus, InboundPost, OutboundStatus
from bot.domain.transition import (
    AddDraft,
    AddPost,
    CaseEffect,
    Effect,
    FinishOutbound,
    LeaseLost,
    MarkMovedToDm,
    QueueChannelPost,
    QueueOutbound,
    RecordFirstResponse,
    RequeueFailedOutbound,
    ReviewDraft,
    SetAssignee,
    SetClosedAt,
    SetCloseReason,
    SetEscalatedTo,
    SetHiddenOnX,
    StartClock,
    StopClock,
)
from storage.channel_posts import queue_channel_post
from storage.models import CaseRow, DraftRow, OutboundRow, PostRow, UTCDateTime
from storage.outbox import finish_outbound, queue_outbound, requeue_failed

_CASE_EFFECTS = (SetAssignee, SetCloseReason, SetClosedAt, MarkMovedToDm, SetEscalatedTo,
                 SetHiddenOnX, StartClock, StopClock, RecordFirstResponse)


class PostAlreadyStored(Exception):
    """The post of an AddPost is stored already: the step is rolled back."""


def is_case_effect(effect: Effect) -> bool:
    return isinstance(effect, _CASE_EFFECTS)


def case_values(effects: tuple[Effect, ...], *, now: datetime) -> dict:
    """The column values of the case that ``effects`` set."""
    values: dict = {}
    for effect in effects:
        if is_case_effect(effect):
            values.update(_values_of(effect))
    return values


def _values_of(effect: CaseEffect) -> dict:
    match effect:
        case SetAssignee(user_id=user_id):
            return {"assignee_id": user_id}
        case SetCloseReason(reason=reason):
            return {"close_reason": reason}
        case SetClosedAt(at=at):
            return {"closed_at": at}
        case MarkMovedToDm():
            return {"moved_to_dm": True}
        case SetEscalatedTo(department=department):
            return {"escalated_to": department}
        case SetHiddenOnX(hidden=hidden):
            return {"hidden_on_x": hidden}
        case StartClock(clock=clock):
            return {"sla_started_at": clock.started_at, "sla_minutes": clock.minutes,
                    "sla_due_at": clock.due_at, "next_nudge_at": clock.next_nudge_at,
                    "next_nudge_level": clock.next_nudge_level,
                    "sla_cycle": CaseRow.sla_cycle + 1}
        case StopClock():
            return {"next_nudge_at": None, "next_nudge_level": None}
        case RecordFirstResponse(at=at, by=by):
            return {"first_response_at": func.coalesce(CaseRow.first_response_at,
                                                       literal(at, type_=UTCDateTime())),
                    "first_response_by": func.coalesce(CaseRow.first_response_by,
                                                       literal(by, type_=String()))}
    raise TypeError(f"not an effect on the case: {effect!r}")


def apply_effects(s: Session, *, case_id: int, effects: tuple[Effect, ...],
                  now: datetime) -> list[tuple[Effect, object]]:
    """Write the effects that are not columns of the case; returns (effect, new id) pairs."""
    done = []
    for effect in effects:
        if not is_case_effect(effect):
            done.append((effect, _apply(s, case_id=case_id, effect=effect, now=now)))
    return done


def _apply(s: Session, *, case_id: int, effect: Effect, now: datetime) -> object:
    match effect:
        case AddPost(post=post, from_customer=from_customer):
            if s.get(PostRow, post.id) is not None:
                raise PostAlreadyStored(post.id)
            add_post(s, case_id=case_id, post=post, from_customer=from_customer)
        case AddDraft():
            return _add_draft(s, case_id=case_id, draft=effect, now=now)
        case ReviewDraft(draft_id=draft_id, reviewer_id=reviewer_id, status=status, note=note):
            s.execute(update(DraftRow).where(DraftRow.id == draft_id)
                      .values(status=status.value, reviewer_id=reviewer_id, review_note=note))
        case QueueOutbound():
            queue_outbound(s, case_id=case_id, draft_id=effect.draft_id, text=effect.text,
                           now=now, channel=effect.channel,
                           in_reply_to_post_id=effect.in_reply_to_post_id,
                           recipient_id=effect.recipient_id)
        case RequeueFailedOutbound():
            requeue_failed(s, case_id=case_id, now=now)
        case FinishOutbound():
            if not finish_outbound(s, job_id=effect.job_id, owner=effect.owner,
                                   status=effect.status, now=now, x_post_id=effect.post_id,
                                   error=effect.error):
                raise LeaseLost(effect.job_id)
        case QueueChannelPost(channel=channel, text=text):
            queue_channel_post(s, channel=channel, text=text, now=now)
    return None


def case_after(s: Session, *, before: Case, state: CaseState,
               effects: tuple[Effect, ...], done: list[tuple[Effect, object]]) -> Case:
    """The case as the step left it, from the case read before it (no second load)."""
    changes: dict = {"state": state, "version": before.version + 1}
    for effect in effects:
        match effect:
            case SetAssignee(user_id=user_id):
                changes["assignee_id"] = user_id
            case SetCloseReason(reason=reason):
                changes["close_reason"] = reason
            case MarkMovedToDm():
                changes["moved_to_dm"] = True
            case SetEscalatedTo(department=department):
                changes["escalated_to"] = department
            case SetHiddenOnX(hidden=hidden):
                changes["hidden_on_x"] = hidden
            case StartClock(clock=clock):
                changes["sla_due_at"] = clock.due_at
    draft = before.latest_draft
    for effect, new_id in done:
        if isinstance(effect, AddDraft):
            draft = Draft(id=new_id, case_id=before.id, author_id=effect.author_id,
                          text=effect.text, status=DraftStatus.PENDING, channel=effect.channel,
                          dm_text=effect.dm_text, signature=effect.signature)
        elif isinstance(effect, ReviewDraft) and draft is not None \
                and draft.id == effect.draft_id:
            draft = replace(draft, status=effect.status, reviewer_id=effect.reviewer_id,
                            review_note=effect.note)
    changes["latest_draft"] = draft
    kinds = {type(effect) for effect, _ in done}
    if kinds & {RequeueFailedOutbound, FinishOutbound}:
        changes["sent_post_ids"], changes["last_error"] = outbound_summary(s, before.id)
    if AddPost in kinds:
        changes["latest_customer_post_id"] = latest_customer_post_id(s, before.id)
    return replace(before, **changes)


def outbound_summary(s: Session, case_id: int) -> tuple[tuple[str, ...], str | None]:
    """(ids of what was sent on X, the error of the latest failed message)."""
    rows = s.execute(select(OutboundRow.x_post_id, OutboundRow.status, OutboundRow.last_error)
                     .where(OutboundRow.case_id == case_id).order_by(OutboundRow.id)).all()
    last_error = next((r.last_error for r in reversed(rows)
                       if r.status == OutboundStatus.FAILED.value), None)
    return tuple(r.x_post_id for r in rows if r.x_post_id), last_error


def latest_customer_post_id(s: Session, case_id: int) -> str | None:
    return s.scalar(select(PostRow.id).where(PostRow.case_id == case_id, PostRow.kind == "post",
                                             PostRow.from_customer.is_(True))
                    .order_by(PostRow.created_at.desc(), PostRow.id.desc()).limit(1))


def add_post(s: Session, *, case_id: int, post: InboundPost, from_customer: bool) -> None:
    s.add(PostRow(id=post.id, case_id=case_id, direction="inbound", kind=post.kind,
                  from_customer=from_customer, author_id=post.author.id,
                  author_handle=post.author.username, text=post.text, url=post.url,
                  created_at=post.created_at))


def _add_draft(s: Session, *, case_id: int, draft: AddDraft, now: datetime) -> int:
    s.execute(update(DraftRow)
              .where(DraftRow.case_id == case_id, DraftRow.status == DraftStatus.PENDING.value)
              .values(status=DraftStatus.SUPERSEDED.value))
    return s.execute(insert(DraftRow).values(
        case_id=case_id, author_id=draft.author_id, text=draft.text,
        channel=draft.channel.value, dm_text=draft.dm_text, signature=draft.signature,
        status=DraftStatus.PENDING.value, created_at=now).returning(DraftRow.id)).scalar_one()
