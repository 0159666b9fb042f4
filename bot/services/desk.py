"""Use cases an agent or lead triggers from Slack. Each returns an Outcome for the UI.

Every change is a compare-and-set in storage (see storage.cases); after it commits,
``kick()`` wakes the Slack and X delivery workers, so nothing here talks to Slack or
X inside a transaction.

Example::

    desk = CareDesk(store=store, leads=leads, clock=clock, kick=scheduler.kick)
    outcome = desk.claim(case_id=7, user_id="U1")
    if not outcome.ok:
        say_ephemeral(outcome.message)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.case import Action, CaseState, CloseReason
from bot.domain.model import Case, DraftStatus
from bot.domain.reply_text import check_reply_text
from bot.domain.sla import SlaPolicy
from bot.render import strings
from bot.render.mrkdwn import escape, quote
from bot.services.leads import LeadDirectory
from bot.services.sla_clock import STOP_CLOCK, start_clock
from storage.cases import CaseStore, TransitionResult, add_draft, review_draft
from storage.models import CaseRow
from storage.outbox import queue_outbound, requeue_failed


@dataclass(frozen=True)
class Outcome:
    ok: bool
    case: Case | None = None
    message: str | None = None
    """What to tell the user who clicked, when there is something to say."""


class CareDesk:
    def __init__(self, *, store: CaseStore, leads: LeadDirectory, policy: SlaPolicy,
                 clock: Callable[[], datetime], kick: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.policy = policy
        self.leads = leads
        self.clock = clock
        self.kick = kick

    # --- claiming -----------------------------------------------------------------
    def claim(self, *, case_id: int, user_id: str) -> Outcome:
        result = self.store.transition(
            case_id=case_id, action=Action.CLAIM, actor=user_id, now=self.clock(),
            updates={"assignee_id": user_id}, note=strings.note_claimed(user_id))
        if result.ok:
            return self._done(result)
        case = result.case
        if case and case.assignee_id and case.state not in (CaseState.NEW,):
            if case.assignee_id == user_id:
                return Outcome(True, case)  # a double click: already theirs
            return Outcome(False, case, strings.ALREADY_CLAIMED.format(
                assignee=strings.user(case.assignee_id)))
        return self._refused(result)

    def unclaim(self, *, case_id: int, user_id: str) -> Outcome:
        where = () if self.leads.is_lead(user_id) else (CaseRow.assignee_id == user_id,)
        result = self.store.transition(
            case_id=case_id, action=Action.UNCLAIM, actor=user_id, now=self.clock(),
            updates={"assignee_id": None}, where=where, note=strings.note_unclaimed(user_id))
        return self._done(result) if result.ok else self._refused(result, user_id=user_id)

    # --- drafting -----------------------------------------------------------------
    def can_draft(self, *, case_id: int, user_id: str) -> Outcome:
        """Whether ``user_id`` may open the draft modal now (checked before opening it)."""
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, strings.NO_SUCH_CASE)
        if case.state is CaseState.NEW:
            return Outcome(False, case, strings.CLAIM_FIRST)
        if case.state not in (CaseState.CLAIMED, CaseState.AWAITING_APPROVAL,
                              CaseState.SEND_FAILED):
            return self._refused(TransitionResult(False, case))
        if case.assignee_id != user_id:
            return Outcome(False, case, strings.NOT_YOURS.format(
                assignee=strings.user(case.assignee_id)))
        return Outcome(True, case)

    def submit_draft(self, *, case_id: int, user_id: str, text: str) -> Outcome:
        """Store a draft; ``message`` on refusal is meant for the modal's input."""
        text = text.strip()
        check = check_reply_text(text)
        if not check.ok:
            return Outcome(False, None, check.problem)
        allowed = self.can_draft(case_id=case_id, user_id=user_id)
        if not allowed.ok:
            return allowed
        now = self.clock()
        action = (Action.EDIT_AFTER_FAILURE if allowed.case.state is CaseState.SEND_FAILED
                  else Action.SUBMIT_DRAFT)
        if action is Action.EDIT_AFTER_FAILURE:
            step = self.store.transition(case_id=case_id, action=action, actor=user_id, now=now,
                                         where=(CaseRow.assignee_id == user_id,))
            if not step.ok:
                return self._refused(step, user_id=user_id)
        note = strings.note_draft(user_id, quote(escape(text)), check.weighted_length)
        result = self.store.transition(
            case_id=case_id, action=Action.SUBMIT_DRAFT, actor=user_id, now=now,
            where=(CaseRow.assignee_id == user_id,), note=note, detail=text[:500],
            also=lambda s, cid: add_draft(s, case_id=cid, author_id=user_id, text=text, now=now))
        return self._done(result) if result.ok else self._refused(result, user_id=user_id)

    # --- reviewing ----------------------------------------------------------------
    def review_refusal(self, *, case_id: int, user_id: str,
                       draft_id: int | None) -> Outcome | None:
        """Why ``user_id`` may not review the pending draft (recorded), or None."""
        case = self.store.get(case_id)
        if case is None:
            return Outcome(False, None, strings.NO_SUCH_CASE)
        draft = case.latest_draft
        if case.state is not CaseState.AWAITING_APPROVAL or draft is None \
                or draft.status is not DraftStatus.PENDING:
            return self._refused(TransitionResult(False, case))
        if draft_id is not None and draft.id != draft_id:
            return Outcome(False, case, strings.STALE_DRAFT)
        why = None
        if not self.leads.is_lead(user_id):
            why = strings.NOT_A_LEAD.format(leads=self.leads.mention_list())
        elif draft.author_id == user_id:
            why = strings.OWN_DRAFT
        if why:
            self.store.record(case_id=case_id, actor=user_id, action="approval_refused",
                              now=self.clock(), detail=why,
                              note=strings.note_refused(user_id, why))
            self.kick()
            return Outcome(False, case, why)
        return None

    def approve(self, *, case_id: int, user_id: str, draft_id: int | None = None) -> Outcome:
        refusal = self.review_refusal(case_id=case_id, user_id=user_id, draft_id=draft_id)
        if refusal:
            return refusal
        case = self.store.get(case_id)
        draft = case.latest_draft
        now = self.clock()

        def approve_and_queue(s, cid):
            review_draft(s, draft_id=draft.id, reviewer_id=user_id, status=DraftStatus.APPROVED)
            queue_outbound(s, case_id=cid, draft_id=draft.id, text=draft.text,
                           in_reply_to_post_id=case.source_post_id, now=now)

        result = self.store.transition(
            case_id=case_id, action=Action.APPROVE, actor=user_id, now=now,
            note=strings.note_approved(user_id, draft.author_id), detail=f"draft {draft.id}",
            where=(CaseRow.version == case.version,), also=approve_and_queue)
        if not result.ok and result.case and result.case.state is not case.state:
            return self._refused(result)
        if not result.ok:
            return Outcome(False, result.case, strings.STALE_DRAFT)
        return self._done(result)

    def request_changes(self, *, case_id: int, user_id: str, draft_id: int | None,
                        reason: str) -> Outcome:
        reason = reason.strip()
        if not reason:
            return Outcome(False, None, strings.EMPTY_REASON)
        refusal = self.review_refusal(case_id=case_id, user_id=user_id, draft_id=draft_id)
        if refusal:
            return refusal
        case = self.store.get(case_id)
        draft = case.latest_draft
        result = self.store.transition(
            case_id=case_id, action=Action.REQUEST_CHANGES, actor=user_id, now=self.clock(),
            note=strings.note_changes_requested(user_id, draft.author_id,
                                                quote(escape(reason[:1000]))),
            detail=reason[:1000], where=(CaseRow.version == case.version,),
            also=lambda s, cid: review_draft(s, draft_id=draft.id, reviewer_id=user_id,
                                             status=DraftStatus.CHANGES_REQUESTED,
                                             note=reason[:1000]))
        return self._done(result) if result.ok else self._refused(result)

    # --- after sending / closing ------------------------------------------------------
    def retry_send(self, *, case_id: int, user_id: str) -> Outcome:
        now = self.clock()
        result = self.store.transition(
            case_id=case_id, action=Action.RETRY_SEND, actor=user_id, now=now,
            note=strings.note_retry(user_id),
            also=lambda s, cid: requeue_failed(s, case_id=cid, now=now))
        return self._done(result) if result.ok else self._refused(result)

    def close(self, *, case_id: int, user_id: str, reason: CloseReason) -> Outcome:
        result = self.store.transition(
            case_id=case_id, action=reason.action, actor=user_id, now=self.clock(),
            updates={"close_reason": reason.value, **STOP_CLOCK}, detail=reason.value,
            note=strings.note_closed(user_id, reason.value))
        if not result.ok and result.case and result.case.close_reason == reason.value \
                and result.case.state in (CaseState.CLOSED, CaseState.IGNORED):
            return Outcome(True, result.case)  # already closed that way: a double click
        return self._done(result) if result.ok else self._refused(result)

    def reopen(self, *, case_id: int, user_id: str) -> Outcome:
        now = self.clock()
        result = self.store.transition(
            case_id=case_id, action=Action.REOPEN, actor=user_id, now=now,
            updates={"assignee_id": None, "close_reason": None},
            new_clock=start_clock(self.policy, start=now, minutes=self.policy.followup_minutes),
            note=strings.note_reopened(user_id))
        return self._done(result) if result.ok else self._refused(result)

    # --- helpers --------------------------------------------------------------------
    def _done(self, result: TransitionResult) -> Outcome:
        self.kick()
        return Outcome(True, result.case)

    def _refused(self, result: TransitionResult, *, user_id: str | None = None) -> Outcome:
        case = result.case
        if case is None:
            return Outcome(False, None, strings.NO_SUCH_CASE)
        if user_id and case.assignee_id and case.assignee_id != user_id \
                and case.state is CaseState.CLAIMED:
            return Outcome(False, case, strings.NOT_YOURS.format(
                assignee=strings.user(case.assignee_id)))
        label = strings.STATE_LABELS[case.state.value].split(" ", 1)[-1].lower()
        return Outcome(False, case, strings.NOT_IN_STATE.format(state=label))
