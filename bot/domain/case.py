"""Case states and the one transition table every state change goes through.

Pure: no Slack, X or SQL here. Storage applies a transition as a compare-and-set
(``UPDATE cases SET state=:to WHERE id=:id AND state IN (:allowed)``), so the
table below is the single source of truth for which action is legal from where.

Example::

    >>> from bot.domain.case import Action, CaseState, target_state
    >>> target_state(Action.CLAIM, CaseState.NEW)
    <CaseState.CLAIMED: 'claimed'>
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    SENDING = "sending"
    SEND_FAILED = "send_failed"
    REPLIED = "replied"
    CLOSED = "closed"
    IGNORED = "ignored"


class Action(StrEnum):
    CLAIM = "claim"
    UNCLAIM = "unclaim"
    SUBMIT_DRAFT = "submit_draft"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    START_SEND = "start_send"
    SEND_SUCCEEDED = "send_succeeded"
    SEND_FAILED = "send_failed"
    RETRY_SEND = "retry_send"
    EDIT_AFTER_FAILURE = "edit_after_failure"
    CLOSE = "close"
    IGNORE = "ignore"
    REOPEN = "reopen"
    FOLLOWUP = "followup"                    # the customer writes again: unclaimed
    FOLLOWUP_ASSIGNED = "followup_assigned"  # ... back to the agent who answered


class CloseReason(StrEnum):
    RESOLVED = "resolved"
    NOT_A_REQUEST = "not_a_request"
    SPAM = "spam"

    @property
    def action(self) -> Action:
        """Resolved closes; not-a-request and spam mark the case ignored."""
        return Action.CLOSE if self is CloseReason.RESOLVED else Action.IGNORE


S = CaseState
_CLOSABLE = frozenset({S.NEW, S.CLAIMED, S.AWAITING_APPROVAL, S.SEND_FAILED, S.REPLIED})

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[CaseState], CaseState]] = {
    Action.CLAIM: (frozenset({S.NEW}), S.CLAIMED),
    Action.UNCLAIM: (frozenset({S.CLAIMED}), S.NEW),
    Action.SUBMIT_DRAFT: (frozenset({S.CLAIMED, S.AWAITING_APPROVAL}), S.AWAITING_APPROVAL),
    Action.APPROVE: (frozenset({S.AWAITING_APPROVAL}), S.APPROVED),
    Action.REQUEST_CHANGES: (frozenset({S.AWAITING_APPROVAL}), S.CLAIMED),
    Action.START_SEND: (frozenset({S.APPROVED}), S.SENDING),
    Action.SEND_SUCCEEDED: (frozenset({S.SENDING, S.APPROVED, S.SEND_FAILED}), S.REPLIED),
    Action.SEND_FAILED: (frozenset({S.SENDING, S.APPROVED}), S.SEND_FAILED),
    Action.RETRY_SEND: (frozenset({S.SEND_FAILED}), S.APPROVED),
    Action.EDIT_AFTER_FAILURE: (frozenset({S.SEND_FAILED}), S.CLAIMED),
    Action.CLOSE: (_CLOSABLE, S.CLOSED),
    Action.IGNORE: (_CLOSABLE, S.IGNORED),
    Action.REOPEN: (frozenset({S.CLOSED, S.IGNORED}), S.NEW),
    Action.FOLLOWUP: (frozenset({S.REPLIED, S.CLOSED, S.IGNORED}), S.NEW),
    Action.FOLLOWUP_ASSIGNED: (frozenset({S.REPLIED}), S.CLAIMED),
}

OPEN_STATES = frozenset(set(CaseState) - {S.CLOSED, S.IGNORED})
# States in which the customer is still waiting for our first answer (the SLA clock runs).
WAITING_ON_US = frozenset({S.NEW, S.CLAIMED, S.AWAITING_APPROVAL, S.APPROVED, S.SENDING,
                           S.SEND_FAILED})


class TransitionError(ValueError):
    """An action that the table does not allow from the case's current state."""

    def __init__(self, action: Action, state: CaseState) -> None:
        super().__init__(f"cannot {action.value} a case that is {state.value}")
        self.action = action
        self.state = state


def allowed_from(action: Action) -> frozenset[CaseState]:
    """States from which ``action`` is legal."""
    return TRANSITIONS[action][0]


def target_state(action: Action, current: CaseState) -> CaseState:
    """The state ``action`` leads to from ``current``; raises TransitionError if illegal."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionError(action, current)
    return target


def can(action: Action, current: CaseState) -> bool:
    return current in TRANSITIONS[action][0]
