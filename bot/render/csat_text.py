"""What the desk says about customer satisfaction (CSAT) ratings: thread notes and the
line in ``/care status``.

Example::

    >>> rated(handle="jane_doe", rating=4)
    ':sparkles: *CSAT* @jane_doe rated this conversation *4/5* ★★★★☆'
"""

from __future__ import annotations

from bot.domain.csat import CSAT_MAX_USED, DM_SENDS_PER_WINDOW, DM_WINDOW
from bot.render.mrkdwn import safe


def asked() -> str:
    return (":envelope_with_arrow: *CSAT*: the customer was asked by DM to rate this "
            "conversation (1-5).")


def failed(reason: str) -> str:
    return f":warning: *CSAT*: the rating question could not be sent by DM: {safe(reason, 300)}"


def rated(*, handle: str, rating: int) -> str:
    stars = "★" * rating + "☆" * (5 - rating)
    return (f":sparkles: *CSAT* @{safe(handle, 40)} rated this conversation *{rating}/5* "
            f"{stars}")


def waiting(count: int) -> str | None:
    """The ``/care status`` line while questions wait for the DM budget (None: none wait)."""
    if not count:
        return None
    noun = "question" if count == 1 else "questions"
    minutes = int(DM_WINDOW.total_seconds() // 60)
    return (f"*CSAT:* {count} {noun} waiting for the DM budget (sent while at most "
            f"{CSAT_MAX_USED} of X's {DM_SENDS_PER_WINDOW} DM sends per {minutes} minutes "
            "are used)")
