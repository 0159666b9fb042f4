"""Moderation (mute, hide reply) against storage on a throwaway database and X in memory."""

from __future__ import annotations

from bot.render import moderation_text
from bot.services.moderation import Moderation
from bot.x.client import XRejected
from storage.screening import MutedAuthors
from tests.unit.services_kit import (
    AGENT,
    BRAND,
    JANE,
    Clock,
    MemoryX,
    actions,
    make_desk,
    open_case,
)


def moderation(db, clock, x) -> Moderation:
    return Moderation(store=make_desk(db, clock).store, muted=MutedAuthors(db), x=x,
                      brand_id=lambda: BRAND[0], clock=clock)


def test_mute_and_unmute_on_x_and_locally_re_render_the_case(db):
    clock, x = Clock(), MemoryX()
    service = moderation(db, clock, x)
    case_id = open_case(service.store, clock)
    version = service.store.get(case_id).version
    outcome = service.mute(case_id=case_id, user_id=AGENT, muted=True)
    assert outcome.ok and outcome.message is None
    assert x.muted == {JANE.id: True} and service.muted.is_muted(JANE.id)
    case = service.store.get(case_id)
    assert case.author_muted and case.version == version + 1
    assert service.mute(case_id=case_id, user_id=AGENT, muted=False).ok
    assert not service.muted.is_muted(JANE.id)
    assert actions(service.store, case_id)[-2:] == ["mute", "unmute"]


def test_mute_refused_by_x_still_mutes_locally_and_says_why(db):
    clock, x = Clock(), MemoryX()
    service = moderation(db, clock, x)
    case_id = open_case(service.store, clock)
    x.fail_next.append(XRejected("X answered 403: forbidden", 403))
    outcome = service.mute(case_id=case_id, user_id=AGENT, muted=True)
    assert outcome.ok and outcome.message == moderation_text.x_refused("X answered 403: forbidden")
    assert service.muted.is_muted(JANE.id)


def test_only_a_reply_to_the_brand_is_hidden(db):
    clock, x = Clock(), MemoryX()
    service = moderation(db, clock, x)
    plain = open_case(service.store, clock)
    assert service.hide(case_id=plain, user_id=AGENT, hidden=True).message \
        == moderation_text.NOT_A_REPLY
    reply = open_case(service.store, clock, in_reply_to_user_id=BRAND[0])
    source = service.store.get(reply).source_post_id
    outcome = service.hide(case_id=reply, user_id=AGENT, hidden=True)
    assert outcome.ok and x.hidden == {source: True}
    assert service.store.get(reply).hidden_on_x
    assert actions(service.store, reply)[-1] == "hide"


def test_a_hide_refused_by_x_is_recorded_and_changes_nothing(db):
    clock, x = Clock(), MemoryX()
    service = moderation(db, clock, x)
    reply = open_case(service.store, clock, in_reply_to_user_id=BRAND[0])
    x.fail_next.append(XRejected("X answered 403: forbidden", 403))
    outcome = service.hide(case_id=reply, user_id=AGENT, hidden=True)
    assert not outcome.ok and outcome.message == moderation_text.x_refused(
        "X answered 403: forbidden")
    assert not service.store.get(reply).hidden_on_x
    assert actions(service.store, reply)[-1] == "hide_failed"
