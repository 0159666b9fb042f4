"""Unit tests for bot.domain.crisis (the detector) and bot.domain.topics (terms, topic keys)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.crisis import (
    Alert,
    CrisisDetector,
    CrisisRules,
    DecisionKind,
    Observation,
    hour_of_week,
    hourly_baseline,
)
from bot.domain.topics import normalize_url, rank_terms, terms, topic_key

# Monday 2026-03-02 10:00 UTC: hour of week 10.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
HOW = 10
RULES = CrisisRules()  # window 15, min_posts 20, factor 3, share 0.5, calm 30


def obs(n: int, at: datetime, *, text: str = "@acme app crash again", sentiment: float = -0.6,
        url: str | None = None) -> Observation:
    return Observation(post_id=str(n), created_at=at, text=text, sentiment=sentiment,
                       url=f"https://x.com/u{n}/status/{n}" if url is None else url)


def feed(det: CrisisDetector, posts: list[Observation]) -> None:
    for post in posts:
        det.observe(obs=post)


def spike(start: int = 0, *, count: int = 40, negative: int = 30, at: datetime = T0,
          minutes: int = 10) -> list[Observation]:
    """``count`` posts over the ``minutes`` before ``at``, ``negative`` of them negative."""
    return [
        obs(start + i, at - timedelta(minutes=minutes) + timedelta(seconds=i * minutes * 60
                                                                  // count),
            sentiment=-0.7 if i < negative else 0.2)
        for i in range(count)
    ]


def detector(per_hour: float = 8.0, rules: CrisisRules = RULES) -> CrisisDetector:
    det = CrisisDetector(rules=rules)
    det.load_baseline(counts={how: per_hour for how in range(168)})
    return det


# --- alarms -----------------------------------------------------------------------------------


def test_quiet_account_three_negative_posts_no_alarm() -> None:
    for det in (CrisisDetector(rules=RULES), detector(per_hour=0.1)):
        feed(det, [obs(i, T0 - timedelta(minutes=i), sentiment=-0.9) for i in range(3)])
        decision = det.evaluate(now=T0)
        assert decision.kind is DecisionKind.NOTHING
        assert decision.stats.volume == 3 and decision.stats.negative_share == 1.0
        assert not decision.stats.spiking and not det.active


def test_busy_but_usual_hour_no_alarm() -> None:
    det = detector(per_hour=200.0)  # usual: 50 posts in 15 minutes
    feed(det, spike(count=100, negative=70))
    decision = det.evaluate(now=T0)
    assert decision.stats.usual == pytest.approx(50.0)
    assert decision.stats.volume == 100
    assert decision.kind is DecisionKind.NOTHING


def test_spike_without_negativity_no_alarm() -> None:
    det = detector()
    feed(det, spike(count=60, negative=10))
    assert det.evaluate(now=T0).kind is DecisionKind.NOTHING


def test_spike_starts_once_stays_on_then_calms() -> None:
    det = detector()  # 8 posts/hour: 2 usual in the window
    feed(det, spike())
    first = det.evaluate(now=T0)
    assert first.kind is DecisionKind.START and det.active and det.since == T0
    assert first.alert is not None and first.alert.volume == 40
    assert first.alert.usual == pytest.approx(2.0)
    assert first.alert.negative_share == pytest.approx(0.75)
    assert det.evaluate(now=T0).kind is DecisionKind.STILL_ON  # same tick again: no 2nd START
    assert det.evaluate(now=T0 + timedelta(minutes=1)).kind is DecisionKind.STILL_ON
    quiet = T0 + timedelta(minutes=15)  # the spike has left the window
    first_quiet = det.evaluate(now=quiet)
    assert first_quiet.kind is DecisionKind.STILL_ON and not first_quiet.stats.spiking
    assert det.evaluate(now=quiet + timedelta(minutes=29)).kind is DecisionKind.STILL_ON
    calm = det.evaluate(now=quiet + timedelta(minutes=30))
    assert calm.kind is DecisionKind.CALM and not det.active and det.focus == ()
    assert det.evaluate(now=quiet + timedelta(minutes=31)).kind is DecisionKind.NOTHING


def test_calm_clock_restarts_when_it_spikes_again() -> None:
    det = detector()
    feed(det, spike())
    assert det.evaluate(now=T0).kind is DecisionKind.START
    later = T0 + timedelta(minutes=20)
    assert det.evaluate(now=later).kind is DecisionKind.STILL_ON  # below since +20
    feed(det, spike(100, at=later + timedelta(minutes=10)))
    assert det.evaluate(now=later + timedelta(minutes=10)).kind is DecisionKind.STILL_ON
    back = later + timedelta(minutes=25)
    assert det.evaluate(now=back).kind is DecisionKind.STILL_ON  # below since +45
    assert det.evaluate(now=back + timedelta(minutes=29)).kind is DecisionKind.STILL_ON
    assert det.evaluate(now=back + timedelta(minutes=30)).kind is DecisionKind.CALM


def test_force_off_mutes_until_calm_then_alarms_again() -> None:
    det = detector()
    feed(det, spike())
    assert det.evaluate(now=T0).kind is DecisionKind.START
    assert det.force(on=False, now=T0 + timedelta(minutes=1)) is True
    assert not det.active and det.suppressed
    # Still spiking, and a new burst: no alarm while muted.
    feed(det, spike(100, at=T0 + timedelta(minutes=5), minutes=5))
    assert det.evaluate(now=T0 + timedelta(minutes=5)).kind is DecisionKind.NOTHING
    quiet = T0 + timedelta(minutes=20)
    assert det.evaluate(now=quiet).kind is DecisionKind.NOTHING and det.suppressed
    assert det.evaluate(now=quiet + timedelta(minutes=30)).kind is DecisionKind.NOTHING
    assert not det.suppressed  # calmed for calm_minutes: armed again
    again = quiet + timedelta(minutes=45)
    feed(det, spike(200, at=again))
    assert det.evaluate(now=again).kind is DecisionKind.START


def test_force_off_when_quiet_still_mutes_for_calm_minutes() -> None:
    det = detector()
    assert det.force(on=False, now=T0) is False  # was not on
    feed(det, spike(at=T0 + timedelta(minutes=10)))
    assert det.evaluate(now=T0 + timedelta(minutes=10)).kind is DecisionKind.NOTHING


def test_force_on_is_sticky_until_off() -> None:
    det = detector()
    assert det.force(on=True, now=T0) is True
    assert det.active and det.manual and det.since == T0
    assert det.force(on=True, now=T0) is False  # already on
    for minutes in (1, 60, 600):
        decision = det.evaluate(now=T0 + timedelta(minutes=minutes))
        assert decision.kind is DecisionKind.STILL_ON and decision.alert is None
    assert det.force(on=False, now=T0 + timedelta(hours=11)) is True
    assert det.evaluate(now=T0 + timedelta(hours=11)).kind is DecisionKind.NOTHING


def test_force_on_during_automatic_crisis_makes_it_manual() -> None:
    det = detector()
    feed(det, spike())
    assert det.evaluate(now=T0).kind is DecisionKind.START
    assert det.force(on=True, now=T0) is False and det.manual
    assert det.focus  # the alert's terms are kept
    assert det.evaluate(now=T0 + timedelta(hours=2)).kind is DecisionKind.STILL_ON


def test_alert_top_terms_and_example_links() -> None:
    det = detector()
    texts = [
        "@acme app crash when I open it https://acme.com/help",
        "@acme the APP CRASHES on login #acmedown",
        "app crash again @acme, refunds please",
        "@acme app crash!!! @support",
    ]
    posts = [
        obs(i, T0 - timedelta(minutes=5, seconds=i), text=texts[i % 4],
            sentiment=-0.9 + i * 0.01)
        for i in range(30)
    ]
    feed(det, posts)
    decision = det.evaluate(now=T0)
    alert = decision.alert
    assert isinstance(alert, Alert)
    assert alert.top_terms[0] == ("app crash", 30)
    words = {t for t, _ in alert.top_terms}
    assert not any(w.startswith(("@", "http")) or "acme.com" in w for w in words)
    assert {"acme", "support", "the", "when"}.isdisjoint(words)
    assert alert.examples == tuple(f"https://x.com/u{i}/status/{i}" for i in range(3))
    assert det.focus == tuple(t for t, _ in alert.top_terms)


def test_ignore_terms_leave_the_brand_out() -> None:
    det = detector(rules=CrisisRules(ignore_terms=("acmedown",)))
    feed(det, [obs(i, T0 - timedelta(minutes=2), text="#AcmeDown outage") for i in range(25)])
    alert = det.evaluate(now=T0).alert
    assert alert is not None and alert.top_terms == (("outage", 25),)


def test_rank_terms_bigrams_replace_their_words() -> None:
    assert rank_terms({"app": 9, "crash": 8, "app crash": 8, "refund": 3}) == [
        ("app crash", 8), ("refund", 3)]
    # A bigram that explains neither word is left out.
    assert rank_terms({"app": 20, "login": 20, "app login": 2}, limit=3) == [
        ("app", 20), ("login", 20)]


# --- baseline ---------------------------------------------------------------------------------


def test_baseline_learns_finished_hours_but_not_crisis_hours() -> None:
    det = CrisisDetector(rules=RULES)
    det.evaluate(now=T0 - timedelta(hours=3))  # fresh: its partial first hour (06) is skipped
    feed(det, [obs(i, T0 - timedelta(hours=2) + timedelta(minutes=i)) for i in range(6)])
    det.evaluate(now=T0 + timedelta(minutes=14))  # hours 07, 08 and 09 are over
    assert det.baseline == {HOW - 3: 0.0, HOW - 2: 6.0, HOW - 1: 0.0}
    det.load_baseline(counts={HOW - 1: 6.0, HOW: 6.0})
    feed(det, [obs(50 + i, T0 + timedelta(minutes=14)) for i in range(12)])
    det.evaluate(now=T0 + timedelta(minutes=74))  # hour 10 learnt (4 weeks): 6 + (12 - 6) / 4
    assert det.baseline == {HOW - 1: 6.0, HOW: 7.5}
    crisis = T0 + timedelta(hours=2, minutes=30)
    feed(det, spike(100, at=crisis))
    assert det.evaluate(now=crisis).kind is DecisionKind.START
    det.evaluate(now=crisis + timedelta(hours=1))
    assert det.baseline == {HOW - 1: 6.0, HOW: 7.5, HOW + 1: 0.0}  # crisis hour 12 not learnt


def test_hourly_baseline_counts_empty_hours_as_zero() -> None:
    start = T0 - timedelta(weeks=2)
    times = [T0 - timedelta(weeks=1, minutes=50)] * 6  # Monday 09:xx, one week of two
    counts = hourly_baseline(times=times, start=start, end=T0)
    assert len(counts) == 168 and counts[HOW - 1] == 3.0 and counts[HOW] == 0.0
    assert hour_of_week(at=T0) == HOW


def test_unknown_hour_uses_mean_of_known_hours_and_no_baseline_uses_min_posts() -> None:
    det = CrisisDetector(rules=RULES)
    det.load_baseline(counts={0: 40.0, 1: 80.0})  # hour 10 unknown: 60/h -> 15 usual
    feed(det, spike(count=40))
    assert det.evaluate(now=T0).stats.usual == pytest.approx(15.0)
    assert det.active is False  # 40 < 3 x 15
    cold = CrisisDetector(rules=RULES)
    feed(cold, spike(count=20, negative=10))
    assert cold.evaluate(now=T0).kind is DecisionKind.START


def test_load_baseline_rejects_bad_hours() -> None:
    det = CrisisDetector()
    with pytest.raises(ValueError, match="0..167"):
        det.load_baseline(counts={168: 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        det.load_baseline(counts={1: -1.0})


# --- topics -----------------------------------------------------------------------------------


def test_topic_key_groups_same_url() -> None:
    keys = {
        topic_key(text="this is bad", urls=["https://News.example.com/story/1/?utm_source=tw"]),
        topic_key(text="@acme explain!", urls=["http://news.example.com/story/1#c"]),
        topic_key(text="read it", urls=["https://news.example.com/story/1/",
                                        "https://x.com/jo/status/9/photo/1"]),
    }
    assert keys == {"url:https://news.example.com/story/1"}
    assert topic_key(text="x", urls=["https://news.example.com/story/2"]) not in keys


def test_topic_key_groups_same_terms_and_separates_others() -> None:
    a = topic_key(text="@acme Refund delayed, order missing!", urls=[])
    b = topic_key(text="order missing and refund delayed @acme https://t.co/abc/photo/1",
                  urls=["https://x.com/acme/status/5/photo/1"])
    c = topic_key(text="@acme Refunds delayed, orders missing", urls=[])
    d = topic_key(text="@acme the app will not let me login", urls=[])
    assert a == b == c == "terms:delayed+missing+refund"
    assert d != a and d.startswith("terms:")
    assert topic_key(text="@acme ??", urls=[]) == "misc"
    assert topic_key(text="login broken again", focus=["outage", "login"]) == "terms:login"


def test_terms_and_urls_normalised() -> None:
    assert terms("@acme The APP keeps crashing!! https://t.co/x #AcmeDown") == [
        "app", "keep", "crashing", "acmedown"]
    assert normalize_url("https://twitter.com/acme/status/1?s=20&utm_x=1") == (
        "https://x.com/acme/status/1")
    assert normalize_url("mailto:a@b.c") == ""
    long = topic_key(text="", urls=["https://a.com/" + "p" * 400])
    assert len(long) == 200 and long == topic_key(text="", urls=["https://a.com/" + "p" * 400])


# --- state ------------------------------------------------------------------------------------


def test_state_round_trip() -> None:
    det = detector()
    det.evaluate(now=T0 - timedelta(hours=2))
    feed(det, spike())
    assert det.evaluate(now=T0).kind is DecisionKind.START
    feed(det, spike(100, at=T0 + timedelta(minutes=3), minutes=3, count=5))
    data = json.loads(json.dumps(det.to_dict()))
    copy = CrisisDetector.from_dict(data=data, rules=RULES)
    assert copy.to_dict() == data
    assert (copy.active, copy.since, copy.focus) == (det.active, det.since, det.focus)
    for minutes in (5, 20, 50, 51):
        now = T0 + timedelta(minutes=minutes)
        assert copy.evaluate(now=now) == det.evaluate(now=now)
    assert copy.to_dict() == det.to_dict()


def test_from_dict_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="version"):
        CrisisDetector.from_dict(data={"v": 99})
    with pytest.raises(ValueError, match="malformed"):
        CrisisDetector.from_dict(data={"v": 1, "minutes": [{"m": 1}]})


# --- rules and values -------------------------------------------------------------------------


def test_rules_from_settings() -> None:
    rules = CrisisRules.from_settings(
        window_minutes="10", min_posts=" 30 ", volume_factor="2.5x", negative_share="60%",
        negative_threshold="-0.5", calm_minutes="", ignore_terms="Acme, acmeair,,",
    )
    assert rules == CrisisRules(window_minutes=10, min_posts=30, volume_factor=2.5,
                                negative_share=0.6, negative_threshold=-0.5,
                                ignore_terms=("acme", "acmeair"))
    assert CrisisRules.from_settings() == CrisisRules()
    with pytest.raises(ValueError, match="crisis min_posts: expected a whole number"):
        CrisisRules.from_settings(min_posts="many")
    with pytest.raises(ValueError, match="negative_share must be between 0 and 1"):
        CrisisRules.from_settings(negative_share="150%")
    with pytest.raises(ValueError, match="volume_factor must be >= 1"):
        CrisisRules(volume_factor=0.5)


def test_naive_times_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        obs(1, datetime(2026, 3, 2, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        CrisisDetector().evaluate(now=datetime(2026, 3, 2, 10, 0))


# --- order does not matter --------------------------------------------------------------------

_POST = st.tuples(
    st.integers(min_value=0, max_value=14 * 60 + 59),  # seconds before T0, inside the window
    st.sampled_from([-0.9, -0.5, -0.3, 0.0, 0.4]),
    st.sampled_from(["app crash", "refund late", "login broken again", "love it", "outage"]),
)


@settings(max_examples=40, deadline=None)
@given(posts=st.lists(_POST, min_size=0, max_size=45), data=st.data())
def test_any_order_within_window_same_decision(posts: list, data: st.DataObject) -> None:
    observations = [
        obs(i, T0 - timedelta(seconds=ago), text=text, sentiment=s)
        for i, (ago, s, text) in enumerate(posts)
    ]
    shuffled = data.draw(st.permutations(observations))
    one, two = detector(per_hour=4.0), detector(per_hour=4.0)
    feed(one, observations)
    feed(two, shuffled)
    assert one.evaluate(now=T0) == two.evaluate(now=T0)
    assert one.to_dict() == two.to_dict()
