"""What agents do with the filtered log: list it, and make a filtered post a case.

Example::

    actions = TriageActions(filtered=FilteredPosts(db), intake=intake, kick=jobs.kick)
    blocks, text = actions.listing()
    actions.make_case(post_id="186...", user_id="U1")
"""

from __future__ import annotations

from collections.abc import Callable

from bot.render import filtered_blocks
from bot.services.crisis_watch import CrisisWatch
from bot.services.desk import Outcome
from bot.services.intake import Intake
from storage.screening import FilteredPosts

NOT_FOUND = "That post is not in the filtered log any more."
ALREADY = "That post is a case already."


class TriageActions:
    def __init__(self, *, filtered: FilteredPosts, intake: Intake,
                 kick: Callable[[], None] = lambda: None,
                 crisis: CrisisWatch | None = None) -> None:
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
            return "Crisis detection is not running."
        arg = args.strip().lower()
        if arg in ("on", "off"):
            return self.crisis.force(on=arg == "on", user_id=user_id)
        if arg in ("", "status"):
            return self.crisis.status()
        return "Use `/care crisis on`, `/care crisis off` or `/care crisis status`."

    def make_case(self, *, post_id: str, user_id: str) -> Outcome:
        item = self.filtered.get(post_id)
        if item is None:
            return Outcome(False, None, NOT_FOUND)
        if item.case_id is not None:
            return Outcome(False, None, ALREADY)
        case_id = self.intake.open_filtered(item.post, origin=item.origin, by=user_id)
        if case_id is None:
            return Outcome(False, None, ALREADY)
        self.kick()
        return Outcome(True, None, f"Case #{case_id} opened in the care channel.")
