"""Watching for a crisis against storage on a throwaway database: the detector's state is
shared through a compare-and-set row, and each alert or all-clear is posted once."""

from __future__ import annotations

from bot.domain.crisis import CrisisRules, DecisionKind
from bot.render import crisis_text
from bot.services.crisis_watch import CrisisWatch
from storage.channel_posts import ChannelPosts
from storage.screening import SharedState
from tests.unit.services_kit import AGENT, LEAD, Clock, Kicks, leads, post

RULES = CrisisRules(min_posts=5, calm_minutes=30)


def watch(db, clock: Clock, kicks: Kicks | None = None) -> CrisisWatch:
    return CrisisWatch(state=SharedState(db), rules=RULES, sentiment=lambda text: -0.8,
                       channel_posts=ChannelPosts(db), channel="C0CARE", leads=leads(),
                       clock=clock, kick=kicks or Kicks())


def burst(count: int = 8):
    return [post(text=f"@acme the app crashes again, booking {n} lost") for n in range(count)]


def test_a_burst_of_angry_posts_starts_crisis_mode_and_alerts_once(db):
    clock, kicks = Clock(), Kicks()
    service = watch(db, clock, kicks)
    assert service.observe(burst(2)) is DecisionKind.NOTHING
    assert not service.mode().active
    assert service.observe(burst()) is DecisionKind.START
    mode = service.mode()
    assert mode.active and mode.since == clock()
    texts = ChannelPosts(db).texts()
    assert len(texts) == 1 and "Possible crisis" in texts[0] and f"<@{LEAD}>" in texts[0]
    assert service.observe(burst()) is not DecisionKind.START  # already on: no second alert
    assert len(ChannelPosts(db).texts()) == 1 and kicks.count == 1
    assert service.status_line() == crisis_text.status_line(mode.since, mode.focus)


def test_another_desk_sees_the_crisis_through_the_shared_state(db):
    clock = Clock()
    watch(db, clock).observe(burst())
    other = watch(db, clock)
    assert other.mode().active
    assert other.observe(burst()) is not DecisionKind.START
    assert len(ChannelPosts(db).texts()) == 1


def test_the_all_clear_is_posted_when_it_calms_down(db):
    clock = Clock()
    service = watch(db, clock)
    service.observe(burst())
    clock.advance(minutes=RULES.window_minutes)  # the burst has left the window
    assert service.observe([]) is DecisionKind.STILL_ON
    assert len(ChannelPosts(db).texts()) == 1
    clock.advance(minutes=RULES.calm_minutes)
    assert service.observe([]) is DecisionKind.CALM
    assert not service.mode().active
    texts = ChannelPosts(db).texts()
    assert len(texts) == 2 and "calmed down" in texts[1]


def test_crisis_mode_switched_by_hand_is_told_to_the_channel_once(db):
    clock = Clock()
    service = watch(db, clock)
    assert service.force(on=True, user_id=AGENT) == crisis_text.forced_answer(on=True,
                                                                              changed=True)
    assert service.force(on=True, user_id=AGENT) == crisis_text.forced_answer(on=True,
                                                                              changed=False)
    assert service.mode().active
    assert "Switched on by hand" in service.status()
    assert service.force(on=False, user_id=AGENT) == crisis_text.forced_answer(on=False,
                                                                               changed=True)
    assert ChannelPosts(db).texts() == [crisis_text.forced(on=True, by=AGENT),
                                        crisis_text.forced(on=False, by=AGENT)]


def test_an_unreadable_stored_state_starts_afresh(db):
    clock = Clock()
    state = SharedState(db)
    _, version = state.get("crisis")
    assert state.compare_and_set("crisis", value={"nonsense": True}, version=version,
                                 now=clock())
    service = watch(db, clock)
    assert not service.mode().active
    assert service.observe(burst()) is DecisionKind.START
