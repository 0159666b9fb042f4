"""Every click whose listener opens or changes a modal is answered at once (never queued
behind other clicks' work), and only those: Slack's trigger_id lasts 3 seconds."""

import inspect

from handlers.case_actions import LISTENERS, MODAL_CLICKS

VIEW_CALLS = ("open_view(", "update_view(", "_open(")


def _touches_a_modal(listener) -> bool:
    source = inspect.getsource(listener)
    return any(call in source for call in VIEW_CALLS)


def test_the_modal_clicks_are_exactly_the_listeners_that_open_or_change_a_modal():
    touching = {action for action, listener in LISTENERS.items() if _touches_a_modal(listener)}
    assert touching, "the listeners that open modals are found"
    assert touching == set(MODAL_CLICKS)
