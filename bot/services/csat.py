"""Customer satisfaction (CSAT) for conversations in DM: ask once, record the rating.

With CSAT on, a case handled by DM (it came in as a DM or moved to DM) that is closed as
resolved gets one question by DM, ``CARE_CSAT_TEXT``. A case is asked once, even when it
is reopened and resolved again: the customer rated the conversation, not each close. A
question not sent yet when its case is reopened waits until the case is resolved again.

The question never spends the DM sends that agents' replies need: it goes out only while
at most ``CSAT_MAX_USED`` of X's DM sends are used in the last 15 minutes (the desk's own
sends, as recorded), otherwise it waits for the next run of the ``send_csat`` job. Sending
follows the outbox's rules: a lease per question, an attempt that may have reached X is
reconciled against the brand's recent DMs before any retry, a 429 waits for X's reset.

A DM of the customer that is only a score from 1 to 5, read within 3 days of the question
(by the desk's clock), is the rating: stored with the case, shown in its thread and read
by the reports. Anything else, and a score after 3 days, is a normal follow-up.

Example::

    csat = Satisfaction(questions=CsatQuestions(db), x=x, brand_id=lambda: me.id,
                        clock=clock, owner="host:42", text=settings.csat_text, enabled=True)
    desk.on_closed = csat.case_closed      # queues the question
    csat.send_due()                        # the scheduled job: sends what the budget allows
    csat.take_rating(dm)                   # intake: True when the DM was the rating
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.domain.case import CloseReason
from bot.domain.csat import DM_WINDOW, RATING_WINDOW, may_send_request, read_rating
from bot.domain.model import Case, InboundPost
from bot.render import csat_text
from bot.services.sending import MAX_AMBIGUOUS_ATTEMPTS, backoff
from bot.x.client import XAmbiguous, XClient, XDuplicate, XError, XRateLimited, same_reply_text
from storage.csat import CsatJob, CsatQuestions

log = logging.getLogger(__name__)

LEASE_SECONDS = 120
MAX_SENDS_PER_RUN = 10
SEND_CHECK_SECONDS = 60  # how often a held-back question looks at the DM budget again


class Satisfaction:
    def __init__(self, *, questions: CsatQuestions, x: XClient, brand_id: Callable[[], str],
                 clock: Callable[[], datetime], owner: str, text: str, enabled: bool,
                 kick: Callable[[], None] = lambda: None,
                 wake: Callable[[], None] = lambda: None) -> None:
        """``kick`` delivers the thread notes now; ``wake`` runs ``send_due`` now."""
        self.questions = questions
        self.x = x
        self.brand_id = brand_id
        self.clock = clock
        self.owner = owner
        self.text = text
        self.enabled = enabled
        self.kick = kick
        self.wake = wake

    # --- asking -------------------------------------------------------------------------
    def case_closed(self, case: Case, *, reason: CloseReason, by: str) -> None:
        """Queue the question for a case handled by DM and closed as resolved."""
        if not self.enabled or reason is not CloseReason.RESOLVED:
            return
        if not (case.moved_to_dm or case.origin == "dm"):
            return
        if self.questions.ask(case_id=case.id, recipient_id=case.customer.id, text=self.text,
                              now=self.clock()):
            self.wake()

    def send_due(self) -> int:
        """Send waiting questions while the DM budget allows; returns how many were sent."""
        if not self.enabled:
            return 0  # questions queued before CSAT was turned off stay unsent
        sent = 0
        for _ in range(MAX_SENDS_PER_RUN):
            now = self.clock()
            if not may_send_request(sends_in_window=self.questions.dm_sends_since(
                    now - DM_WINDOW)):
                break
            job = self.questions.claim_one(owner=self.owner, now=now,
                                           lease_seconds=LEASE_SECONDS)
            if job is None:
                break
            sent += self._send(job)
        return sent

    def waiting(self) -> int:
        """Questions not sent yet: held back by the DM budget or waiting for a retry."""
        return self.questions.waiting(now=self.clock())

    def status_line(self) -> str | None:
        return csat_text.waiting(self.waiting())

    def _send(self, job: CsatJob) -> int:
        if not self.questions.renew(job=job, owner=self.owner, now=self.clock(),
                                    lease_seconds=LEASE_SECONDS):
            return 0  # taken over by another worker meanwhile
        try:
            if job.must_reconcile:
                found = self._find_sent(job)
                if found:
                    return self._sent(job, found)
            return self._sent(job, self.x.send_dm(text=job.text,
                                                  participant_id=job.recipient_id))
        except XDuplicate as exc:
            found = self._find_sent_quietly(job)
            return self._sent(job, found) if found else self._failed(job, exc.reason)
        except XRateLimited as exc:
            self.questions.postpone(job=job, owner=self.owner,
                                    at=exc.reset_at or self.clock() + backoff(job.attempts),
                                    error=exc.reason, unresolved=job.must_reconcile)
            return 0
        except XAmbiguous as exc:
            if job.attempts >= MAX_AMBIGUOUS_ATTEMPTS:
                found = self._find_sent_quietly(job)
                return self._sent(job, found) if found else self._failed(job, exc.reason)
            self.questions.postpone(job=job, owner=self.owner,
                                    at=self.clock() + backoff(job.attempts), error=exc.reason,
                                    unresolved=True)
            return 0
        except XError as exc:
            return self._failed(job, exc.reason)

    def _find_sent(self, job: CsatJob) -> str | None:
        """Our question among the brand's recent DMs to the customer, newer than any
        earlier question to them (the text is the same every time)."""
        earlier = self.questions.last_event_id_to(recipient_id=job.recipient_id,
                                                  before_job=job.id)
        for event_id, text in self.x.recent_dms_to(brand_id=self.brand_id(),
                                                   participant_id=job.recipient_id):
            if same_reply_text(text, job.text) and (
                    earlier is None or (len(event_id), event_id) > (len(earlier), earlier)):
                return event_id
        return None

    def _find_sent_quietly(self, job: CsatJob) -> str | None:
        try:
            return self._find_sent(job)
        except XError:
            return None

    def _sent(self, job: CsatJob, event_id: str) -> int:
        if self.questions.sent(job=job, owner=self.owner, event_id=event_id, now=self.clock(),
                               note=csat_text.asked()):
            self.kick()
        return 1

    def _failed(self, job: CsatJob, reason: str) -> int:
        log.warning("the CSAT question of case %s could not be sent: %s", job.case_id, reason)
        if self.questions.failed(job=job, owner=self.owner, error=reason, now=self.clock(),
                                 note=csat_text.failed(reason)):
            self.kick()
        return 0

    # --- the answer ---------------------------------------------------------------------
    @staticmethod
    def could_be_rating(post: InboundPost) -> bool:
        """Whether ``post`` reads as a rating at all (a DM that is only a score)."""
        return post.kind == "dm" and read_rating(post.text) is not None

    def take_rating(self, post: InboundPost) -> bool:
        """Record ``post`` as the rating of its author's open question; False when it is
        no rating (not a score, no question asked, or asked more than 3 days ago)."""
        if not self.could_be_rating(post):
            return False
        now = self.clock()
        question = self.questions.open_question(customer_id=post.author.id,
                                                asked_since=now - RATING_WINDOW)
        if question is None:
            return False
        rating = read_rating(post.text)
        recorded = self.questions.record_rating(
            question=question, post=post, rating=rating, now=now,
            note=csat_text.rated(handle=post.author.username, rating=rating))
        if recorded:
            self.kick()
        return recorded
