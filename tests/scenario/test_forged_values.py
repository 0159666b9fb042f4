"""Clicks whose value or action the desk did not write: a clear private answer, no change."""

from __future__ import annotations

import pytest

from bot.render import handler_text
from bot.render.ids import ActionId
from handlers import case_actions, quarantine
from handlers.case_actions import LISTENERS
from tests.scenario.harness import AGENT, CHANNEL, wait_until


class RegisteredActions:
    """Stands in for the Bolt app at registration: records each action's listener."""

    def __init__(self) -> None:
        self.listeners: dict[str, list] = {}

    def action(self, action_id: str):
        def record(listener):
            self.listeners.setdefault(action_id, []).append(listener)
            return listener
        return record

    def command(self, *_args, **_kwargs):
        return lambda listener: listener

    def middleware(self, middleware):
        return middleware


def test_every_action_id_has_one_named_listener():
    app = RegisteredActions()
    case_actions.register(app, services=None)
    quarantine.register(app, services=None)
    assert set(app.listeners) == {action.value for action in ActionId}
    assert all(len(found) == 1 and found[0].__name__ != "<lambda>"
               for found in app.listeners.values())
    assert set(LISTENERS) == set(ActionId)
    assert all(listener.__name__ != "<lambda>" for listener in LISTENERS.values())


@pytest.mark.parametrize(("action", "value"), [
    (ActionId.CLAIM.value, "not json"),
    (ActionId.CLAIM.value, '{"c":true}'),
    (ActionId.CLOSE.value, "1:deleted_forever"),
    (ActionId.MORE.value, "explode:1"),
    ("care.delete_everything", '{"c":1}'),
])
def test_a_forged_value_is_refused_with_a_private_answer(desk, action, value):
    post_id = desk.mention("@acme my bag is lost")
    parent = desk.parent_for(post_id)
    response = desk.requests.click(user_id=AGENT, action_id=action, value=value,
                                   channel_id=CHANNEL, message_ts=parent["ts"],
                                   selected_option=action == ActionId.CLOSE.value)
    assert response.status_code == 200
    wait_until(lambda: handler_text.NOT_OUR_BUTTON in desk.ephemerals_for(AGENT),
               message="the refusal")
    # The case is untouched: still New, and a real Claim still works afterwards.
    assert "New" in str(desk.fresh_parent(parent["ts"])["blocks"])
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
