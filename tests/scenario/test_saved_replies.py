"""Saved replies over real HTTP: the file at start-up and on reload, suggestions and Use,
the draft modal's type-ahead, and the leads' changes on the Home tab."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError
from bot.domain.saved_replies import SavedReply
from bot.render.actions import ReplyChoice, ReplyRef
from bot.render.ids import ActionId, BlockId, CaseRef, InputId, ViewId
from sandbox.slack_requests import choice
from storage.replies import SavedReplies
from tests.scenario.harness import AGENT, LEAD, SECRETS, Desk, wait_until

ROOT = Path(__file__).resolve().parents[2]
AIRLINE_FAQ = ROOT / "sandbox" / "airline_replies.yml"
FAQ_URL = "https://acme.example/faq"


@pytest.fixture
def desk(database_url):
    running = Desk.start(database_url=database_url, CARE_REPLIES_FILE=str(AIRLINE_FAQ),
                         CARE_FAQ_URL=FAQ_URL)
    yield running
    running.stop()


def _claimed(desk, text, *, username="jane_doe"):
    post_id = desk.mention(text, username=username)
    parent = desk.parent_for(post_id)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    return parent


def _buttons(message, action):
    return [e for b in message.get("blocks") or [] for e in b.get("elements") or []
            if e.get("action_id") == action.value]


def _modal_with(desk, user, callback, before):
    return wait_until(lambda: [v for v in desk.slack.views()[before:]
                               if v["user"] in (user, None)
                               and v["view"].get("callback_id") == callback.value],
                      message=f"{callback.value} modal")[-1]["view"]


def _text_input(view):
    return next(b for b in view["blocks"] if b.get("block_id", "").startswith("draft_text"))


def test_a_bad_replies_file_stops_the_bot_with_file_line_and_reason(tmp_path):
    bad = tmp_path / "replies.yml"
    bad.write_text("- title: Delayed bag\n  text: Sorry, {name}\n\n"
                   "- title: Lost pet\n  text: Sorry {nmae}\n")
    env = {**SECRETS, "SLACK_SIGNING_SECRET": "s", "CARE_CHANNEL_ID": "C0CARE",
           "CARE_LEAD_IDS": "ULEAD1", "CARE_REPLIES_FILE": str(bad)}
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    (problem,) = refused.value.problems
    assert str(bad) in problem and "line 4" in problem and "{nmae}" in problem

    started = subprocess.run([sys.executable, str(ROOT / "app.py"), "--env-file",
                              str(tmp_path / "none.env")], env={**os.environ, **env},
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert started.returncode == 2
    assert f"{bad}, line 4: unknown placeholder {{nmae}}" in started.stderr


def test_my_bag_never_arrived_suggests_delayed_bag_and_use_fills_the_modal(desk):
    parent = _claimed(desk, "@acme my bag never arrived in Boston", username="jane_doe")
    shown = desk.wait_state(parent, "Delayed bag")
    use = _buttons(shown, ActionId.USE_REPLY)
    assert 1 <= len(use) <= 3 and "Delayed bag" in use[0]["text"]["text"]

    before = len(desk.slack.views())
    desk.requests.click(user_id=AGENT, action_id=ActionId.USE_REPLY.value,
                        value=use[0]["value"], channel_id="C0CARE", message_ts=parent["ts"])
    view = _modal_with(desk, AGENT, ViewId.DRAFT, before)
    text_block = _text_input(view)
    filled = text_block["element"]["initial_value"]
    assert filled.startswith("Sorry your bag is late, ") and "{name}" not in filled
    assert "characters as X counts them" in str(view["blocks"])

    response = desk.requests.submit_view(user_id=AGENT, view=view, values={
        text_block["block_id"]: {InputId.DRAFT_TEXT.value: filled}})
    assert response.text == ""
    desk.approve(parent, user=LEAD)
    wait_until(lambda: any(p["text"].startswith("Sorry your bag is late")
                           for p in desk.x.brand_posts()), message="the reply on X")


def test_a_post_nothing_fits_says_so_rather_than_guess(desk):
    post_id = desk.mention("@acme is the captain on flight 12 married? asking for a friend")
    parent = desk.wait_state(desk.parent_for(post_id), "No saved reply fits")
    assert _buttons(parent, ActionId.USE_REPLY) == []


def test_the_type_ahead_answers_and_a_choice_replaces_the_text_box(desk):
    parent = _claimed(desk, "@acme where is my refund")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=ViewId.DRAFT)
    select = next(b for b in view["blocks"] if b.get("block_id") == BlockId.SAVED_REPLY.value)
    assert select["dispatch_action"] is True
    assert select["element"]["type"] == "external_select"

    started = time.perf_counter()
    answer = desk.requests.options(user_id=AGENT, view=view, action_id=ActionId.SAVED_REPLY.value,
                                   block_id=BlockId.SAVED_REPLY.value, value="bag").json()
    assert time.perf_counter() - started < 3
    titles = [o["text"]["text"] for o in answer["options"]]
    assert "Delayed bag" in titles and all(len(t) <= 75 for t in titles)

    chosen = next(o for o in answer["options"] if o["text"]["text"] == "Delayed bag")
    old_block = _text_input(view)["block_id"]
    desk.requests.choose_in_view(user_id=AGENT, view=view, action_id=ActionId.SAVED_REPLY.value,
                                 block_id=BlockId.SAVED_REPLY.value, value=chosen["value"])
    updated = wait_until(lambda: (lambda v: v if _text_input(v)["block_id"] != old_block
                                  else None)(next(r["view"] for r in desk.slack.views()
                                                  if r["id"] == view["id"])),
                         message="the modal updated with the chosen reply")
    assert _text_input(updated)["element"]["initial_value"].startswith("Sorry your bag is late")


def test_placeholders_that_push_a_reply_over_280_are_caught_in_the_modal(desk):
    # 254 characters before {name} is filled in: fine to save, too long once it is.
    text = "{name}, " + "we are so sorry about this. " * 9
    assert len(text.format(name="")) < 280
    stored = SavedReplies(desk.runtime.db).add(
        SavedReply(title="Long apology", text=text), actor=LEAD, now=datetime.now(UTC))
    desk.x.add_user(username="maxi", name="Maximiliana Bartholomew-Fitzgerald of Lancashire")
    parent = _claimed(desk, "@acme my bag never arrived", username="maxi")
    view = desk.open_modal(parent, ActionId.DRAFT, user=AGENT, callback_id=ViewId.DRAFT)
    desk.requests.choose_in_view(user_id=AGENT, view=view, action_id=ActionId.SAVED_REPLY.value,
                                 block_id=BlockId.SAVED_REPLY.value,
                                 value=ReplyChoice(case_id=_case_id(desk, parent),
                                                   reply_id=stored.id).encode())
    updated = wait_until(lambda: (lambda v: v if "Long apology" in str(v["blocks"]) else None)(
        next(r["view"] for r in desk.slack.views() if r["id"] == view["id"])),
        message="the modal filled with the long reply")
    note = str(updated["blocks"])
    assert ":warning:" in note and "280" in note
    text_block = _text_input(updated)
    filled = text_block["element"]["initial_value"]
    assert filled.startswith("Maximiliana Bartholomew")
    body = desk.requests.submit_view(user_id=AGENT, view=updated, values={
        text_block["block_id"]: {InputId.DRAFT_TEXT.value: filled}}).json()
    assert body["response_action"] == "errors"
    assert "characters" in body["errors"][text_block["block_id"]]


def _case_id(desk, parent) -> int:
    return CaseRef.decode(desk.button(parent, ActionId.DRAFT)["value"]).case_id


def test_replies_lists_usage_and_reload_refuses_a_bad_file(desk, tmp_path):
    listing = desk.requests.command(user_id=AGENT, text="replies", channel_id="C0CARE").json()
    assert "Most used" in listing["text"] and "Least used" in listing["text"]

    hours = desk.requests.command(user_id=AGENT, text="hours", channel_id="C0CARE").json()
    bio = next(line for line in hours["text"].splitlines() if "X bio" in line)
    assert bio.endswith(f" · FAQ: {FAQ_URL}")

    refused = desk.requests.command(user_id=AGENT, text="replies reload",
                                    channel_id="C0CARE").json()
    assert "Only a team lead" in refused["text"]

    reloaded = desk.requests.command(user_id=LEAD, text="replies reload",
                                     channel_id="C0CARE").json()
    assert "Replies file loaded" in reloaded["text"] and "49 unchanged" in reloaded["text"]


def test_a_lead_edits_a_reply_on_the_home_tab_and_an_agent_is_refused(desk):
    desk.requests.event(event={"type": "app_home_opened", "user": AGENT, "tab": "home"},
                        event_id="Ev-home-agent")
    agent_home = wait_until(lambda: desk.slack.home_view(AGENT), message="the agent's Home")
    assert "Only team leads can change them" in str(agent_home["blocks"])
    assert ActionId.REPLY_EDIT.value not in str(agent_home["blocks"])
    assert "from file" in str(agent_home["blocks"])

    desk.requests.event(event={"type": "app_home_opened", "user": LEAD, "tab": "home"},
                        event_id="Ev-home-lead")
    lead_home = wait_until(lambda: desk.slack.home_view(LEAD), message="the lead's Home")
    edit = next(e for b in lead_home["blocks"] for e in b.get("elements") or []
                if e.get("action_id") == ActionId.REPLY_EDIT.value)
    edits = [e for b in lead_home["blocks"] for e in b.get("elements") or []
             if e.get("action_id") == ActionId.REPLY_EDIT.value]
    assert len(edits) == 10  # a page of replies, each with its Edit

    # An agent who sends the same click gets no editor, only the refusal on their Home.
    before = len(desk.slack.views())
    desk.requests.home_click(user_id=AGENT, view=agent_home,
                             action_id=ActionId.REPLY_EDIT.value, value=edit["value"])
    wait_until(lambda: "Only a team lead can change" in str(
        desk.slack.home_view(AGENT)["blocks"]), message="the agent's refusal")
    assert not [v for v in desk.slack.views()[before:]
                if v["view"]["callback_id"] == ViewId.REPLY_EDIT.value]

    desk.requests.home_click(user_id=LEAD, view=lead_home,
                             action_id=ActionId.REPLY_EDIT.value, value=edit["value"])
    editor = _modal_with(desk, LEAD, ViewId.REPLY_EDIT, before)
    values = {b["block_id"]: b["element"] for b in editor["blocks"] if b["type"] == "input"}
    title = values[BlockId.REPLY_TITLE.value]["initial_value"]
    typed = {block: {InputId.REPLY_FIELD.value: element.get("initial_value") or ""}
             for block, element in values.items() if element["type"] == "plain_text_input"}
    typed[BlockId.REPLY_TEXT.value] = {InputId.REPLY_FIELD.value: "Edited by a lead, {name}."}
    typed[BlockId.REPLY_CHANNEL.value] = {InputId.REPLY_FIELD.value: choice(
        "both", element="static_select")}

    forged = desk.requests.submit_view(user_id=AGENT, view=editor, values=typed).json()
    assert forged["response_action"] == "errors"
    assert "Only a team lead" in str(forged["errors"])

    assert desk.requests.submit_view(user_id=LEAD, view=editor, values=typed).text == ""
    replies = SavedReplies(desk.runtime.db)
    saved = wait_until(lambda: (lambda r: r if r and "Edited by a lead" in r.reply.text
                                else None)(replies.by_title(title)), message="the edited reply")
    history = replies.history(saved.id)
    assert history[0].actor == LEAD and history[0].action == "edited"


def _home_buttons(view, action):
    return [e for b in view["blocks"] for e in b.get("elements") or []
            if e.get("action_id") == action.value]


def test_a_lead_retires_and_restores_a_reply_on_the_home_tab_and_an_agent_cannot(desk):
    desk.requests.event(event={"type": "app_home_opened", "user": LEAD, "tab": "home"},
                        event_id="Ev-home-lead-retire")
    lead_home = wait_until(lambda: desk.slack.home_view(LEAD), message="the lead's Home")
    assert not _home_buttons(lead_home, ActionId.REPLY_RESTORE)
    retire = _home_buttons(lead_home, ActionId.REPLY_RETIRE)[0]
    desk.requests.home_click(user_id=LEAD, view=lead_home,
                             action_id=ActionId.REPLY_RETIRE.value, value=retire["value"])
    retired_home = wait_until(lambda: (lambda v: v if v and _home_buttons(
        v, ActionId.REPLY_RESTORE) else None)(desk.slack.home_view(LEAD)),
        message="Restore on the lead's Home")
    restore = _home_buttons(retired_home, ActionId.REPLY_RESTORE)
    assert [b["value"] for b in restore] == [retire["value"]]
    assert "~(retired)~" in str(retired_home["blocks"])

    replies = SavedReplies(desk.runtime.db)
    reply_id = ReplyRef.decode(retire["value"]).reply_id
    assert replies.get(reply_id).retired

    # Agents see no Restore, and a forged click is refused with the reply still retired.
    desk.requests.event(event={"type": "app_home_opened", "user": AGENT, "tab": "home"},
                        event_id="Ev-home-agent-retire")
    agent_home = wait_until(lambda: desk.slack.home_view(AGENT), message="the agent's Home")
    assert "~(retired)~" in str(agent_home["blocks"])
    assert not _home_buttons(agent_home, ActionId.REPLY_RESTORE)
    desk.requests.home_click(user_id=AGENT, view=agent_home,
                             action_id=ActionId.REPLY_RESTORE.value, value=restore[0]["value"])
    wait_until(lambda: "Only a team lead can change" in str(
        desk.slack.home_view(AGENT)["blocks"]), message="the agent's refusal")
    assert replies.get(reply_id).retired

    desk.requests.home_click(user_id=LEAD, view=retired_home,
                             action_id=ActionId.REPLY_RESTORE.value, value=restore[0]["value"])
    wait_until(lambda: not replies.get(reply_id).retired, message="the reply restored")
    history = replies.history(reply_id)
    assert [(h.action, h.actor) for h in history[:2]] == [("restored", LEAD), ("retired", LEAD)]
    restored_home = wait_until(lambda: (lambda v: v if v and not _home_buttons(
        v, ActionId.REPLY_RESTORE) else None)(desk.slack.home_view(LEAD)),
        message="the lead's Home without Restore")
    assert "~(retired)~" not in str(restored_home["blocks"])


def test_the_sandbox_loads_the_airline_faq_so_a_lost_bag_gets_delayed_bag():
    from sandbox.run import CHANNEL, Sandbox

    with Sandbox(port=0, seed=False) as sandbox:
        post_id = sandbox.customer_post(username="new_user", text="my bag never arrived")
        parent = wait_until(lambda: next((m for m in sandbox.slack.messages(CHANNEL)
                                          if f"/status/{post_id}" in str(m.get("blocks"))
                                          and "Use: Delayed bag" in str(m.get("blocks"))),
                                         None), message="Delayed bag suggested")
        assert "Saved replies that fit" in str(parent["blocks"])


def test_reload_refuses_a_broken_file_and_keeps_the_replies_in_use(database_url, tmp_path):
    replies_file = tmp_path / "replies.yml"
    replies_file.write_text(AIRLINE_FAQ.read_text())
    desk = Desk.start(database_url=database_url, CARE_REPLIES_FILE=str(replies_file))
    try:
        store = SavedReplies(desk.runtime.db)
        before = [(s.reply.title, s.reply.text) for s in store.active()]
        assert len(before) == 49
        replies_file.write_text("- title: Delayed bag\n  text: Sorry about {bag}\n"
                                "- title: Hello\n  channel: sometimes\n  text: hi\n")
        refused = desk.requests.command(user_id=LEAD, text="replies reload",
                                        channel_id="C0CARE").json()["text"]
        assert "was not loaded" in refused
        assert f"{replies_file}, line 1: unknown placeholder {{bag}}" in refused
        assert f"{replies_file}, line 4" in refused
        assert [(s.reply.title, s.reply.text) for s in store.active()] == before
    finally:
        desk.stop()
