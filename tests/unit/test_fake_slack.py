"""The fake Slack Web API, exercised through a real slack_sdk WebClient over HTTP."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from sandbox.fake_slack import FakeSlack

CASES = "C0CASES"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        running.add_channel(channel_id=CASES, name="cases")
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.url, timeout=5)


def raw_post(fake: FakeSlack, method: str, body: bytes, content_type: str) -> dict:
    req = urllib.request.Request(
        fake.url + method,
        data=body,
        method="POST",
        headers={"Content-Type": content_type, "Authorization": f"Bearer {fake.bot_token}"},
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


def test_url_has_trailing_slash_and_loopback_port(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")
    assert int(fake.url.split(":")[2].split("/")[0]) > 0


def test_auth_test_answers_bot_identity(client: WebClient) -> None:
    resp = client.auth_test()
    assert resp["ok"] is True
    assert resp["user_id"] == "UBOT"
    assert resp["team_id"] == "T0CARE"
    assert resp["bot_id"].startswith("B")
    assert resp["is_enterprise_install"] is False


def test_wrong_token_is_invalid_auth_for_every_method(fake: FakeSlack) -> None:
    bad = WebClient(token="xoxb-wrong", base_url=fake.url)
    for call in (bad.auth_test, lambda: bad.chat_postMessage(channel=CASES, text="x")):
        with pytest.raises(SlackApiError) as err:
            call()
        assert err.value.response.status_code == 200
        assert err.value.response["error"] == "invalid_auth"
    assert fake.messages(CASES) == []
    assert [c["ok"] for c in fake.calls] == [False, False]


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=fake.url).auth_test()
    assert err.value.response["error"] == "not_authed"


def test_post_reply_and_update_are_visible(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*New case*"}}]
    parent = client.chat_postMessage(
        channel=CASES, text="New case", blocks=blocks, unfurl_links=False, unfurl_media=False
    )
    assert parent["channel"] == CASES
    assert parent["message"]["blocks"] == blocks
    reply = client.chat_postMessage(channel=CASES, thread_ts=parent["ts"], text="claimed")
    assert reply["message"]["thread_ts"] == parent["ts"]
    assert float(reply["ts"]) > float(parent["ts"])

    updated = client.chat_update(channel=CASES, ts=parent["ts"], text="Case (claimed)")
    assert updated["ts"] == parent["ts"]
    assert updated["text"] == "Case (claimed)"

    [top] = fake.messages(CASES)
    assert top["text"] == "Case (claimed)"
    assert top["blocks"] == blocks  # update without blocks keeps them
    assert top["edited"] is True
    assert top["unfurl_links"] is False and top["unfurl_media"] is False
    assert top["reply_count"] == 1
    assert top["replies"][0]["text"] == "claimed"
    assert [m["text"] for m in fake.thread(CASES, parent["ts"])] == ["claimed"]
    assert fake.message(CASES, reply["ts"])["thread_ts"] == parent["ts"]

    replies = client.conversations_replies(channel=CASES, ts=parent["ts"])["messages"]
    assert [m["ts"] for m in replies] == [parent["ts"], reply["ts"]]
    assert replies[0]["reply_count"] == 1
    history = client.conversations_history(channel=CASES)["messages"]
    assert [m["ts"] for m in history] == [parent["ts"]]


def test_timestamps_strictly_increase_and_look_like_slack(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel=CASES, text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 5
    secs, micros = stamps[0].split(".")
    assert len(secs) == 10 and len(micros) == 6


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_errors(fake: FakeSlack, client: WebClient) -> None:
    cases = [
        ({"channel": "CNOPE", "text": "x"}, "channel_not_found"),
        ({"channel": CASES}, "no_text"),
        ({"channel": CASES, "text": "x" * 40001}, "msg_too_long"),
        ({"channel": CASES, "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
    ]
    for kwargs, code in cases:
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(**kwargs)
        assert err.value.response["error"] == code
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel=CASES, ts="1.000001", text="x")
    assert err.value.response["error"] == "message_not_found"
    assert fake.messages(CASES) == []


def test_unknown_thread_ts_is_lenient_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    resp = client.chat_postMessage(channel=CASES, thread_ts="1700000000.000100", text="orphan")
    assert resp["ok"]
    assert fake.messages(CASES) == []
    assert [m["text"] for m in fake.thread(CASES, "1700000000.000100")] == ["orphan"]


def test_reply_broadcast_also_shows_in_channel(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CASES, text="p")["ts"]
    client.chat_postMessage(channel=CASES, thread_ts=parent, text="b", reply_broadcast=True)
    assert [m["text"] for m in fake.messages(CASES)] == ["p", "b"]
    assert fake.messages(CASES)[0]["reply_count"] == 1


def test_ephemeral_recorded_per_user(fake: FakeSlack, client: WebClient) -> None:
    resp = client.chat_postEphemeral(channel=CASES, user="U1", text="only you", thread_ts="1.2")
    assert resp["message_ts"]
    client.chat_postEphemeral(channel=CASES, user="U2", text="other")
    [mine] = fake.ephemerals(user="U1")
    assert mine == {
        "channel": CASES,
        "user": "U1",
        "text": "only you",
        "blocks": [],
        "thread_ts": "1.2",
        "message_ts": resp["message_ts"],
    }
    assert len(fake.ephemerals()) == 2
    assert fake.messages(CASES) == []


def test_permalink_for_parent_and_reply(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CASES, text="p")["ts"]
    reply = client.chat_postMessage(channel=CASES, text="r", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=CASES, message_ts=parent)["permalink"]
    assert link == f"https://care-desk.slack.com/archives/{CASES}/p{parent.replace('.', '')}"
    link = client.chat_getPermalink(channel=CASES, message_ts=reply)["permalink"]
    assert link.endswith(f"p{reply.replace('.', '')}?thread_ts={parent}&cid={CASES}")


def modal(title: str = "Draft reply", blocks: int = 1) -> dict:
    return {
        "type": "modal",
        "callback_id": "draft",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}] * blocks,
        "private_metadata": "case:42",
    }


def test_views_open_update_push(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.issue_trigger(user_id="U1")
    opened = client.views_open(trigger_id=trigger, view=modal())["view"]
    assert opened["id"].startswith("V")
    assert opened["state"] == {"values": {}}
    assert opened["private_metadata"] == "case:42"

    updated = client.views_update(
        view_id=opened["id"], hash=opened["hash"], view=modal(title="Loaded")
    )["view"]
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as err:  # stale hash
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    assert err.value.response["error"] == "hash_conflict"

    pushed = client.views_push(trigger_id=trigger, view=modal(title="Confirm"))["view"]
    assert pushed["previous_view_id"] == opened["id"]
    assert pushed["root_view_id"] == opened["id"]

    views = fake.views()
    assert [v["id"] for v in views] == [opened["id"], pushed["id"]]
    assert views[0]["user"] == "U1"
    assert views[0]["view"]["title"]["text"] == "Loaded"
    assert views[0]["hash"] == updated["hash"]


def test_views_validation_and_injected_expiry(fake: FakeSlack, client: WebClient) -> None:
    bad_views = [modal(title="x" * 25), modal(blocks=101), {"title": modal()["title"]}]
    for view in bad_views:
        with pytest.raises(SlackApiError) as err:
            client.views_open(trigger_id="1.2.3", view=view)
        assert err.value.response["error"] == "invalid_arguments"
    fake.fail_next("views.open", status=200, error="expired_trigger_id")
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id="1.2.3", view=modal())
    assert err.value.response["error"] == "expired_trigger_id"
    assert client.views_open(trigger_id="1.2.3", view=modal())["ok"]
    assert len(fake.views()) == 1


def test_issued_trigger_expires(fake: FakeSlack, client: WebClient) -> None:
    fake.trigger_ttl = 0.05
    trigger = fake.issue_trigger(user_id="U1")
    time.sleep(0.1)
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id=trigger, view=modal())
    assert err.value.response["error"] == "expired_trigger_id"


def test_users_groups_and_conversations(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user(user_id="U1", name="ana", real_name="Ana Lima")
    fake.add_usergroup(group_id="S1", handle="leads", user_ids=["U1", "U2"])
    user = client.users_info(user="U1")["user"]
    assert user["id"] == "U1" and user["real_name"] == "Ana Lima"
    assert user["profile"] == {"display_name": "ana", "real_name": "Ana Lima"}
    assert user["is_bot"] is False and user["tz"]
    assert client.usergroups_users_list(usergroup="S1")["users"] == ["U1", "U2"]
    assert client.conversations_info(channel=CASES)["channel"]["name"] == "cases"
    for call, code in (
        (lambda: client.users_info(user="U404"), "user_not_found"),
        (lambda: client.conversations_info(channel="C404"), "channel_not_found"),
        (lambda: client.api_call("nope.never"), "unknown_method"),
    ):
        with pytest.raises(SlackApiError) as err:
            call()
        assert err.value.response["error"] == code


def test_fail_next_429_sets_retry_after_and_retry_handler_succeeds(fake: FakeSlack) -> None:
    plain = WebClient(token=fake.bot_token, base_url=fake.url)
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    with pytest.raises(SlackApiError) as err:
        plain.chat_postMessage(channel=CASES, text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "0"
    assert err.value.response["error"] == "ratelimited"

    retrying = WebClient(
        token=fake.bot_token,
        base_url=fake.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    assert retrying.chat_postMessage(channel=CASES, text="after retry")["ok"]
    statuses = [c["status"] for c in fake.calls_to("chat.postMessage")]
    assert statuses == [429, 429, 200]
    assert [m["text"] for m in fake.messages(CASES)] == ["after retry"]


def test_fail_next_500_then_recovers(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.update", status=503, count=2)
    ts = client.chat_postMessage(channel=CASES, text="x")["ts"]
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_update(channel=CASES, ts=ts, text="y")
        assert err.value.response.status_code == 503
    assert client.chat_update(channel=CASES, ts=ts, text="y")["ok"]
    assert [c["status"] for c in fake.calls_to("chat.update")] == [503, 503, 200]
    assert fake.calls_to("chat.update")[0]["response"] is None


def test_reset_faults_clears_pending(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("auth.test", status=500, count=3)
    fake.reset_faults()
    assert client.auth_test()["ok"]


def test_per_channel_rate_limit_bursts_then_429(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel(channel_id="C0OTHER", name="other")
    fake.set_rate_limit(per_channel_per_second=1.0, burst=3)
    results = []
    for i in range(6):
        try:
            client.chat_postMessage(channel=CASES, text=str(i))
            results.append(200)
        except SlackApiError as err:
            results.append(err.response.status_code)
            assert int(err.response.headers["Retry-After"]) >= 1
    assert results[:3] == [200, 200, 200]
    assert 429 in results[3:]
    assert client.chat_postMessage(channel="C0OTHER", text="own bucket")["ok"]
    fake.set_rate_limit(per_channel_per_second=None)
    assert client.chat_postMessage(channel=CASES, text="free")["ok"]


def test_json_and_form_bodies_are_both_decoded(fake: FakeSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "json"}}]
    body = json.dumps({"channel": CASES, "text": "j", "blocks": blocks}).encode()
    assert raw_post(fake, "chat.postMessage", body, "application/json; charset=utf-8")["ok"]
    form = urllib.parse.urlencode(
        {"channel": CASES, "text": "f", "blocks": json.dumps(blocks), "unfurl_links": "0"}
    ).encode()
    assert raw_post(fake, "chat.postMessage", form, "application/x-www-form-urlencoded")["ok"]
    first, second = fake.messages(CASES)
    assert first["blocks"] == blocks and second["blocks"] == blocks
    assert second["unfurl_links"] is False
    assert fake.calls_to("chat.postMessage")[1]["args"]["blocks"] == blocks
    assert "token" not in fake.calls[0]["args"]


def test_listeners_and_concurrent_posts(fake: FakeSlack, client: WebClient) -> None:
    seen: list[str] = []
    unsubscribe = fake.subscribe(lambda call: seen.append(call["method"]))
    threads = [
        threading.Thread(target=client.chat_postMessage, kwargs={"channel": CASES, "text": str(i)})
        for i in range(10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    unsubscribe()
    client.auth_test()
    assert seen == ["chat.postMessage"] * 10
    stamps = [m["ts"] for m in fake.messages(CASES)]
    assert len(set(stamps)) == 10 and stamps == sorted(stamps, key=float)
