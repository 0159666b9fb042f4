"""Muting authors and hiding replies: reversible, recorded, and said in the thread.

Mute adds the author to the local mute list (their posts no longer become cases)
and, when the brand's X credentials allow, mutes them on X too. Hide reply hides a
reply to one of the brand's own posts on X.

Example::

    moderation = Moderation(store=store, muted=MutedAuthors(db), x=x, brand_id=lambda: "1",
                            clock=clock)
    moderation.mute(case_id=7, user_id="U1", muted=True)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.transition import QueueParentUpdate, SetHiddenOnX
from bot.render import moderation_text
from bot.services.desk import Outcome
from bot.x.client import XClient, XError
from storage.cases import CaseStore
from storage.screening import MutedAuthors

log = logging.getLogger(__name__)


class Moderation:
    def __init__(self, *, store: CaseStore, muted: MutedAuthors, x: XClient,
                 brand_id: Callable[[], str], clock: Callable[[], datetime],
                 kick: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.muted = muted
        self.x = x
        self.brand_id = brand_id
        self.clock = clock
        self.kick = kick

    def mute(self, *, case_id: int, user_id: str, muted: bool) -> Outcome:
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, moderation_text.NO_SUCH_CASE)
        on_x, problem = True, None
        try:
            self.x.mute(brand_id=self.brand_id(), target_id=case.customer.id, muted=muted)
        except XError as exc:
            on_x, problem = False, exc.reason
        now = self.clock()
        if muted:
            self.muted.mute(author_id=case.customer.id, handle=case.customer.username,
                            by=user_id, now=now, on_x=on_x)
        else:
            self.muted.unmute(case.customer.id)
        self.store.record(case_id=case_id, actor=user_id, action="mute" if muted else "unmute",
                          now=now, detail=problem, effects=(QueueParentUpdate(),),
                          note=moderation_text.muted(by=user_id, handle=case.customer.username,
                                                     muted=muted, x_problem=problem))
        self.kick()
        return Outcome(True, case, moderation_text.x_refused(problem) if problem else None)

    def hide(self, *, case_id: int, user_id: str, hidden: bool) -> Outcome:
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, moderation_text.NO_SUCH_CASE)
        if not case.replies_to_brand:
            return Outcome(False, case, moderation_text.NOT_A_REPLY)
        try:
            self.x.hide_reply(post_id=case.source_post_id, hidden=hidden)
        except XError as exc:
            self.store.record(case_id=case_id, actor=user_id, action="hide_failed",
                              now=self.clock(), detail=exc.reason)
            return Outcome(False, case, moderation_text.x_refused(exc.reason))
        self.store.record(case_id=case_id, actor=user_id, action="hide" if hidden else "unhide",
                          now=self.clock(), effects=(SetHiddenOnX(hidden),),
                          note=moderation_text.hidden(by=user_id, hidden=hidden))
        self.kick()
        return Outcome(True, case)
