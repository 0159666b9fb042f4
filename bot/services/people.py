"""The people around a case: agents' signatures, and escalation to other teams.

Example::

    people = People(store=store, agents=AgentProfiles(db), channel_posts=ChannelPosts(db),
                    departments={"legal": "C123"}, clock=clock)
    people.set_signature(user_id="U1", text="AB")
    people.escalate(case_id=7, user_id="U1", department="legal", note="Threatens to sue")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from bot.domain.case import CaseState
from bot.domain.transition import QueueChannelPost, SetEscalatedTo
from bot.render import people_text
from bot.services.desk import Outcome
from storage.agents import AgentProfiles
from storage.cases import CaseStore

INITIALS = re.compile(r"^[A-Za-z0-9]{1,4}$")


class People:
    def __init__(self, *, store: CaseStore, agents: AgentProfiles,
                 departments: dict[str, str], signature_format: str,
                 clock: Callable[[], datetime], kick: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.agents = agents
        self.departments = departments
        self.signature_format = signature_format
        self.clock = clock
        self.kick = kick

    # --- signatures --------------------------------------------------------------------
    def set_signature(self, *, user_id: str, text: str) -> str:
        """``/care signature AB`` sets, ``/care signature off`` clears, empty shows."""
        value = text.strip()
        current = self.agents.initials(user_id)
        if not value:
            return people_text.signature_shown(current, self.signature_format)
        if value.lower() in ("off", "none", "clear"):
            self.agents.set_initials(user_id, None, now=self.clock())
            return people_text.SIGNATURE_CLEARED
        if not INITIALS.match(value):
            return people_text.SIGNATURE_INVALID
        self.agents.set_initials(user_id, value.upper(), now=self.clock())
        return people_text.signature_set(self.signature_format.format(initials=value.upper()))

    # --- escalation --------------------------------------------------------------------
    def can_escalate(self, *, case_id: int) -> Outcome:
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, people_text.NO_SUCH_CASE)
        if not self.departments:
            return Outcome(False, case, people_text.NO_DEPARTMENTS)
        if case.state in (CaseState.CLOSED, CaseState.IGNORED):
            return Outcome(False, case, people_text.CLOSED_CASE)
        if case.escalated_to:
            return Outcome(False, case, people_text.already_escalated(case.escalated_to))
        return Outcome(True, case)

    def escalate(self, *, case_id: int, user_id: str, department: str, note: str) -> Outcome:
        note = note.strip()
        if department not in self.departments:
            return Outcome(False, None, people_text.UNKNOWN_DEPARTMENT, field="department")
        if not note:
            return Outcome(False, None, people_text.EMPTY_NOTE, field="note")
        allowed = self.can_escalate(case_id=case_id)
        if not allowed.ok:
            return Outcome(False, allowed.case, allowed.message, field="note")
        case = allowed.case
        now = self.clock()
        channel = self.departments[department]
        summary = people_text.escalation_summary(case=case, department=department, note=note,
                                                 by=user_id)
        self.store.record(case_id=case.id, actor=user_id, action="escalate", now=now,
                          detail=f"{department}: {note[:500]}",
                          effects=(QueueChannelPost(channel=channel, text=summary),
                                   SetEscalatedTo(department)),
                          note=people_text.escalated_note(department=department, channel=channel,
                                                          note=note, by=user_id))
        self.kick()
        return Outcome(True, self.store.get(case.id))
