"""The action codec: what renderers encode, the listener boundary decodes, and nothing else."""

from datetime import UTC, datetime

import pytest

from bot.domain.case import CaseState, CloseReason
from bot.domain.model import Author, Case, Draft, DraftStatus
from bot.domain.phone import CallOutcome
from bot.render.actions import (
    PAYLOAD_OF,
    CallChoice,
    CloseChoice,
    ModerationChoice,
    ModerationVerb,
    PageRef,
    PostRef,
    QuarantineRef,
    ReplyChoice,
    ReplyRef,
    case_id_of,
    decode_action,
)
from bot.render.case_message import case_parent
from bot.render.ids import ActionId, BadReference, CaseRef

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)

EXAMPLES = {
    CaseRef: [CaseRef(case_id=1), CaseRef(case_id=7, draft_id=31),
              CaseRef(case_id=2**62, draft_id=1)],
    CloseChoice: [CloseChoice(case_id=4, reason=reason) for reason in CloseReason],
    ModerationChoice: [ModerationChoice(case_id=9, verb=verb) for verb in ModerationVerb],
    PostRef: [PostRef(post_id="1860000000000000001"), PostRef(post_id="dm-event_17")],
    QuarantineRef: [QuarantineRef(item_id=1), QuarantineRef(item_id=12345)],
    ReplyChoice: [ReplyChoice(case_id=7, reply_id=12), ReplyChoice(case_id=10**17, reply_id=1)],
    ReplyRef: [ReplyRef(reply_id=None), ReplyRef(reply_id=3)],
    PageRef: [PageRef(page=0), PageRef(page=12)],
    CallChoice: [CallChoice(case_id=5, outcome=outcome) for outcome in CallOutcome],
}


@pytest.mark.parametrize("action", list(ActionId))
def test_every_payload_round_trips_through_its_action(action):
    kind = PAYLOAD_OF[action]
    for payload in EXAMPLES[kind]:
        assert decode_action(action.value, payload.encode()) == (action, payload)


def test_every_action_has_a_payload_kind():
    assert set(PAYLOAD_OF) == set(ActionId)


def test_wire_shapes_stay_the_ones_already_posted():
    assert CaseRef(case_id=4, draft_id=31).encode() == '{"c":4,"d":31}'
    assert CloseChoice(case_id=4, reason=CloseReason.RESOLVED).encode() == "4:resolved"
    assert ModerationChoice(case_id=4, verb=ModerationVerb.UNHIDE).encode() == "unhide:4"
    assert PostRef(post_id="123").encode() == "123"


@pytest.mark.parametrize(("action", "raw"), [
    (ActionId.CLAIM, ""), (ActionId.CLAIM, None), (ActionId.CLAIM, "7"),
    (ActionId.CLAIM, '{"c":true}'), (ActionId.CLAIM, '{"c":0}'), (ActionId.CLAIM, '{"c":-3}'),
    (ActionId.APPROVE, '{"c":1,"d":false}'), (ActionId.APPROVE, '{"c":1,"d":1.5}'),
    (ActionId.CLAIM, '{"c":' + "9" * 30 + "}"), (ActionId.CLAIM, "[1]"),
    (ActionId.CLOSE, "4"), (ActionId.CLOSE, "4:gone"), (ActionId.CLOSE, ":resolved"),
    (ActionId.CLOSE, "x:resolved"), (ActionId.CLOSE, "٤:resolved"), (ActionId.CLOSE, "-4:spam"),
    (ActionId.CLOSE, "04:spam"), (ActionId.CLOSE, '{"c":4}'),
    (ActionId.MORE, "mute"), (ActionId.MORE, "mute:"), (ActionId.MORE, "delete:4"),
    (ActionId.MORE, "mute:4:5"), (ActionId.MORE, "4:mute"),
    (ActionId.MAKE_CASE, "1 2"), (ActionId.MAKE_CASE, "<!channel>"),
    (ActionId.MAKE_CASE, "9" * 65),
    (ActionId.APPROVE, '{"c":1,"pad":"' + "x" * 2000 + '"}'),
])
def test_malformed_values_are_refused(action, raw):
    with pytest.raises(BadReference):
        decode_action(action.value, raw)


@pytest.mark.parametrize("action_id", ["care.delete", "", None, "CARE.CLAIM"])
def test_unknown_actions_are_refused(action_id):
    with pytest.raises(BadReference):
        decode_action(action_id, '{"c":1}')


def test_case_id_of_each_kind():
    assert case_id_of(CaseRef(case_id=3, draft_id=2)) == 3
    assert case_id_of(CloseChoice(case_id=5, reason=CloseReason.SPAM)) == 5
    assert case_id_of(PostRef(post_id="8")) is None


def _case(state: CaseState) -> Case:
    draft = Draft(id=31, case_id=4, author_id="UA", text="Sorry!", status=DraftStatus.PENDING)
    return Case(id=4, state=state, source_post_id="1", text="@acme help", post_created_at=NOW,
                customer=Author(id="77", username="jane", name="Jane", followers=1),
                assignee_id="UA", close_reason=None, slack_channel="C1", slack_ts="1.1",
                version=1, created_at=NOW, latest_draft=draft, replies_to_brand=True)


@pytest.mark.parametrize("state", list(CaseState))
def test_every_value_a_parent_message_carries_decodes(state):
    blocks, _ = case_parent(_case(state), now=NOW, tz=UTC, can_escalate=True)
    seen = 0
    for block in blocks:
        for element in block.get("elements") or []:
            if "action_id" not in element:
                continue
            values = ([element["value"]] if "value" in element
                      else [o["value"] for o in element["options"]])
            for value in values:
                action, payload = decode_action(element["action_id"], value)
                assert case_id_of(payload) == 4
                seen += 1
    assert seen >= 1  # every state offers at least the More menu or Reopen
