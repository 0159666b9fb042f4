"""Move to phone: ask the customer by DM for a number (a saved reply of its own) or give
the support line; a number in their DM flags *Callback requested*; Called records how
the call went.

The number is shown in full only to the assignee, in an ephemeral message; the thread and
the parent show it masked, and it is never logged.

Example::

    phone = PhoneDesk(desk=desk, callbacks=PhoneCallbacks(db), store=store, slack=slack,
                      replies=replies, clock=clock, kick=kick)
    phone.move_to_phone(case_id=7, user_id="UAGENT1", text="Please DM us a number...")
    phone.check_for_numbers()    # a scheduled job
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.model import Case, Channel
from bot.domain.phone import CallOutcome, find_phone
from bot.render import phone_text
from bot.services.desk import CareDesk, Outcome
from bot.services.saved_replies import ReplyDesk
from bot.slack_out import SlackOut
from storage.callbacks import PhoneCallbacks
from storage.cases import CaseStore

log = logging.getLogger(__name__)

PHONE_REPLY_TITLE = "Let's talk by phone"
"""The saved reply that asks for a number and a good time to call, when the team has one."""


class PhoneDesk:
    def __init__(self, *, desk: CareDesk, callbacks: PhoneCallbacks, store: CaseStore,
                 slack: SlackOut, clock: Callable[[], datetime],
                 replies: ReplyDesk | None = None, phone_number: str | None = None,
                 kick: Callable[[], None] = lambda: None) -> None:
        self.desk = desk
        self.callbacks = callbacks
        self.store = store
        self.slack = slack
        self.clock = clock
        self.replies = replies
        self.phone_number = phone_number
        self.kick = kick

    def ask_text(self, *, case: Case, user_id: str) -> str:
        """The DM asking for a number: the team's saved reply, filled in, or the default."""
        stored = self.replies.store.by_title(PHONE_REPLY_TITLE) if self.replies else None
        if stored is not None and not stored.retired:
            filled = self.replies.fill(case=case, reply_id=stored.id, user_id=user_id,
                                       kind="dm", count_use=False)
            if filled is not None and filled.resolved is not None:
                return filled.resolved.text
        return phone_text.ASK_FOR_NUMBER

    def move_to_phone(self, *, case_id: int, user_id: str, text: str) -> Outcome:
        """Submit the DM for approval (the case moves to DM) and wait for a number."""
        outcome = self.desk.submit_draft(case_id=case_id, user_id=user_id, text=text,
                                         channel=Channel.DM, move_to_dm=True)
        if outcome.ok:
            self.callbacks.ask(case_id=case_id, actor=user_id, now=self.clock())
            self.kick()
        return outcome

    def check_for_numbers(self) -> int:
        """Flag each case whose customer DMed a number since being asked; tell the
        assignee the number privately. Returns how many were flagged."""
        flagged = 0
        for case_id in self.callbacks.waiting():
            number = next((found for text in self.callbacks.customer_dms(case_id)
                           if (found := find_phone(text)) is not None), None)
            if number is None:
                continue
            blocks, text = phone_text.requested(case_id=case_id, masked=number.masked)
            if not self.callbacks.request(case_id=case_id, number=number.e164,
                                          now=self.clock(), note_text=text,
                                          note_blocks=blocks):
                continue
            flagged += 1
            log.info("case %s: callback requested", case_id)
            case = self.store.get(case_id)
            if case is not None and case.assignee_id:
                self.slack.ephemeral(channel=case.slack_channel, user=case.assignee_id,
                                     text=phone_text.number_for_assignee(
                                         e164=number.e164, customer=case.customer.username),
                                     thread_ts=case.slack_ts)
        if flagged:
            self.kick()
        return flagged

    def called(self, *, case_id: int, user_id: str, outcome: CallOutcome) -> Outcome:
        done = self.callbacks.called(case_id=case_id, actor=user_id, outcome=outcome.value,
                                     now=self.clock(),
                                     note_text=phone_text.called(user_id=user_id,
                                                                 outcome=outcome))
        if not done:
            return Outcome(False, None, phone_text.NO_CALLBACK)
        self.kick()
        return Outcome(True)

    def flag(self, case: Case) -> str | None:
        """The phone line on the parent message of ``case`` (the number masked)."""
        callback = self.callbacks.get(case.id)
        if callback is None:
            return None
        number = find_phone(callback.number or "")
        return phone_text.flag(state=callback.state, masked=number.masked if number else None,
                               outcome=callback.outcome)
