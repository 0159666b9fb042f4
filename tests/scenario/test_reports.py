"""/care report over HTTP: acked at once, then charts and the CSV through Slack's upload flow."""

from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, Desk, FakeClock, wait_until

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BERLIN = ZoneInfo("Europe/Berlin")


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

    asked = time.time()
    response = desk.requests.command(user_id=LEAD, text="report week this", channel_id=CHANNEL)
    answered = time.time()
    assert response.status_code == 200
    assert "Building the report for this week so far" in response.json()["text"]

    [message] = wait_until(lambda: report_messages(desk, CHANNEL), timeout=30,
                           message="the report message")
    # Acked at once: the answer came back before the report was shared, within Slack's 3 s.
    [shared] = desk.slack.calls_to("files.completeUploadExternal")
    assert answered < shared["at"] and answered - asked < 3
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


def test_report_goes_to_the_dm_when_the_app_is_not_in_the_channel(desk):
    desk.slack.add_user(user_id=LEAD, name="lee")
    desk.slack.set_member(CHANNEL, member=False)
    desk.requests.command(user_id=LEAD, text="report month", channel_id=CHANNEL)
    [message] = wait_until(lambda: report_messages(desk, "D" + LEAD[1:]), timeout=30,
                           message="the report in the DM")
    assert "Care report:" in message["text"]
    assert report_messages(desk, CHANNEL) == []


def test_an_unknown_period_is_refused_with_the_usage(desk):
    response = desk.requests.command(user_id=LEAD, text="report year", channel_id=CHANNEL)
    assert "`year` is not a report period" in response.json()["text"]
    assert not [c for c in desk.slack.calls if c["method"] == "files.getUploadURLExternal"]


def test_scheduled_report_posts_once_per_period_across_two_instances(database_url):
    clock = FakeClock(datetime(2026, 12, 1, 7, 30, tzinfo=BERLIN))  # Tuesday
    settings = {"CARE_REPORT_SCHEDULE": "daily 07:00; mon 08:00", "CARE_TIMEZONE":
                "Europe/Berlin", "CARE_INSTANCE_ID": "desk-a"}
    first = Desk.start(database_url=database_url, clock=clock, **settings)
    second = Desk.start(database_url=database_url, clock=clock, slack=first.slack, x=first.x,
                        **{**settings, "CARE_INSTANCE_ID": "desk-b"})
    try:
        jobs = [desk.runtime.jobs.jobs["post_reports"].work for desk in (first, second)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            posted = list(pool.map(lambda work: work(), jobs))
        assert sorted(posted) == [0, 1]
        [message] = report_messages(first, CHANNEL)
        assert "Care report: Mon 30 Nov 2026" in message["text"]
        assert [work() for work in jobs] == [0, 0]

        clock.set(datetime(2026, 12, 2, 6, 59, tzinfo=BERLIN))
        assert [work() for work in jobs] == [0, 0]
        clock.set(datetime(2026, 12, 2, 7, 1, tzinfo=BERLIN))
        assert sum(work() for work in jobs) == 1
        texts = [m["text"].splitlines()[0] for m in report_messages(first, CHANNEL)]
        assert texts == ["*Care report: Mon 30 Nov 2026* (Europe/Berlin)",
                         "*Care report: Tue 01 Dec 2026* (Europe/Berlin)"]
    finally:
        second.stop()
        first.stop()
