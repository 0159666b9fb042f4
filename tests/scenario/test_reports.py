"""/care report over HTTP: acked at once, then charts and the CSV through Slack's upload flow."""

from __future__ import annotations

import csv
import io

import requests

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, wait_until

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def report_messages(desk, channel: str) -> list[dict]:
    return [m for m in desk.slack.messages(channel) if m.get("files")]


def test_report_posts_summary_charts_and_csv_in_the_channel(desk):
    answered = desk.mention("@acme my bag never arrived, call +44 20 7946 0958",
                            username="jane_doe")
    parent = desk.parent_for(answered)
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    desk.draft(parent, "So sorry Jane, we are on it.", user=AGENT)
    desk.wait_state(parent, "Awaiting approval")
    desk.click(parent, ActionId.APPROVE, user=LEAD)
    desk.wait_state(parent, "Replied")
    desk.mention("@acme =HYPERLINK(\"http://evil\") where is my refund", username="bob_b")

    response = desk.requests.command(user_id=LEAD, text="report week this", channel_id=CHANNEL)
    assert response.status_code == 200
    assert "Building the report for this week so far" in response.json()["text"]

    [message] = wait_until(lambda: report_messages(desk, CHANNEL), timeout=30,
                           message="the report message")
    assert "Care report: week of" in message["text"] and "2 cases" in message["text"]
    names = [f["name"] for f in message["files"]]
    assert len(names) == 6 and names[-1].endswith("-cases.csv")
    assert all(name.endswith(".png") for name in names[:5])

    methods = [c["method"] for c in desk.slack.calls
               if c["method"] in ("files.getUploadURLExternal", "upload",
                                  "files.completeUploadExternal")]
    assert methods == ["files.getUploadURLExternal"] * 6 + ["upload"] * 6 + [
        "files.completeUploadExternal"]
    chart = requests.get(message["files"][0]["url_private"], timeout=5)
    assert chart.headers["Content-Type"] == "image/png"
    assert chart.content.startswith(PNG_MAGIC) and len(chart.content) > 5_000

    table = requests.get(message["files"][-1]["url_private"], timeout=5).text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [r["customer"] for r in rows] == ["jane_doe", "bob_b"]
    assert rows[0]["agent"] == AGENT and rows[0]["within_target"] == "yes"
    assert rows[0]["first_response_minutes"] != "" and rows[0]["state"] == "replied"
    assert rows[1]["first_response_minutes"] == "" and rows[1]["state"] == "new"


def test_report_with_me_goes_to_the_asker_in_a_dm(desk):
    desk.slack.add_user(user_id=LEAD, name="lee")
    response = desk.requests.command(user_id=LEAD, text="report day me", channel_id=CHANNEL)
    assert "in your DM with the app" in response.json()["text"]
    dm = "D" + LEAD[1:]
    [message] = wait_until(lambda: report_messages(desk, dm), timeout=30, message="the DM")
    assert "Care report:" in message["text"] and "0 cases" in message["text"]
    assert report_messages(desk, CHANNEL) == []


def test_an_unknown_period_is_refused_with_the_usage(desk):
    response = desk.requests.command(user_id=LEAD, text="report year", channel_id=CHANNEL)
    assert "`year` is not a report period" in response.json()["text"]
    assert not [c for c in desk.slack.calls if c["method"] == "files.getUploadURLExternal"]
