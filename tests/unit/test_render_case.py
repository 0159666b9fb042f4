from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.case import CaseState
from bot.domain.model import Author, Case, Draft, DraftStatus
from bot.render.case_message import case_parent, thread_note
from bot.render.modals import draft_modal, move_to_dm_modal, request_changes_modal

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def make_case(state=CaseState.NEW, **overrides):
    values = dict(id=4, state=state, source_post_id="1860000000000000001",
                  customer=Author(id="77", username="jane_doe", name="Jane", followers=12000),
                  text="@acme where is my bag?", post_created_at=NOW, assignee_id=None,
                  close_reason=None, slack_channel="C1", slack_ts="1.1", version=1,
                  created_at=NOW)
    values.update(overrides)
    return Case(**values)


def action_ids(blocks, *, with_more: bool = False):
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return ids if with_more else [i for i in ids if i != "care.more"]


def test_more_menu_offers_mute_and_hide_reversibly():
    plain, _ = case_parent(make_case(CaseState.NEW), now=NOW, tz=UTC)
    assert action_ids(plain, with_more=True)[-1] == "care.more"
    menu = plain[-1]["elements"][-1]
    assert [o["value"] for o in menu["options"]] == ["mute:4"]
    reply, _ = case_parent(make_case(CaseState.CLAIMED, replies_to_brand=True, hidden_on_x=True,
                                     author_muted=True), now=NOW, tz=UTC)
    menu = reply[-1]["elements"][-1]
    assert [o["value"] for o in menu["options"]] == ["unmute:4", "unhide:4"]
    assert "Author muted" in str(reply) and "Reply hidden on X" in str(reply)


@pytest.mark.parametrize(("state", "expected"), [
    (CaseState.NEW, ["care.claim", "care.close"]),
    (CaseState.CLAIMED, ["care.draft", "care.unclaim", "care.move_to_dm", "care.close"]),
    (CaseState.AWAITING_APPROVAL, ["care.approve", "care.request_changes", "care.draft",
                                   "care.move_to_dm", "care.close"]),
    (CaseState.APPROVED, []),
    (CaseState.SENDING, []),
    (CaseState.SEND_FAILED, ["care.retry_send", "care.draft", "care.move_to_dm", "care.close"]),
    (CaseState.REPLIED, ["care.close"]),
    (CaseState.CLOSED, ["care.reopen"]),
    (CaseState.IGNORED, ["care.reopen"]),
])
def test_buttons_fit_the_state(state, expected):
    blocks, _ = case_parent(make_case(state, assignee_id="U1"), now=NOW, tz=UTC)
    assert action_ids(blocks) == expected


def test_parent_shows_author_reach_text_link_state_and_assignee():
    blocks, fallback = case_parent(make_case(CaseState.CLAIMED, assignee_id="U9"), now=NOW, tz=UTC)
    text = str(blocks)
    assert "*Jane* @jane_doe · 12,000 followers" in text
    assert "&gt; @acme where is my bag?" in text
    assert "<https://x.com/jane_doe/status/1860000000000000001|View on X>" in text
    assert "<!date^" in text and "Claimed" in text and "<@U9>" in text
    assert fallback.startswith("[claimed] @jane_doe:")


def test_approve_button_names_the_draft_it_approves():
    draft = Draft(id=31, case_id=4, author_id="U1", text="hi", status=DraftStatus.PENDING)
    case = make_case(CaseState.AWAITING_APPROVAL, latest_draft=draft)
    blocks, _ = case_parent(case, now=NOW, tz=UTC)
    approve = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"] == "care.approve")
    assert approve["value"] == '{"c":4,"d":31}'


def test_hostile_name_and_handle_cannot_inject_links():
    case = make_case(customer=Author(id="1", username="x>|<", name="<!here>", followers=0))
    blocks, fallback = case_parent(case, now=NOW, tz=UTC)
    assert "<!here>" not in str(blocks) and "&lt;!here&gt;" in str(blocks)
    assert "https://x.com/x/status/" in str(blocks)


def test_limits_hold_for_huge_text():
    blocks, fallback = case_parent(make_case(text="&" * 10_000, customer=Author(
        id="1", username="u", name="N" * 500, followers=1)), now=NOW, tz=UTC)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert len(fallback) <= 320
    note_blocks, note_text = thread_note("y" * 5000)
    assert len(note_blocks[0]["text"]["text"]) <= 3000 and len(note_text) <= 3000


def test_buttons_follow_dm_and_escalation():
    moved = make_case(CaseState.CLAIMED, moved_to_dm=True, escalated_to="legal")
    blocks, _ = case_parent(moved, now=NOW, tz=UTC, can_escalate=True)
    assert action_ids(blocks) == ["care.draft", "care.unclaim", "care.close"]
    assert "Moved to DM" in str(blocks) and "Escalated to legal" in str(blocks)
    fresh, _ = case_parent(make_case(CaseState.NEW), now=NOW, tz=UTC, can_escalate=True)
    assert action_ids(fresh) == ["care.claim", "care.escalate", "care.close"]


def test_modals_carry_only_ids_in_metadata():
    view = draft_modal(case=make_case(CaseState.CLAIMED), initial_text="draft",
                       signature=" ^AB")
    assert view["private_metadata"] == '{"c":4}'
    radio = view["blocks"][1]["element"]
    assert radio["type"] == "radio_buttons" and radio["initial_option"]["value"] == "public"
    assert [o["text"]["text"] for o in radio["options"]] == ["PUBLIC reply on X",
                                                             "Direct message (DM)"]
    text = view["blocks"][2]
    assert text["element"]["initial_value"] == "draft" and text["element"]["multiline"] is True
    assert '"^AB" included' in text["hint"]["text"]


def test_search_hits_get_a_dm_only_draft_modal():
    view = draft_modal(case=make_case(CaseState.CLAIMED, public_reply_allowed=False,
                                      origin="search"))
    assert "radio_buttons" not in str(view) and "DM only" in str(view)


def test_move_to_dm_modal_has_the_deep_link_and_both_parts():
    view = move_to_dm_modal(case=make_case(CaseState.CLAIMED), brand_id="1500000001")
    invite = view["blocks"][1]["element"]["initial_value"]
    assert "https://x.com/messages/compose?recipient_id=1500000001" in invite
    assert [b.get("block_id") for b in view["blocks"][1:3]] == ["draft_text", "dm_text"]
    assert all(b.get("optional") for b in view["blocks"][1:3])
    changes = request_changes_modal(case_id=4, draft_id=8)
    assert changes["private_metadata"] == '{"c":4,"d":8}' and len(changes["title"]["text"]) <= 24


@pytest.mark.parametrize(("due_minutes", "state", "words"), [
    (42, CaseState.NEW, ":stopwatch: due in 42 min"),
    (-65, CaseState.CLAIMED, ":warning: overdue by 1 h 5 min"),
    (60 * 24 * 5, CaseState.NEW, ":stopwatch: due Mon 09:30"),
])
def test_parent_words_the_deadline(due_minutes, state, words):
    case = make_case(state, sla_due_at=NOW + timedelta(minutes=due_minutes))
    blocks, _ = case_parent(case, now=NOW, tz=UTC)
    assert words in str(blocks)


def test_no_deadline_once_replied_or_closed():
    for state in (CaseState.REPLIED, CaseState.CLOSED):
        blocks, _ = case_parent(make_case(state, sla_due_at=NOW), now=NOW, tz=UTC)
        assert "due" not in str(blocks[2])
