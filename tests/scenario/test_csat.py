"""CSAT over HTTP: a DM case closed as resolved gets one rating question by DM; a 1-5 reply
is recorded and shown in the thread (and in the report's CSV); anything else is a normal
follow-up; the question waits while agents' replies use X's DM budget."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import requests

from bot.render.ids import ActionId
from bot.settings_table import CSAT_DEFAULT_TEXT
from storage.csat import CsatQuestions
from tests.scenario.harness import AGENT, CHANNEL, LEAD, Desk, FakeClock, wait_until


@pytest.fixture
def clock():
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def csat_desk(database_url, clock):
    desk = Desk.start(database_url=database_url, clock=clock, CARE_CSAT="true")
    yield desk
    desk.stop()


def thread_has(desk, parent, *words):
    return wait_until(lambda: [t for t in desk.thread_texts(parent["ts"])
                               if all(w in t for w in words)], message=f"thread note {words}")


def dm_case(desk, *, username: str = "jane_doe", text: str = "Hi, my refund never came"):
    """A customer writes by DM; returns the parent of the case it opens."""
    before = len(desk.parents())
    desk.x.send_dm_as_customer(username=username, text=text)
    desk.poll_dms()
    wait_until(lambda: len(desk.parents()) == before + 1, message="a case for the DM")
    return desk.parents()[before]


def questions(desk) -> list[dict]:
    return [d for d in desk.x.brand_dms() if d["text"] == CSAT_DEFAULT_TEXT]


def answer_by_dm(desk, parent, text: str) -> None:
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    assert desk.draft(parent, text, user=AGENT).text == ""
    desk.approve(parent, user=LEAD)
    desk.wait_state(parent, "Replied")


def resolve(desk, parent) -> None:
    desk.click(parent, ActionId.CLOSE, user=AGENT, option="resolved")
    desk.wait_state(parent, "Closed")


def send_csat_now(desk) -> int:
    """Run the CSAT job's work once, here (the scheduler may also run it meanwhile)."""
    return desk.runtime.jobs.jobs["send_csat"].work()


def test_a_resolved_dm_case_is_asked_once_and_its_rating_lands_in_thread_and_report(
        csat_desk, clock):
    desk = csat_desk
    desk.poll_dms()
    parent = dm_case(desk)
    answer_by_dm(desk, parent, "So sorry! The refund is on its way today.")
    resolve(desk, parent)
    [question] = wait_until(lambda: questions(desk), message="the CSAT question")
    customer = desk.x.brand_dms()[0]["recipient_id"]
    assert question["recipient_id"] == customer
    thread_has(desk, parent, "CSAT", "asked by DM to rate")

    desk.x.send_dm_as_customer(username="jane_doe", text="⭐⭐⭐⭐")
    desk.poll_dms()
    thread_has(desk, parent, "CSAT", "rated this conversation *4/5*")
    assert "Closed" in str(desk.fresh_parent(parent["ts"])["blocks"])  # not reopened
    assert not [t for t in desk.thread_texts(parent["ts"]) if "*DM* from" in t and "⭐" in t]
    assert CsatQuestions(desk.runtime.db).rating_of(1) == 4

    clock.advance(minutes=1)  # the report covers what happened before now
    response = desk.requests.command(user_id=LEAD, text="report week this", channel_id=CHANNEL)
    assert "Building the report" in response.json()["text"]
    [message] = wait_until(lambda: [m for m in desk.slack.messages(CHANNEL) if m.get("files")],
                           timeout=30, message="the report")
    assert f"CSAT: <@{AGENT}> 4.0" in message["text"] and "CSAT per week" in message["text"]
    table = requests.get(message["files"][-1]["url_private"], timeout=5).text
    assert [(r["customer"], r["csat"]) for r in csv.DictReader(io.StringIO(table))] == [
        ("jane_doe", "4")]

    # Reopened by a follow-up and resolved again: the customer is not asked twice.
    desk.x.send_dm_as_customer(username="jane_doe", text="One more thing: the receipt?")
    desk.poll_dms()
    thread_has(desk, parent, "*DM* from", "the receipt?")
    desk.wait_state(parent, "New")
    resolve(desk, parent)
    wait_until(lambda: sum("closed the case" in t for t in desk.thread_texts(parent["ts"]))
               == 2, message="the second close note")
    assert send_csat_now(desk) == 0 and len(questions(desk)) == 1


def test_out_of_range_or_late_replies_are_normal_follow_ups(csat_desk, clock):
    desk = csat_desk
    desk.poll_dms()
    parent = dm_case(desk)
    resolve(desk, parent)
    wait_until(lambda: questions(desk), message="the CSAT question")
    desk.x.send_dm_as_customer(username="jane_doe", text="7")
    desk.poll_dms()
    thread_has(desk, parent, "*DM* from", "&gt; 7")
    desk.wait_state(parent, "New")  # a follow-up reopens the case, as any DM does
    assert not [t for t in desk.thread_texts(parent["ts"]) if "rated this" in t]

    resolve(desk, parent)
    clock.advance(days=3, minutes=1)
    desk.x.send_dm_as_customer(username="jane_doe", text="5")
    desk.poll_dms()
    thread_has(desk, parent, "*DM* from", "&gt; 5")
    assert CsatQuestions(desk.runtime.db).rating_of(1) is None
    assert len(questions(desk)) == 1


def test_the_question_waits_while_agents_use_the_dm_budget_and_goes_once_it_frees(
        csat_desk, clock):
    desk = csat_desk
    desk.poll_dms()
    parents = [dm_case(desk, username=f"customer_{n}", text=f"Help with booking {n}, please")
               for n in range(6)]
    answer_by_dm(desk, parents[0], "We are on it.")  # an agent's DM: one send used
    for parent in parents:
        resolve(desk, parent)
    # 1 reply + 5 questions: six of X's DM sends used; the sixth question waits.
    wait_until(lambda: len(questions(desk)) == 5, message="five CSAT questions")
    assert send_csat_now(desk) == 0 and len(questions(desk)) == 5
    status = desk.requests.command(user_id=LEAD, text="status", channel_id=CHANNEL).json()
    assert "CSAT:* 1 question waiting for the DM budget" in status["text"]

    clock.advance(minutes=16)  # the window moves past those sends
    desk.runtime.jobs.kick("send_csat")
    wait_until(lambda: len(questions(desk)) == 6, message="the held-back question")
    assert sorted(q["recipient_id"] for q in questions(desk)) == sorted(
        {q["recipient_id"] for q in questions(desk)})  # each customer asked once
    status = desk.requests.command(user_id=LEAD, text="status", channel_id=CHANNEL).json()
    assert "waiting for the DM budget" not in status["text"]
