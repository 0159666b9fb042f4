"""Starting a case's response clock: the deadline and the first nudge, from the policy.

Example::

    clock = start_clock(policy, start=received_at, minutes=policy.first_minutes)
    store.open_case(..., clock=clock)
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.sla import SlaPolicy
from bot.domain.transition import ResponseClock


def start_clock(policy: SlaPolicy, *, start: datetime, minutes: int) -> ResponseClock:
    """A new clock from ``start`` (storage bumps the case's clock number with it)."""
    first = policy.next_level(start, minutes, after=None)
    return ResponseClock(started_at=start, minutes=minutes,
                         due_at=policy.deadline(start, minutes),
                         next_nudge_at=first[1] if first else None,
                         next_nudge_level=first[0].level.value if first else None)
