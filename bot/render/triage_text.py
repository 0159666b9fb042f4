"""Sentences of the filtered log's actions and of ``/care crisis``."""

from __future__ import annotations

NOT_FOUND = "That post is not in the filtered log any more."
ALREADY = "That post is a case already."
CRISIS_NOT_RUNNING = "Crisis detection is not running."
CRISIS_USAGE = "Use `/care crisis on`, `/care crisis off` or `/care crisis status`."


def case_opened(case_id: int) -> str:
    return f"Case #{case_id} opened in the care channel."
