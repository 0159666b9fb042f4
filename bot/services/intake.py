"""Where an inbound post or DM goes: into its conversation's case, or a new case.

A customer's reply to our reply, another post of theirs in the same X conversation,
or a DM from a customer with an open case lands in that case's thread (never twice:
posts are unique by id). It reopens a case closed within ``reopen_days`` and restarts
the response clock. Posts by other people in the conversation are shown as such.
A returning customer's new case names the agent who helped them last, and with
sticky assignment goes straight to that agent.

Example::

    intake = Intake(store=store, policy=policy, clock=clock, reopen_days=7)
    intake.receive(post, origin="mention")   # "opened", "followup" or "seen"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.case import WAITING_ON_US, Action, CaseState
from bot.domain.model import Case, InboundPost
from bot.domain.sla import SlaPolicy
from bot.render import conversation_text
from bot.services.sla_clock import start_clock
from storage.cases import CaseStore


@dataclass(frozen=True)
class Routing:
    reopen_days: int = 7
    sticky_assign: bool = False
    sticky_days: int = 30


class Intake:
    def __init__(self, *, store: CaseStore, policy: SlaPolicy, channel: str,
                 clock: Callable[[], datetime], routing: Routing = Routing(),
                 brand_id: Callable[[], str] = lambda: "") -> None:
        self.store = store
        self.policy = policy
        self.channel = channel
        self.clock = clock
        self.routing = routing
        self.brand_id = brand_id

    def receive(self, post: InboundPost, *, origin: str = "mention") -> str:
        if self.store.post_seen(post.id):
            return "seen"
        now = self.clock()
        case = self.store.case_for_conversation(
            conversation_id=post.conversation_id, customer_id=post.author.id, kind=post.kind,
            closed_since=now - timedelta(days=self.routing.reopen_days))
        if case is not None:
            return "followup" if self._follow_up(case, post, now) else "seen"
        return "opened" if self._open(post, now, origin) else "seen"

    def _follow_up(self, case: Case, post: InboundPost, now: datetime) -> bool:
        from_customer = post.author.id == case.customer.id
        note = conversation_text.inbound(post, from_customer=from_customer)
        dm_flag = {"moved_to_dm": True} if post.kind == "dm" else {}
        if not from_customer or case.state in WAITING_ON_US:
            return self.store.attach_post(case_id=case.id, post=post, from_customer=from_customer,
                                          now=now, note=note, updates=dm_flag or None,
                                          action=None)
        clock = start_clock(self.policy, start=now, minutes=self.policy.followup_minutes)
        if case.state is CaseState.REPLIED and case.assignee_id:
            action, updates = Action.FOLLOWUP_ASSIGNED, {}
        else:
            action, updates = Action.FOLLOWUP, {"assignee_id": None, "close_reason": None,
                                                "closed_at": None}
            if case.assignee_id and case.state is not CaseState.REPLIED:
                note += "\n" + conversation_text.previous_agent(case.assignee_id)
        return self.store.attach_post(case_id=case.id, post=post, from_customer=True, now=now,
                                      note=note, action=action, updates={**updates, **dm_flag},
                                      new_clock=clock)

    def _open(self, post: InboundPost, now: datetime, origin: str) -> bool:
        history = self.store.history(customer_id=post.author.id)
        assignee, note = None, None
        if history.earlier_cases and history.last_agent_id:
            recent = history.last_case_at and \
                history.last_case_at >= now - timedelta(days=self.routing.sticky_days)
            if self.routing.sticky_assign and recent:
                assignee = history.last_agent_id
            note = conversation_text.returning(history, now=now, assigned=assignee is not None)
        clock = start_clock(self.policy, start=now, minutes=self.policy.first_minutes)
        return self.store.open_case(post=post, channel=self.channel, now=now, clock=clock,
                                    origin=origin, assignee_id=assignee, note=note,
                                    public_reply_allowed=origin != "search") is not None
