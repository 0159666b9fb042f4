"""Reading a case as the domain sees it: one Case from its rows.

Example::

    with db.transaction() as s:
        case = load_case(s, 7)
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.case import CaseState
from bot.domain.model import Author, Case, Channel, CustomerHistory, Draft, DraftStatus
from bot.domain.transition import CaseEvent
from storage.models import CaseRow, DraftRow, EventRow, MutedAuthorRow, OutboundRow, PostRow
from storage.transitions import latest_customer_post_id


def history_of(s: Session, customer_id: str, before_case_id: int | None) -> CustomerHistory:
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


def draft_of(row: DraftRow) -> Draft:
    return Draft(id=row.id, case_id=row.case_id, author_id=row.author_id, text=row.text,
                 status=DraftStatus(row.status), channel=Channel(row.channel),
                 reviewer_id=row.reviewer_id, review_note=row.review_note,
                 dm_text=row.dm_text, signature=row.signature or "")


def load_case(s: Session, case_id: int) -> Case | None:
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
        latest_draft=draft_of(latest) if latest else None, last_error=last_error,
        sent_post_ids=tuple(o.x_post_id for o in outbound if o.x_post_id),
        origin=row.origin, public_reply_allowed=row.public_reply_allowed,
        moved_to_dm=row.moved_to_dm, escalated_to=row.escalated_to,
        history=history_of(s, row.customer_id, row.id),
        kind=row.kind, priority=row.priority or "normal", triage_reason=row.triage_reason,
        topic_key=row.topic_key, digest_count=row.digest_count or 0,
        replies_to_brand=row.replies_to_brand,
        hidden_on_x=row.hidden_on_x,
        author_muted=s.get(MutedAuthorRow, row.customer_id) is not None,
        latest_customer_post_id=latest_customer_post_id(s, case_id),
        route=row.route,
    )


def event_of(row: EventRow) -> CaseEvent:
    return CaseEvent(case_id=row.case_id, actor=row.actor, action=row.action,
                     from_state=row.from_state, to_state=row.to_state, detail=row.detail,
                     at=row.at)
