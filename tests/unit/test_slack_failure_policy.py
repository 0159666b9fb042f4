"""The one Slack failure policy: Retry-After, backoff, giving up; and a long 429 is
left to the outbox instead of holding the worker (and its lease) while it waits."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.services.slack_sync import MAX_ATTEMPTS, judge_failure
from bot.slack_out import MAX_RETRY_AFTER_SECONDS, ChannelPacer, SlackOut, build_web_client
from sandbox.fake_slack import FakeSlack

NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)


def slack_error(error: str, *, status: int = 200, headers: dict | None = None) -> SlackApiError:
    response = SlackResponse(client=None, http_verb="POST", api_url="https://slack/api",
                             req_args={}, data={"ok": False, "error": error},
                             headers=headers or {}, status_code=status)
    return SlackApiError(error, response)


def test_a_passing_error_backs_off_by_attempts():
    setback = judge_failure(slack_error("internal_error"), attempts=3, now=NOW)
    assert (setback.error, setback.give_up) == ("internal_error", False)
    assert setback.retry_at == NOW + timedelta(seconds=8)


def test_slacks_retry_after_wins_over_a_shorter_backoff():
    exc = slack_error("ratelimited", status=429, headers={"Retry-After": ["45"]})
    setback = judge_failure(exc, attempts=1, now=NOW)
    assert not setback.give_up
    assert setback.retry_at == NOW + timedelta(seconds=45)


def test_network_trouble_is_named_by_its_type_and_retried():
    setback = judge_failure(ConnectionResetError(), attempts=1, now=NOW)
    assert (setback.error, setback.give_up) == ("ConnectionResetError", False)
    assert setback.retry_at == NOW + timedelta(seconds=2)


def test_permanent_errors_and_too_many_attempts_give_up():
    assert judge_failure(slack_error("channel_not_found"), attempts=1, now=NOW).give_up
    assert judge_failure(TimeoutError(), attempts=MAX_ATTEMPTS, now=NOW).give_up


def test_a_long_retry_after_is_not_waited_out_inside_the_call():
    with FakeSlack(bot_token="xoxb-t") as fake:
        fake.add_channel(channel_id="C1", name="care")
        out = SlackOut(build_web_client(token="xoxb-t", base_url=fake.url),
                       pacer=ChannelPacer(per_second=0))
        fake.fail_next("chat.postMessage", status=429, retry_after=MAX_RETRY_AFTER_SECONDS + 50)
        started = time.monotonic()
        try:
            out.post(channel="C1", blocks=[], text="hello")
            raised = None
        except SlackApiError as exc:
            raised = exc
        assert raised is not None and time.monotonic() - started < MAX_RETRY_AFTER_SECONDS
        setback = judge_failure(raised, attempts=1, now=NOW)
        assert setback.retry_at == NOW + timedelta(seconds=MAX_RETRY_AFTER_SECONDS + 50)
        fake.fail_next("chat.postMessage", status=429, retry_after=1)
        assert out.post(channel="C1", blocks=[], text="hello")  # a short one is waited out
        assert len(fake.calls_to("chat.postMessage")) == 3

