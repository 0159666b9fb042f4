"""A restarted ``python app.py`` resumes intake at once under its instance id, and a second
live process with the same id refuses to start.
"""

from __future__ import annotations

import pytest

from sandbox.process import BotProcess
from tests.reliability.world import NO_CRISIS, DbView, customer_text, start_fakes, wait_for
from tests.scenario.harness import env_for

pytestmark = pytest.mark.slow


def _mention_reads(x) -> int:
    return sum(1 for method, path in x.requests if method == "GET" and path.endswith("/mentions"))


def test_a_process_restarted_after_kill_9_polls_at_once(database_url, tmp_path):
    slack, x = start_fakes()
    view = DbView(database_url)
    # a poll every hour: the poller's lease lasts three hours, so only taking it back
    # under the same instance id lets the restarted process read mentions now
    env = env_for(slack=slack, x=x, database_url=database_url, X_POLL_SECONDS="3600",
                  CARE_INSTANCE_ID="desk-restart", **NO_CRISIS)
    bot = BotProcess(env=env, log_path=tmp_path / "bot.log")
    try:
        bot.start()
        wait_for(lambda: _mention_reads(x) >= 1, timeout=20, what="the first poll")
        bot.kill()
        post = x.post_as_customer(username="late_customer", text=customer_text(0))
        bot.start()
        wait_for(lambda: post in view.cases(), timeout=20,
                 what="the restarted process reads the new mention")
    finally:
        bot.kill()
        view.dispose()
        slack.stop()
        x.stop()


def test_a_second_live_process_with_the_same_id_exits_2(database_url, tmp_path):
    slack, x = start_fakes()
    env = env_for(slack=slack, x=x, database_url=database_url, CARE_INSTANCE_ID="desk-twin",
                  **NO_CRISIS)
    first = BotProcess(env=env, log_path=tmp_path / "first.log")
    second = BotProcess(env=env, log_path=tmp_path / "second.log")
    try:
        first.start()
        assert second.spawn().wait(timeout=60) == 2
        log = second.log_text()
        assert "instance 'desk-twin' is already running" in log
        assert "CARE_INSTANCE_ID" in log and "Traceback" not in log
        assert first.alive
    finally:
        second.kill()
        first.kill()
        slack.stop()
        x.stop()
