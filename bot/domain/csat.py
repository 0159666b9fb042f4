"""Customer satisfaction (CSAT) after a DM conversation: reading a rating, and when a
rating request may spend one of X's DM sends.

Pure. A reply is a rating when it is only a score from 1 to 5: digits ("4", "4/5",
"5 out of 5"), words ("four", "five stars") or star emoji ("⭐⭐⭐"); anything else is a
normal follow-up. A request goes out only while few of the window's DM sends are used, so
agents' replies never wait for it.

Example::

    >>> [read_rating(t) for t in ("5", "four stars", "⭐⭐⭐", "6", "5 but my bag is lost")]
    [5, 4, 3, None, None]
"""

from __future__ import annotations

import re
from datetime import timedelta

RATING_WINDOW = timedelta(days=3)   # a rating counts this long after the request
DM_WINDOW = timedelta(minutes=15)   # X's DM send window
DM_SENDS_PER_WINDOW = 15
CSAT_MAX_USED = 5                   # a request waits while more sends than this are used
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_SCORE = re.compile(r"^(?P<score>[1-5]|one|two|three|four|five)"
                    r"(?:\s*(?:/\s*5|out of (?:5|five)))?(?:\s*stars?)?[.!]*$")


def read_rating(text: str) -> int | None:
    """The 1-5 score a reply gives, or None when it is not just a score."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned or len(cleaned) > 40:
        return None
    stars = re.findall(r"⭐\ufe0f?|★|🌟", cleaned)
    if stars and not re.sub(r"⭐\ufe0f?|★|🌟|\s", "", cleaned):
        return len(stars) if 1 <= len(stars) <= 5 else None
    match = _SCORE.match(cleaned)
    if not match:
        return None
    score = match.group("score")
    return int(score) if score.isdigit() else WORDS[score]


def may_send_request(*, sends_in_window: int) -> bool:
    """Whether a rating request may use a DM send now (at most CSAT_MAX_USED used)."""
    return sends_in_window <= CSAT_MAX_USED
