"""Request signing, /care, /healthz, secrets in logs, and restarts on the same database."""

from __future__ import annotations

import json
import logging
import time

import requests

from bot.logs import RedactSecrets
from bot.render.ids import ActionId
from tests.scenario.harness import AGENT, CHANNEL, LEAD, SECRETS, SIGNING_SECRET, Desk, wait_until


def test_bad_signature_and_stale_timestamp_are_refused(desk):
    body = "token=x&command=%2Fcare&text=status&user_id=U1&channel_id=C0CARE"
    assert desk.requests.post_raw(body).status_code == 200
    assert desk.requests.post_raw(body, signature="v0=" + "0" * 64).status_code == 401
    stale = int(time.time()) - 10 * 60
    assert desk.requests.post_raw(body, timestamp=stale).status_code == 401
    unsigned = requests.post(desk.requests.url, data=body, timeout=5,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert unsigned.status_code == 401


def test_care_status_and_help(desk):
    desk.mention("@acme how do I check in online?")
    parent = desk.parent_for(desk.mention("@acme where is my bag?", username="bob"))
    desk.click(parent, ActionId.CLAIM, user=AGENT)
    desk.wait_state(parent, "Claimed")
    wait_until(lambda: any("Claimed by" in t for t in desk.thread_texts(parent["ts"])),
               message="claim note delivered")
    wait_until(lambda: desk.runtime.sync.outbox.pending() == 0, message="nothing pending")
    answer = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert answer["response_type"] == "ephemeral"
    assert "*Queue:* 2 open · 1 unclaimed · 0 awaiting approval · 0 overdue" in answer["text"]
    assert f"<@{AGENT}> 1 open" in answer["text"] and "Slack posts pending: 0" in answer["text"]
    unknown = desk.requests.command(user_id=AGENT, text="<!channel>", channel_id=CHANNEL).json()
    assert "&lt;!channel&gt;" in unknown["text"] and "/care status" in unknown["text"]


def test_healthz_reports_database_poll_and_backlog(desk):
    desk.mention("@acme hi, can I change my flight?")
    health = requests.get(f"http://127.0.0.1:{desk.port}/healthz", timeout=5)
    assert health.status_code == 200
    body = health.json()
    assert body["database"] == "ok" and body["outbox_backlog"] == 0
    assert body["last_x_poll"] is not None and body["x_poll_error"] is None
    assert requests.get(f"http://127.0.0.1:{desk.port}/nope", timeout=5).status_code == 404


def test_tokens_never_reach_the_logs(desk):
    handler = logging.StreamHandler()
    records: list[str] = []
    handler.emit = lambda record: records.append(handler.format(record))
    handler.addFilter(RedactSecrets(list(SECRETS.values()) + [SIGNING_SECRET]))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        for name in ("tweepy", "slack_sdk", "slack_bolt", "urllib3"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        parent = desk.parent_for(desk.mention("@acme please help"))
        desk.click(parent, ActionId.CLAIM, user=AGENT)
        desk.wait_state(parent, "Claimed")
        desk.draft(parent, "On it!", user=AGENT)
        desk.wait_state(parent, "Awaiting approval")
        desk.x.fail_next(method="POST", path_prefix="/2/tweets", status=401)
        desk.click(parent, ActionId.APPROVE, user=LEAD)
        desk.wait_state(parent, "Send failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert records, "debug logging produced nothing to check"
    joined = "\n".join(records)
    for secret in list(SECRETS.values()) + [SIGNING_SECRET]:
        assert secret not in joined
    slack_text = json.dumps(desk.slack.calls)
    for secret in list(SECRETS.values()) + [SIGNING_SECRET]:
        assert secret not in slack_text


def test_restart_neither_reposts_old_mentions_nor_misses_new_ones(database_url):
    first = Desk.start(database_url=database_url)
    slack, x = first.slack, first.x
    try:
        first.mention("@acme my flight was cancelled, what now?")
        first.mention("@acme how do I get a refund?", username="bob")
    finally:
        first.requests.session.close()
        from bot.web import stop_server

        stop_server(first.server)
        first.runtime.stop()
    while_down = x.post_as_customer(username="carol",
                                    text="@acme why is nobody answering? my bag is lost")
    second = Desk.start(database_url=database_url, slack=slack, x=x)
    try:
        second.poll()
        second.parent_for(while_down)
        wait_until(lambda: len(second.parents()) == 3, message="three parents")
        # A later mention, polled after, proves the poller got past the old ones.
        later = second.mention("@acme any news on my refund?", username="dave")
        assert len(second.parents()) == 4
        assert sum(f"/status/{later}" in str(m.get("blocks")) for m in second.parents()) == 1
    finally:
        second.stop()


def test_slack_event_retries_are_handled_once(desk):
    event = {"type": "member_joined_channel", "user": "UNEWAGENT", "channel": CHANNEL,
             "channel_type": "C", "team": "T0CARE"}
    assert desk.requests.event(event=event, event_id="Ev0001").status_code == 200
    assert desk.requests.event(event=event, event_id="Ev0001", retry_num=1).status_code == 200
    assert desk.requests.event(event=event, event_id="Ev0001", retry_num=2).status_code == 200
    other = dict(event, channel="C0OTHER", user="UELSEWHERE")
    assert desk.requests.event(event=other, event_id="Ev0002").status_code == 200
    # A later join, welcomed, proves the app handled the events sent before it.
    later = dict(event, user="ULATERAGENT")
    assert desk.requests.event(event=later, event_id="Ev0003").status_code == 200
    wait_until(lambda: desk.ephemerals_for("ULATERAGENT") and desk.ephemerals_for("UNEWAGENT"),
               message="both welcomes")
    welcomes = desk.ephemerals_for("UNEWAGENT")
    assert len(welcomes) == 1 and "Welcome to the care desk" in welcomes[0]
    assert desk.ephemerals_for("UELSEWHERE") == []
