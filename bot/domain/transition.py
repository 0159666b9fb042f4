"""A state change of a case as values: the step, the guards it needs, the effects it has.

Services describe what should happen; storage applies a step in one transaction,
after checking its guards against the case as stored. Pure: no Slack, X or SQL here.

Example::

    step = Step(action=Action.CLAIM, actor="U1", effects=(SetAssignee("U1"),),
                note="Claimed by <@U1>")
    result = store.transition(case_id=7, now=now, step=step)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.case import Action, CaseState
from bot.domain.model import Case, Channel, DraftStatus, InboundPost, OutboundStatus


# --- guards: what must still hold when the step is applied -------------------------------
@dataclass(frozen=True)
class VersionIs:
    """The case is unchanged since it was read at ``version``."""

    version: int

    def holds(self, case: Case) -> bool:
        return case.version == self.version


@dataclass(frozen=True)
class AssigneeIs:
    """The case is assigned to ``user_id``."""

    user_id: str

    def holds(self, case: Case) -> bool:
        return case.assignee_id == self.user_id


Guard = VersionIs | AssigneeIs


# --- effects on the case itself ----------------------------------------------------------
@dataclass(frozen=True)
class SetAssignee:
    user_id: str | None


@dataclass(frozen=True)
class SetCloseReason:
    reason: str | None


@dataclass(frozen=True)
class SetClosedAt:
    at: datetime | None


@dataclass(frozen=True)
class MarkMovedToDm:
    """The conversation continues in direct messages."""


@dataclass(frozen=True)
class SetEscalatedTo:
    department: str


@dataclass(frozen=True)
class SetHiddenOnX:
    hidden: bool


@dataclass(frozen=True)
class ResponseClock:
    """A response clock started at ``started_at``: its deadline and first nudge."""

    started_at: datetime
    minutes: int
    due_at: datetime
    next_nudge_at: datetime | None
    next_nudge_level: str | None


@dataclass(frozen=True)
class StartClock:
    """Restart the response clock (a new clock cycle)."""

    clock: ResponseClock


@dataclass(frozen=True)
class StopClock:
    """The customer has an answer (or the case is closed): no more nudges. The deadline
    stays on record."""


@dataclass(frozen=True)
class RecordFirstResponse:
    """The first answer, kept if one is recorded already."""

    at: datetime
    by: str | None


# --- effects on what belongs to the case --------------------------------------------------
@dataclass(frozen=True)
class AddPost:
    """Store a follow-up post; the whole step is void if the post is stored already."""

    post: InboundPost
    from_customer: bool


@dataclass(frozen=True)
class AddDraft:
    """A new pending draft, superseding any pending one."""

    author_id: str
    text: str
    channel: Channel = Channel.PUBLIC
    dm_text: str | None = None
    signature: str = ""


@dataclass(frozen=True)
class ReviewDraft:
    draft_id: int
    reviewer_id: str
    status: DraftStatus
    note: str | None = None


@dataclass(frozen=True)
class QueueOutbound:
    """One message to send on X: a public reply to a post, or a DM to a user."""

    draft_id: int
    text: str
    channel: str = "public"
    in_reply_to_post_id: str | None = None
    recipient_id: str | None = None


@dataclass(frozen=True)
class RequeueFailedOutbound:
    """Retry the failed messages of the newest approved draft (reconciled first)."""


@dataclass(frozen=True)
class FinishOutbound:
    """Record how a send attempt ended; raises LeaseLost if another worker has it now."""

    job_id: int
    owner: str
    status: OutboundStatus
    post_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class QueueChannelPost:
    """A message to another channel (e.g. an escalation summary)."""

    channel: str
    text: str


@dataclass(frozen=True)
class QueueParentUpdate:
    """Re-render the case's parent message (implied by any step that changes the case)."""


CaseEffect = (SetAssignee | SetCloseReason | SetClosedAt | MarkMovedToDm | SetEscalatedTo
              | SetHiddenOnX | StartClock | StopClock | RecordFirstResponse)
Effect = (CaseEffect | AddPost | AddDraft | ReviewDraft | QueueOutbound | RequeueFailedOutbound
          | FinishOutbound | QueueChannelPost | QueueParentUpdate)


@dataclass(frozen=True)
class Step:
    """One transition: ``action`` by ``actor`` if the state allows it and the guards hold.

    ``note`` goes to the case's thread, ``detail`` to its event log.
    """

    action: Action
    actor: str
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    note: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class CaseEvent:
    """One line of a case's event log."""

    case_id: int
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    detail: str | None
    at: datetime


def approval_effects(case: Case, *, reviewer_id: str) -> tuple[Effect, ...]:
    """Approving the case's latest draft: mark it approved and queue what it sends."""
    draft = case.latest_draft
    effects: list[Effect] = [ReviewDraft(draft_id=draft.id, reviewer_id=reviewer_id,
                                         status=DraftStatus.APPROVED)]
    if draft.public_text is not None:
        effects.append(QueueOutbound(draft_id=draft.id, text=draft.public_text,
                                     channel="public",
                                     in_reply_to_post_id=case.reply_to_post_id))
    if draft.direct_text is not None:
        effects.append(QueueOutbound(draft_id=draft.id, text=draft.direct_text, channel="dm",
                                     recipient_id=case.customer.id))
    return tuple(effects)


def review_problem(case: Case, *, draft_id: int | None) -> str | None:
    """Why the case's draft cannot be reviewed now, ignoring who reviews: ``"state"``
    (no pending draft) or ``"stale"`` (another draft than ``draft_id``); None if it can."""
    draft = case.latest_draft
    if case.state is not CaseState.AWAITING_APPROVAL or draft is None \
            or draft.status is not DraftStatus.PENDING:
        return "state"
    if draft_id is not None and draft.id != draft_id:
        return "stale"
    return None


class LeaseLost(RuntimeError):
    """Another worker took this reply over (our lease expired): leave the outcome to it."""
