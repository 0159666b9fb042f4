"""Crisis alert and digest mode, and the alarms when listening to X breaks or goes quiet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.scenario.harness import AGENT, CHANNEL, LEAD, Desk, FakeClock, wait_until

COMPLAINTS = [
    "@acme your app is down again, outage, I can't log in!! terrible",
    "@acme app down, can't log in, worst service ever",
    "@acme is the app down? login broken, so angry",
    "@acme outage again?? app won't let me log in. awful",
    "@acme your app crashed and I can't log in, refund my fee",
    "@acme login broken on the app, this is a disaster",
]


@pytest.fixture
def crisis_desk(database_url):
    desk = Desk.start(database_url=database_url, CARE_CRISIS_MIN_POSTS="10",
                      CARE_CRISIS_IGNORE_TERMS="acme")
    yield desk
    desk.stop()


def channel_texts(desk):
    return [m.get("text", "") for m in desk.parents()]


def test_a_burst_raises_one_alert_and_alike_posts_share_a_digest_case(crisis_desk):
    desk = crisis_desk
    desk.slack.set_rate_limit(per_channel_per_second=1, burst=3)
    posted = [desk.x.post_as_customer(username=f"user{i}", text=COMPLAINTS[i % len(COMPLAINTS)])
              for i in range(24)]
    desk.poll()
    alerts = wait_until(lambda: [t for t in channel_texts(desk) if "Possible crisis" in t],
                        timeout=20, message="crisis alert")
    assert len(alerts) == 1 and f"<@{LEAD}>" in alerts[0] and "Top terms" in alerts[0]
    assert "24 posts in the last 15 min" in alerts[0]
    cases = wait_until(lambda: [m for m in desk.parents() if "Crisis digest" in str(
        m.get("blocks"))], timeout=20, message="digest cases")
    store = desk.runtime.store
    digests = [store.get(i) for i in range(1, 30) if store.get(i) is not None]
    assert 1 <= len(digests) <= 4 and len(cases) == len(digests)
    assert sum(c.digest_count for c in digests) + len(digests) == 24
    filtered, total = desk.runtime.poller.intake.filtered.recent(limit=50)
    assert total == 24 - len(digests)
    assert all("grouped into crisis digest case" in f.reason for f in filtered)
    assert {f.post.id for f in filtered} | {c.source_post_id for c in digests} == set(posted)
    # More of the same: grouped, and no second alert.
    desk.x.post_as_customer(username="late", text=COMPLAINTS[0] + " still!")
    desk.poll()
    wait_until(lambda: sum(store.get(c.id).digest_count for c in digests) == 24 - len(digests)
               + 1, message="grouped")
    wait_until(lambda: desk.runtime.sync.outbox.pending() == 0, timeout=30, message="delivered")
    assert len([t for t in channel_texts(desk) if "Possible crisis" in t]) == 1
    assert [c for c in desk.slack.calls if c["status"] == 429] == []
    status = desk.requests.command(user_id=AGENT, text="crisis", channel_id=CHANNEL).json()
    assert "Crisis mode is on" in status["text"]
    queue = desk.requests.command(user_id=AGENT, text="status", channel_id=CHANNEL).json()
    assert queue["text"].startswith(":rotating_light: *Crisis mode is on*")


def test_crisis_mode_by_hand(crisis_desk):
    desk = crisis_desk
    answer = desk.requests.command(user_id=LEAD, text="crisis on", channel_id=CHANNEL).json()
    assert answer["text"] == "Crisis mode is on."
    wait_until(lambda: any("switched crisis mode *on*" in t for t in channel_texts(desk)),
               message="announcement")
    first = desk.x.post_as_customer(username="a", text="@acme my bag is lost at gate 5, help")
    second = desk.x.post_as_customer(username="b", text="@acme lost bag at gate 5, help me")
    desk.poll()
    desk.parent_for(first)
    wait_until(lambda: desk.runtime.store.get(1).digest_count == 1, message="grouped")
    assert second not in str(desk.parents())
    off = desk.requests.command(user_id=LEAD, text="crisis off", channel_id=CHANNEL).json()
    assert off["text"] == "Crisis mode is off."
    third = desk.x.post_as_customer(username="c", text="@acme lost bag at gate 5, help!")
    desk.poll()
    desk.parent_for(third)
    bad = desk.requests.command(user_id=LEAD, text="crisis maybe", channel_id=CHANNEL).json()
    assert "crisis on" in bad["text"]


def test_credits_depleted_alarms_once_and_says_when_it_recovers(desk):
    for _ in range(3):
        desk.x.fail_next(method="GET", path_prefix="/2/users/", status=402)
        wait_until(lambda: desk.runtime.poller.poll().polled, message="a failing poll")
    desk.x.reset_faults()
    alarms = wait_until(lambda: [t for t in channel_texts(desk) if "stopped working" in t],
                        message="alarm")
    assert len(alarms) == 1 and "credits" in alarms[0].lower() and f"<@{LEAD}>" in alarms[0]
    assert desk.runtime.poller.last_error and "402" in desk.runtime.poller.last_error
    health = desk.runtime.health()
    assert health["x_poll_error"] and "402" in health["x_poll_error"]
    desk.poll()
    wait_until(lambda: any("for mentions works again" in t for t in channel_texts(desk)),
               message="recovery")
    desk.poll()
    assert len([t for t in channel_texts(desk) if "for mentions works again" in t]) == 1
    assert len([t for t in channel_texts(desk) if "stopped working" in t]) == 1


def test_a_passing_rate_limit_raises_no_alarm(desk):
    desk.x.fail_next(method="GET", path_prefix="/2/users/", status=429)
    wait_until(lambda: desk.runtime.poller.poll().polled, message="a rate-limited poll")
    desk.poll()
    desk.runtime.sync.deliver_due()
    assert not any("stopped working" in t for t in channel_texts(desk))


def test_silence_during_office_hours_is_reported_once(database_url):
    clock = FakeClock(datetime(2026, 6, 8, 9, 0, tzinfo=UTC))  # a Monday
    desk = Desk.start(database_url=database_url, clock=clock, CARE_SILENCE_ALERT_HOURS="2",
                      CARE_OFFICE_HOURS="mon-fri 09:00-18:00")
    try:
        desk.mention("@acme where is my bag?")
        clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
        desk.poll()
        clock.set(datetime(2026, 6, 8, 11, 5, tzinfo=UTC))
        desk.poll()
        desk.poll()
        silence = wait_until(lambda: [t for t in channel_texts(desk) if "No mention" in t],
                             message="silence alarm")
        assert len(silence) == 1 and "2 office hours" in silence[0]
        desk.mention("@acme hello? how do I check in?", username="bob")
        wait_until(lambda: any("arriving again" in t for t in channel_texts(desk)),
                   message="all clear")
        clock.set(datetime(2026, 6, 8, 19, 30, tzinfo=UTC))  # closed: no alarm at night
        desk.poll()
        desk.runtime.sync.deliver_due()
        assert len([t for t in channel_texts(desk) if "No mention" in t]) == 1
    finally:
        desk.stop()
