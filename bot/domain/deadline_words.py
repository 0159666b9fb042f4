"""A response deadline in words, for the case's parent message in Slack.

Pure. Rules:

* due within the hour, or later on the same local day: ``due in 42 min``, ``due in 2 h 5 min``
  (minutes rounded up, so it never reads "due in 0 min" while time is left);
* due on another local day: ``due Mon 09:45`` (``due 3 Mar 09:45`` a week or more away, with
  the year when it differs);
* less than a minute either side: ``due now``;
* overdue by less than a day: ``overdue by 1 h 5 min`` (minutes rounded down);
* overdue by a day or more: ``overdue since Mon 09:45``.

Example::

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> tz = ZoneInfo("Europe/Berlin")
    >>> now = datetime(2026, 6, 5, 17, 0, tzinfo=tz)  # a Friday
    >>> describe_deadline(deadline=now + timedelta(minutes=125), now=now, tz=tz)
    'due in 2 h 5 min'
    >>> describe_deadline(deadline=datetime(2026, 6, 8, 9, 45, tzinfo=tz), now=now, tz=tz)
    'due Mon 09:45'
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["describe_deadline", "duration_words"]

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip


def describe_deadline(*, deadline: datetime, now: datetime, tz: ZoneInfo) -> str:
    """Say when ``deadline`` is, seen from ``now``, in the desk's time zone ``tz``."""
    for name, value in (("deadline", deadline), ("now", now)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}")
    left = deadline - now
    local_deadline, local_now = deadline.astimezone(tz), now.astimezone(tz)
    if timedelta(minutes=-1) < left <= timedelta(0):
        return "due now"
    if left > timedelta(0):
        if left <= timedelta(hours=1) or local_deadline.date() == local_now.date():
            return f"due in {duration_words(math.ceil(left.total_seconds() / 60))}"
        return f"due {_moment(local_deadline, local_now)}"
    late = -left
    if late < timedelta(days=1):
        return f"overdue by {duration_words(math.floor(late.total_seconds() / 60))}"
    return f"overdue since {_moment(local_deadline, local_now)}"


def duration_words(minutes: int) -> str:
    """``45`` -> "45 min", ``60`` -> "1 h", ``135`` -> "2 h 15 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _moment(local: datetime, local_now: datetime) -> str:
    clock = f"{local:%H:%M}"
    if abs((local.date() - local_now.date()).days) < 7:
        return f"{_DAY_ABBR[local.weekday()]} {clock}"
    year = f" {local.year}" if local.year != local_now.year else ""
    return f"{local.day} {_MONTH_ABBR[local.month - 1]}{year} {clock}"
