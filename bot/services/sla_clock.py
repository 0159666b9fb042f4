"""Starting and stopping a case's response clock: the column values storage applies.

Example::

    fields = start_clock(policy, start=received_at, minutes=policy.first_minutes)
    store.open_case(..., clock=fields)
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.sla import SlaPolicy


def start_clock(policy: SlaPolicy, *, start: datetime, minutes: int) -> dict:
    """A new clock from ``start`` (storage bumps the case's clock number with it)."""
    first = policy.next_level(start, minutes, after=None)
    return {"sla_started_at": start, "sla_minutes": minutes,
            "sla_due_at": policy.deadline(start, minutes),
            "next_nudge_at": first[1] if first else None,
            "next_nudge_level": first[0].level.value if first else None}


# The customer has their answer (or the case is closed): no more nudges. The deadline
# stays on record; the parent shows it only while the customer waits on us.
STOP_CLOCK = {"next_nudge_at": None, "next_nudge_level": None}
