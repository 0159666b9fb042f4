"""What agents do with the filtered log: list it, and make a filtered post a case.

Example::

    actions = TriageActions(filtered=FilteredPosts(db), intake=intake, kick=jobs.kick)
    blocks, text = actions.listing()
    actions.make_case(post_id="186...", user_id="U1")
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.triage import Lane
from bot.render import filtered_blocks, triage_text
from bot.services.crisis_watch import CrisisWatch
from bot.services.desk import Outcome
from bot.services.intake import Intake
from bot.services.learning import Learning
from storage.screening import FilteredPost, FilteredPosts


class TriageActions:
    def __init__(self, *, filtered: FilteredPosts, intake: Intake,
                 kick: Callable[[], None] = lambda: None,
                 crisis: CrisisWatch | None = None,
                 learning: Learning | None = None) -> None:
        self.learning = learning
        self.crisis = crisis
        self.filtered = filtered
        self.intake = intake
        self.kick = kick

    def listing(self) -> tuple[list[dict], str]:
        items, total = self.filtered.recent(limit=filtered_blocks.LIMIT)
        return filtered_blocks.filtered_list(items, total=total)

    def crisis_command(self, *, args: str, user_id: str) -> str:
        """``/care crisis on|off|status``."""
        if self.crisis is None:
            return triage_text.CRISIS_NOT_RUNNING
        arg = args.strip().lower()
        if arg in ("on", "off"):
            return self.crisis.force(on=arg == "on", user_id=user_id)
        if arg in ("", "status"):
            return self.crisis.status()
        return triage_text.CRISIS_USAGE

    def make_case(self, *, post_id: str, user_id: str) -> Outcome:
        item = self.filtered.get(post_id)
        if item is None:
            return Outcome(False, None, triage_text.NOT_FOUND)
        if item.case_id is not None:
            return Outcome(False, None, triage_text.ALREADY)
        case_id = self.intake.open_filtered(item.post, origin=item.origin, by=user_id)
        if case_id is None:
            return Outcome(False, None, triage_text.ALREADY)
        self._learn(item, by=user_id)
        self.kick()
        return Outcome(True, None, triage_text.case_opened(case_id))

    def _learn(self, item: FilteredPost, *, by: str) -> None:
        """Record the correction when triage itself filtered the post (not the mute list,
        a retweet or a crisis digest)."""
        if self.learning is None:
            return
        triage = self.intake.screening.screen(item.post, origin=item.origin).triage
        if triage is not None and triage.lane is not Lane.CASE:
            self.learning.made_case(post=item.post, lane=triage.lane.value,
                                    kind=triage.kind.value, reason=triage.reason, by=by)
