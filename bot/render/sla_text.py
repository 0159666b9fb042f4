"""What the SLA sweep says: nudges in a case thread and the summary at opening."""

from __future__ import annotations

from datetime import datetime

from bot.domain.deadline_words import duration_words
from bot.domain.sla import Level
from bot.render.mrkdwn import safe


def nudge(*, level: Level, mentions: str, unclaimed: bool, minutes: int) -> str:
    target = duration_words(minutes)
    if level is Level.WARNING:
        who = "Nobody has claimed this case yet." if unclaimed else mentions
        return (f":hourglass: *Response target nearly used* ({target} in office hours). "
                f"{who}").strip()
    if level is Level.BREACH:
        owner = "It is unclaimed." if unclaimed else ""
        return (f":red_circle: *Response target missed* ({target}). {owner} "
                f"{mentions}").replace("  ", " ").strip()
    return (f":rotating_light: *Escalation:* no answer after twice the target. "
            f"{mentions}").strip()


def overnight_summary(dues, *, now: datetime, leads: str) -> str:
    """One message at opening for the levels that fell due while the desk was closed."""
    by_level: dict[str, list] = {}
    for due in dues:
        by_level.setdefault(due.level, []).append(due)
    lines = [f":sunrise: *While the desk was closed*, {len(dues)} case(s) reached a "
             f"response-time level. {leads}"]
    for level in (Level.WARNING, Level.BREACH, Level.ESCALATION):
        items = by_level.get(level.value, [])
        if not items:
            continue
        links = ", ".join(case_link(d.slack_channel, d.slack_ts, d.case_id, d.customer_handle)
                          for d in items[:20])
        more = f" and {len(items) - 20} more" if len(items) > 20 else ""
        lines.append(f"• {level.value}: {links}{more}")
    return "\n".join(lines)


def case_link(channel: str, ts: str | None, case_id: int, handle: str) -> str:
    label = f"#{case_id} @{safe(handle, 30)}"
    if not ts:
        return label
    return f"<https://slack.com/archives/{channel}/p{ts.replace('.', '')}|{label}>"
