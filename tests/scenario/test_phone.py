"""Move to phone over real HTTP: the DM asking for a number, the callback flag with the
number masked for everyone but the assignee, and Called recording the outcome."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.render.ids import ActionId, BlockId, InputId, ViewId
from tests.scenario.harness import AGENT, AGENT2, CHANNEL, LEAD, Desk, wait_until

AIRLINE_FAQ = Path(__file__).resolve().parents[2] / "sandbox" / "airline_replies.yml"
SUPPORT_LINE = "+1 800 555 0100"
FULL = ("4155554567", "415 555 4567", "415-555-4567", "+14155554567")


@pytest.fixture
def desk(database_url):
    running = Desk.start(database_url=database_url, CARE_REPLIES_FILE=str(AIRLINE_FAQ),
                         CARE_PHONE_NUMBER=SUPPORT_LINE)
    yield running
    running.stop()


def _everything_in_the_channel(desk, parent) -> str:
    return str(desk.slack.messages(CHANNEL)) + str(desk.slack.thread(CHANNEL, parent["ts"]))


def test_move_to_phone_flags_a_callback_and_masks_the_number(desk, caplog):
    caplog.set_level(logging.DEBUG)
    desk.poll_dms()
    parent = desk.parent_for(desk.mention("@acme I have been on hold for an hour, call me",
                                          username="jane_doe"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.has_button(parent, ActionId.MOVE_TO_DM)
    view = desk.open_modal(parent, ActionId.MOVE_TO_PHONE, user=AGENT,
                           callback_id=ViewId.MOVE_TO_PHONE)
    dm_block = next(b for b in view["blocks"] if b.get("block_id") == BlockId.DM_TEXT.value)
    ask = dm_block["element"]["initial_value"]
    assert "a number and a good time to call" in ask and "{name}" not in ask
    assert SUPPORT_LINE in dm_block["hint"]["text"]

    assert desk.requests.submit_view(user_id=AGENT, view=view, values={
        BlockId.DM_TEXT.value: {InputId.DM_TEXT.value: ask}}).text == ""
    desk.approve(parent, user=LEAD)
    wait_until(lambda: "Asked for a phone number" in str(desk.fresh_parent(parent["ts"])),
               message="the phone line on the parent")

    desk.x.send_dm_as_customer(username="jane_doe",
                               text="Sure, 415-555-4567 any time after 5pm please")
    desk.poll_dms()
    wait_until(lambda: any("DM" in t for t in desk.thread_texts(parent["ts"])[1:]),
               message="the DM in the thread")
    desk.runtime.jobs.kick("check_callbacks")
    shown = wait_until(lambda: (lambda m: m if "Callback requested" in str(m["blocks"])
                                else None)(desk.fresh_parent(parent["ts"])),
                       message="Callback requested on the parent")
    assert "+1 ••• ••• 4567" in str(shown["blocks"])

    mine = wait_until(lambda: [t for t in desk.ephemerals_for(AGENT) if "+14155554567" in t],
                      message="the number for the assignee")
    assert len(mine) == 1
    assert not any(n in t for n in FULL for user in (AGENT2, LEAD)
                   for t in desk.ephemerals_for(user))
    # Neither the desk's own logs (any level) nor anything at INFO and above holds it.
    logged = [r for r in caplog.records if r.levelno >= logging.INFO
              or r.name.split(".")[0] in ("bot", "handlers", "storage", "care_desk")]
    leaks = [r.name for r in logged for n in FULL if n in r.getMessage()]
    assert leaks == []

    note = wait_until(lambda: next((m for m in desk.slack.thread(CHANNEL, parent["ts"])
                                    if ActionId.CALLED.value in str(m.get("blocks"))), None),
                      message="the Called menu in the thread")
    channel_text = _everything_in_the_channel(desk, parent)
    assert "+1 ••• ••• 4567" in str(note["blocks"])
    assert not any(n in channel_text for n in FULL)
    menu = next(e for b in note["blocks"] for e in b.get("elements") or []
                if e.get("action_id") == ActionId.CALLED.value)
    value = next(o["value"] for o in menu["options"] if o["value"].endswith(":no_answer"))
    desk.requests.click(user_id=AGENT, action_id=ActionId.CALLED.value, value=value,
                        channel_id=CHANNEL, message_ts=note["ts"], selected_option=True)
    wait_until(lambda: any("called: *No answer*" in t
                           for t in desk.thread_texts(parent["ts"])), message="the outcome")
    desk.wait_state(parent, "Called · No answer")
