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
from bot.domain.model import Case, Channel, DraftStatus
from bot.domain.reply_text import check_dm_text, check_reply_text
from bot.domain.sla import SlaPolicy
from bot.domain.transition import (
    AddDraft,
    AssigneeIs,
    MarkMovedToDm,
    RequeueFailedOutbound,
    ReviewDraft,
    SetAssignee,
    SetClosedAt,
    SetCloseReason,
    StartClock,
    Step,
    StopClock,
    approval_effects,
    review_problem,
)
from bot.render import strings
from bot.render.mrkdwn import escape, quote
from bot.services.leads import LeadDirectory
from bot.services.routing import RouteDesk
from bot.services.sla_clock import start_clock
from storage.agents import AgentProfiles
from storage.cases import CaseStore, TransitionResult


@dataclass(frozen=True)
class Outcome:
    ok: bool
    case: Case | None = None
    message: str | None = None
    """What to tell the user who clicked, when there is something to say."""
    field: str | None = None
    """For a modal: which input the message is about (``text`` or ``dm_text``)."""


class CareDesk:
    def __init__(self, *, store: CaseStore, leads: LeadDirectory, policy: SlaPolicy,
                 clock: Callable[[], datetime], kick: Callable[[], None] = lambda: None,
                 agents: AgentProfiles | None = None,
                 signature_format: str = " ^{initials}",
                 on_closed: Callable[..., None] = lambda case, *, reason, by: None,
                 routes: RouteDesk | None = None) -> None:
        self.on_closed = on_closed
        """``on_closed(case, reason=, by=)`` after every close: learning records corrections."""
        self.routes = routes
        self.store = store
        self.policy = policy
        self.agents = agents
        self.signature_format = signature_format
        self.leads = leads
        self.clock = clock
        self.kick = kick

    # --- claiming -----------------------------------------------------------------
    def claim(self, *, case_id: int, user_id: str) -> Outcome:
        result = self.store.transition(case_id=case_id, now=self.clock(), step=Step(
            action=Action.CLAIM, actor=user_id, effects=(SetAssignee(user_id),),
            note=strings.note_claimed(user_id)))
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
        is_lead = self._leads_of(self._routed(case_id)).is_lead(user_id)
        guards = () if is_lead else (AssigneeIs(user_id),)
        result = self.store.transition(case_id=case_id, now=self.clock(), step=Step(
            action=Action.UNCLAIM, actor=user_id, guards=guards,
            effects=(SetAssignee(None),), note=strings.note_unclaimed(user_id)))
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

    def submit_draft(self, *, case_id: int, user_id: str, text: str,
                     channel: Channel | None = None, dm_text: str | None = None,
                     move_to_dm: bool = False) -> Outcome:
        """Store a draft; on refusal ``message`` (and ``field``) are meant for the modal.

        ``channel`` defaults to the case's current one (DM once moved to DM). With BOTH,
        ``text`` is the public reply and ``dm_text`` the direct message.
        """
        allowed = self.can_draft(case_id=case_id, user_id=user_id)
        if not allowed.ok:
            return allowed
        case = allowed.case
        channel = channel or case.default_channel
        if channel.public and not case.public_reply_allowed:
            return Outcome(False, case, strings.NO_PUBLIC_REPLY, field="text")
        text = (text or "").strip()
        dm_text = (dm_text or "").strip() if channel is Channel.BOTH else None
        signature = self.signature(user_id) if channel.public else ""
        checks = []
        if channel.public:
            checks.append(("text", check_reply_text(text, signature=signature)))
        if channel is Channel.DM:
            checks.append(("text", check_dm_text(text)))
        if channel is Channel.BOTH:
            checks.append(("dm_text", check_dm_text(dm_text)))
        for field, check in checks:
            if not check.ok:
                return Outcome(False, case, check.problem, field=field)
        now = self.clock()
        if case.state is CaseState.SEND_FAILED:
            step = self.store.transition(case_id=case_id, now=now, step=Step(
                action=Action.EDIT_AFTER_FAILURE, actor=user_id, guards=(AssigneeIs(user_id),)))
            if not step.ok:
                return self._refused(step, user_id=user_id)
        public = text + signature if channel.public else None
        direct = dm_text if channel is Channel.BOTH else (text if channel is Channel.DM else None)
        note = strings.note_draft(user_id, public=quote(escape(public)) if public else None,
                                  public_length=checks[0][1].weighted_length if public else 0,
                                  direct=quote(escape(direct)) if direct else None)
        effects = (AddDraft(author_id=user_id, text=text, channel=channel, dm_text=dm_text,
                            signature=signature),)
        if move_to_dm or channel.dm:
            effects = (MarkMovedToDm(), *effects)
        result = self.store.transition(case_id=case_id, now=now, step=Step(
            action=Action.SUBMIT_DRAFT, actor=user_id, guards=(AssigneeIs(user_id),),
            effects=effects, note=note, detail=(public or direct)[:500]))
        return self._done(result) if result.ok else self._refused(result, user_id=user_id)

    def signature(self, user_id: str) -> str:
        initials = self.agents.initials(user_id) if self.agents else None
        return self.signature_format.format(initials=initials) if initials else ""

    # --- reviewing ----------------------------------------------------------------
    def can_review(self, *, case_id: int, user_id: str, draft_id: int | None,
                   action: Action = Action.REQUEST_CHANGES) -> Outcome:
        """Whether ``user_id`` may review the pending draft (``action``: approve it, or ask
        for changes, the check made before the modal opens): ok with the case, or why not
        (a refusal is recorded)."""
        case = self.store.get(case_id)
        return self._review_outcome(case, user_id=user_id, draft_id=draft_id, action=action,
                                    is_lead=self._leads_of(case).is_lead(user_id))

    def approve(self, *, case_id: int, user_id: str, draft_id: int | None = None) -> Outcome:
        return self._review(case_id=case_id, user_id=user_id, draft_id=draft_id,
                            action=Action.APPROVE, step=lambda case: Step(
                                action=Action.APPROVE, actor=user_id,
                                effects=approval_effects(case, reviewer_id=user_id),
                                note=strings.note_approved(user_id, case.latest_draft.author_id,
                                                           case.latest_draft.channel.value),
                                detail=f"draft {case.latest_draft.id}"))

    def request_changes(self, *, case_id: int, user_id: str, draft_id: int | None,
                        reason: str) -> Outcome:
        reason = reason.strip()[:1000]
        if not reason:
            return Outcome(False, None, strings.EMPTY_REASON)
        return self._review(case_id=case_id, user_id=user_id, draft_id=draft_id,
                            action=Action.REQUEST_CHANGES, step=lambda case: Step(
                                action=Action.REQUEST_CHANGES, actor=user_id,
                                effects=(ReviewDraft(draft_id=case.latest_draft.id,
                                                     reviewer_id=user_id,
                                                     status=DraftStatus.CHANGES_REQUESTED,
                                                     note=reason),),
                                note=strings.note_changes_requested(
                                    user_id, case.latest_draft.author_id, quote(escape(reason))),
                                detail=reason))

    def _review(self, *, case_id: int, user_id: str, draft_id: int | None, action: Action,
                step: Callable[[Case], Step]) -> Outcome:
        """One transaction reads the case, checks the draft and applies ``step`` to it."""
        if not self._leads_of(self._routed(case_id)).is_lead(user_id):
            return self.can_review(case_id=case_id, user_id=user_id, draft_id=draft_id,
                                   action=action)

        def checked(case: Case) -> Step | None:
            if review_problem(case, draft_id=draft_id) \
                    or case.latest_draft.author_id == user_id \
                    or not self._leads_of(case).is_lead(user_id):
                return None
            return step(case)

        result = self.store.transition(case_id=case_id, now=self.clock(), step=checked)
        if result.ok:
            return self._done(result)
        refused = self._review_outcome(
            result.case, user_id=user_id, draft_id=draft_id, action=action,
            is_lead=self._leads_of(result.case).is_lead(user_id))
        # Checks passed on a case another transaction changed meanwhile: a newer draft.
        return refused if not refused.ok else Outcome(False, result.case, strings.STALE_DRAFT)

    def _review_outcome(self, case: Case | None, *, user_id: str, draft_id: int | None,
                        action: Action, is_lead: bool) -> Outcome:
        if case is None:
            return Outcome(False, None, strings.NO_SUCH_CASE)
        problem = review_problem(case, draft_id=draft_id)
        if problem == "state":
            return self._refused(TransitionResult(False, case))
        if problem == "stale":
            return Outcome(False, case, strings.STALE_DRAFT)
        why = None
        if not is_lead:
            why = strings.NOT_A_LEAD.format(leads=self._leads_of(case).mention_list())
        elif case.latest_draft.author_id == user_id:
            why = strings.OWN_DRAFT if action is Action.APPROVE else strings.OWN_DRAFT_CHANGES
        if why:
            approving = action is Action.APPROVE
            self.store.record(case_id=case.id, actor=user_id,
                              action="approval_refused" if approving else "changes_refused",
                              now=self.clock(), detail=why,
                              note=strings.note_refused(user_id, why, attempt=action.value))
            self.kick()
            return Outcome(False, case, why)
        return Outcome(True, case)

    def _routed(self, case_id: int) -> Case | None:
        """The case, read only when a triage chart may give it its own leads or policy."""
        return self.store.get(case_id) if self.routes is not None else None

    def _policy_of(self, case: Case | None) -> SlaPolicy:
        if self.routes is None or case is None:
            return self.policy
        return self.routes.policy_of(case.route)

    def _leads_of(self, case: Case | None) -> LeadDirectory:
        """Who approves ``case``: its route's leads and the desk's leads."""
        if self.routes is None or case is None:
            return self.leads
        return self.routes.leads_for(case.route)

    # --- after sending / closing ------------------------------------------------------
    def retry_send(self, *, case_id: int, user_id: str) -> Outcome:
        now = self.clock()
        result = self.store.transition(case_id=case_id, now=now, step=Step(
            action=Action.RETRY_SEND, actor=user_id, effects=(RequeueFailedOutbound(),),
            note=strings.note_retry(user_id)))
        return self._done(result) if result.ok else self._refused(result)

    def close(self, *, case_id: int, user_id: str, reason: CloseReason) -> Outcome:
        result = self.store.transition(case_id=case_id, now=self.clock(), step=Step(
            action=reason.action, actor=user_id,
            effects=(SetCloseReason(reason.value), SetClosedAt(self.clock()), StopClock()),
            detail=reason.value, note=strings.note_closed(user_id, reason.value)))
        if not result.ok and result.case and result.case.close_reason == reason.value \
                and result.case.state in (CaseState.CLOSED, CaseState.IGNORED):
            return Outcome(True, result.case)  # already closed that way: a double click
        if result.ok and result.case is not None:
            self.on_closed(result.case, reason=reason, by=user_id)
        return self._done(result) if result.ok else self._refused(result)

    def reopen(self, *, case_id: int, user_id: str) -> Outcome:
        now = self.clock()
        policy = self._policy_of(self._routed(case_id))
        clock = start_clock(policy, start=now, minutes=policy.followup_minutes)
        result = self.store.transition(case_id=case_id, now=now, step=Step(
            action=Action.REOPEN, actor=user_id,
            effects=(SetAssignee(None), SetCloseReason(None), StartClock(clock)),
            note=strings.note_reopened(user_id)))
        return self._done(result) if result.ok else self._refused(result)

    # --- helpers --------------------------------------------------------------------
    def record_refusal(self, *, case_id: int, user_id: str, reason: str) -> bool:
        """Note on the case that a request about it was refused before it reached the desk
        (no state change, nothing posted). False when there is no such case."""
        if self.store.get(case_id) is None:
            return False
        self.store.record(case_id=case_id, actor=(user_id or "unknown")[:32],
                          action="request_refused", now=self.clock(), detail=reason[:200])
        return True

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
