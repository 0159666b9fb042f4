import pytest

from bot.domain.case import (
    OPEN_STATES,
    TRANSITIONS,
    Action,
    CaseState,
    CloseReason,
    TransitionError,
    can,
    target_state,
)


@pytest.mark.parametrize(("action", "start", "end"), [
    (Action.CLAIM, CaseState.NEW, CaseState.CLAIMED),
    (Action.UNCLAIM, CaseState.CLAIMED, CaseState.NEW),
    (Action.SUBMIT_DRAFT, CaseState.CLAIMED, CaseState.AWAITING_APPROVAL),
    (Action.SUBMIT_DRAFT, CaseState.AWAITING_APPROVAL, CaseState.AWAITING_APPROVAL),
    (Action.APPROVE, CaseState.AWAITING_APPROVAL, CaseState.APPROVED),
    (Action.REQUEST_CHANGES, CaseState.AWAITING_APPROVAL, CaseState.CLAIMED),
    (Action.START_SEND, CaseState.APPROVED, CaseState.SENDING),
    (Action.SEND_SUCCEEDED, CaseState.SENDING, CaseState.REPLIED),
    (Action.SEND_FAILED, CaseState.SENDING, CaseState.SEND_FAILED),
    (Action.RETRY_SEND, CaseState.SEND_FAILED, CaseState.APPROVED),
    (Action.EDIT_AFTER_FAILURE, CaseState.SEND_FAILED, CaseState.CLAIMED),
    (Action.CLOSE, CaseState.REPLIED, CaseState.CLOSED),
    (Action.IGNORE, CaseState.NEW, CaseState.IGNORED),
    (Action.REOPEN, CaseState.CLOSED, CaseState.NEW),
    (Action.REOPEN, CaseState.IGNORED, CaseState.NEW),
])
def test_legal_transitions(action, start, end):
    assert target_state(action, start) is end


@pytest.mark.parametrize(("action", "start"), [
    (Action.CLAIM, CaseState.CLAIMED),
    (Action.APPROVE, CaseState.CLAIMED),
    (Action.APPROVE, CaseState.APPROVED),
    (Action.SUBMIT_DRAFT, CaseState.NEW),
    (Action.CLOSE, CaseState.SENDING),
    (Action.CLOSE, CaseState.APPROVED),
    (Action.REOPEN, CaseState.REPLIED),
    (Action.RETRY_SEND, CaseState.REPLIED),
])
def test_illegal_transitions_raise(action, start):
    assert not can(action, start)
    with pytest.raises(TransitionError, match=f"cannot {action.value}"):
        target_state(action, start)


def test_every_action_has_an_entry_and_every_state_is_reachable():
    assert set(TRANSITIONS) == set(Action)
    reachable = {CaseState.NEW} | {target for _, target in TRANSITIONS.values()}
    assert reachable == set(CaseState)


def test_a_reply_on_its_way_cannot_be_closed_or_edited():
    for state in (CaseState.APPROVED, CaseState.SENDING):
        assert not any(can(a, state) for a in (Action.CLOSE, Action.IGNORE, Action.SUBMIT_DRAFT,
                                              Action.CLAIM, Action.UNCLAIM))


def test_close_reasons_map_to_close_or_ignore():
    assert CloseReason.RESOLVED.action is Action.CLOSE
    assert CloseReason.SPAM.action is Action.IGNORE
    assert CloseReason.NOT_A_REQUEST.action is Action.IGNORE
    assert CaseState.CLOSED not in OPEN_STATES and CaseState.NEW in OPEN_STATES
