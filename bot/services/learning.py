"""Learning from the desk: every agent decision that contradicts triage becomes a
labelled example (``app.py triage --export-labels`` writes them), and ``/care triage``
shows the week's triage and its corrections.

Example::

    learning = Learning(labels=TriageLabels(db), brand_handle=lambda: "acme", clock=clock)
    learning.case_closed(case, reason=CloseReason.SPAM, by="U1")
    learning.week()  # the /care triage answer
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.case import CloseReason
from bot.domain.model import Case, InboundPost
from bot.render import praise_blocks
from storage.labels import LabelledExample, TriageLabels

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
COMMON_REASONS = 3

FILTERED_MADE_CASE = "filtered_made_case"
PRAISE_MADE_CASE = "praise_made_case"
CLOSED_AS = {CloseReason.NOT_A_REQUEST: "closed_not_a_request", CloseReason.SPAM: "closed_spam"}


class Learning:
    def __init__(self, *, labels: TriageLabels, brand_handle: Callable[[], str],
                 clock: Callable[[], datetime]) -> None:
        self.labels = labels
        self.brand_handle = brand_handle
        self.clock = clock

    def made_case(self, *, post: InboundPost, lane: str, kind: str | None, reason: str,
                  by: str) -> None:
        """An agent made a case of a post triage filtered (``lane`` filtered) or sent to
        the praise lane (``lane`` praise)."""
        correction = PRAISE_MADE_CASE if lane == "praise" else FILTERED_MADE_CASE
        self._record(post_id=post.id, text=post.text, followers=post.author.followers,
                     lang=post.lang, lane=lane, kind=kind, reason=reason, label="case",
                     correction=correction, by=by)

    def case_closed(self, case: Case, *, reason: CloseReason, by: str) -> None:
        """A case closed as not a request or spam: triage should have filtered it."""
        correction = CLOSED_AS.get(reason)
        if correction is None:
            return
        lane = "praise" if case.kind == "praise" else "case"
        self._record(post_id=case.source_post_id, text=case.text,
                     followers=case.customer.followers, lang=None, lane=lane, kind=case.kind,
                     reason=case.triage_reason or "", label="filtered",
                     correction=correction, by=by)

    def _record(self, *, post_id: str, text: str, followers: int, lang: str | None,
                lane: str, kind: str | None, reason: str, label: str, correction: str,
                by: str) -> None:
        example = LabelledExample(
            post_id=post_id, text=text, brand_handle=self.brand_handle(),
            author_followers=followers, lang=lang, triage_lane=lane, triage_kind=kind,
            triage_reason=reason, label=label, correction=correction, labelled_by=by)
        try:
            self.labels.record(example, now=self.clock())
        except Exception:  # noqa: BLE001 - the agent's action stands even if this fails
            log.exception("could not record the triage correction on post %s", post_id)

    def week(self) -> str:
        """The ``/care triage`` answer: the last 7 days."""
        since = self.clock() - WEEK
        examples = self.labels.since(since)
        by_correction: dict[str, Counter] = {}
        for example in examples:
            clause = example.triage_reason.split(";")[0].strip() or "(no reason)"
            by_correction.setdefault(example.correction, Counter())[clause] += 1
        counts = {key: sum(c.values()) for key, c in by_correction.items()}
        return praise_blocks.triage_week(
            lanes=self.labels.lane_counts(since),
            pulled_back=counts.get(FILTERED_MADE_CASE, 0),
            not_a_request=counts.get(CLOSED_AS[CloseReason.NOT_A_REQUEST], 0),
            spam=counts.get(CLOSED_AS[CloseReason.SPAM], 0),
            praise_made_case=counts.get(PRAISE_MADE_CASE, 0),
            reasons={key: c.most_common(COMMON_REASONS) for key, c in by_correction.items()})
