"""The text of /care answers (ephemeral). Lists are capped so answers stay short."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.deadline_words import describe_deadline, duration_words
from bot.render import mrkdwn, strings
from bot.render.sla_text import case_link

LIST_LIMIT = 15

HELP = ("*/care* commands (answers only you can see):\n"
        "• `/care status`: the queue at a glance, today's response times\n"
        "• `/care mine`: your open cases with their deadlines\n"
        "• `/care sla`: cases at risk or overdue, most urgent first\n"
        "• `/care hours`: office hours, next opening, a line for the brand's X bio\n"
        "• `/care filtered`: recent posts that did not become cases, with *Make it a case*\n"
        "• `/care quarantine`: posts from X that could not be read, with *Retry*\n"
        "• `/care praise`: praise not shown in a digest, with *Like* and *Thank*\n"
        "• `/care triage`: the week's triage and the corrections agents made\n"
        "• `/care crisis on|off|status`: crisis mode (alike posts grouped into digests)\n"
        "• `/care signature AB`: sign your public replies with your initials (`off` removes)\n"
        "• `/care report [day|week|month] [this] [me]`: charts and a CSV of the period\n"
        "• `/care replies`: the most and least used saved replies (`reload`: the file again)\n"
        "• `/care chart`: the triage chart, who deals with what; `/care status all`: one "
        "line per route (in a route's channel, status, mine and sla show that route)\n"
        "• `/care help`: this list")


def _minutes(value: float) -> str:
    return duration_words(round(value))


def _deadline(line, now: datetime, tz: ZoneInfo) -> str:
    if line.sla_due_at is None:
        return "no deadline"
    return describe_deadline(deadline=line.sla_due_at, now=now, tz=tz)


def _case(line, now: datetime, tz: ZoneInfo, *, with_agent: bool = False) -> str:
    parts = [case_link(line.slack_channel, line.slack_ts, line.id, line.customer_handle),
             _deadline(line, now, tz), strings.STATE_LABELS[line.state].split(" ", 1)[-1]]
    if with_agent:
        parts.append(strings.user(line.assignee_id) if line.assignee_id else "unclaimed")
    if line.priority == "high":
        parts.append(":small_red_triangle: high")
    if line.escalated:
        parts.append(":rotating_light: escalated")
    return "• " + " · ".join(parts)


def status(*, snapshot, stats, now: datetime, tz: ZoneInfo, slack_pending: int,
           x_backlog: int, spend=None, crisis: str | None = None,
           csat: str | None = None) -> str:
    by_state = snapshot.by_state
    open_total = sum(n for state, n in by_state.items() if state not in ("closed", "ignored"))
    lines = [f"*Queue:* {open_total} open · {by_state.get('new', 0)} unclaimed · "
             f"{by_state.get('awaiting_approval', 0)} awaiting approval · "
             f"{snapshot.overdue} overdue · {snapshot.high_priority} high priority"]
    if snapshot.oldest_waiting:
        lines.append("*Oldest waiting:* " + _case(snapshot.oldest_waiting, now, tz,
                                                   with_agent=True)[2:])
    if stats.count:
        lines.append(f"*Today:* {stats.count} first responses · median "
                     f"{_minutes(stats.median)} · 90th percentile {_minutes(stats.p90)} "
                     f"(office hours) · {stats.within_target_percent:.0f}% within target")
    else:
        lines.append("*Today:* no first responses yet.")
    if snapshot.per_agent:
        agents = " · ".join(f"{strings.user(a)} {n} open" + (f" ({late} overdue)" if late else "")
                            for a, n, late in snapshot.per_agent)
        lines.append(f"*Per agent:* {agents}")
    if not open_total:
        lines.append("The queue is empty. :tada:")
    lines.append(f"Slack posts pending: {slack_pending} · replies waiting to go to X: {x_backlog}")
    if csat:
        lines.append(csat)
    if spend is not None:
        lines.append(_spend_line(spend))
    if crisis:
        lines.insert(0, crisis)
    return "\n".join(lines)


SOURCE_NAMES = {"mentions": "mentions", "search": "search", "dms": "DMs"}


def _spend_line(spend) -> str:
    parts = " · ".join(f"{SOURCE_NAMES.get(s, s)} {n:,}" for s, n in sorted(spend.reads.items()))
    line = (f"*X reads this month:* {spend.total:,}" + (f" ({parts})" if parts else "")
            + f" · est. ${spend.estimate:,.2f}")
    if spend.cap:
        used = spend.total / spend.cap
        line += f" · {used:.0%} of the monthly cap of {spend.cap:,}"
        if used >= 1:
            line += "\n:rotating_light: *The monthly read cap is reached.* Raise it or narrow "\
                    "X_SEARCH_QUERY."
        elif used >= 0.8:
            line += "\n:warning: Over 80% of the monthly read cap is used."
    return line


def mine(*, lines, total: int, now: datetime, tz: ZoneInfo) -> str:
    if not total:
        return "You have no open cases. Claim one from the care channel."
    out = [f"*Your open cases ({total}):*"] + [_case(line, now, tz) for line in lines]
    if total > len(lines):
        out.append(f"…and {total - len(lines)} more, shown in the care channel.")
    return "\n".join(out)


def at_risk(*, lines, total: int, now: datetime, tz: ZoneInfo) -> str:
    if not total:
        return ":white_check_mark: No case is at risk or overdue."
    out = [f"*At risk or overdue ({total}), overdue first, then by priority and deadline:*"]
    out += [_case(line, now, tz, with_agent=True) for line in lines]
    if total > len(lines):
        out.append(f"…and {total - len(lines)} more. Run `/care sla` again as they clear.")
    return "\n".join(out)


def hours(*, description: str, open_now: bool, next_opening: datetime | None,
          bio_line: str, now: datetime, tz: ZoneInfo, faq_url: str | None = None) -> str:
    """The office hours, whether the desk is open, and a line for the brand's X bio
    (pointing to the FAQ page when there is one)."""
    if open_now:
        state = "The desk is *open* now."
    elif next_opening is None:
        state = "The desk is closed, and no opening is scheduled in the next 400 days."
    else:
        local = next_opening.astimezone(tz)
        state = f"The desk is *closed*. It opens {local:%a %d %b %H:%M} ({tz.key})."
    return (f"*Office hours:* {description}\n{state}\n"
            f"*For the brand's X bio:* {bio_line}"
            + (f" · FAQ: {mrkdwn.safe(faq_url, 300)}" if faq_url else ""))


def unknown(sub: str) -> str:
    return f"I don't know `/care {sub}`.\n{HELP}"
