"""``/care chart`` and ``/care status all``: the triage chart and its queues, one line each."""

from __future__ import annotations

from bot.domain.office_hours import OfficeHours
from bot.domain.routes import RouteChart
from bot.domain.sla import SlaPolicy
from bot.render.mrkdwn import safe

MAX_ROUTES_SHOWN = 40


def _people(ids: tuple[str, ...]) -> str:
    return ", ".join(f"<!subteam^{i}>" if i.startswith("S") else f"<@{i}>" for i in ids)


def chart_table(*, chart: RouteChart, care_channel: str, desk_leads: tuple[str, ...],
                hours: OfficeHours, sla_minutes: int,
                unreachable: frozenset[str] = frozenset()) -> str:
    """Who deals with what: route, channel, what it takes, leads, target and hours."""
    lines = ["*The triage chart* (routes are tried in order; the first that takes a post "
             "gets its case)",
             "*#* · *route* · *channel* · *takes* · *leads* · *target* · *hours*"]
    for number, route in enumerate(chart.routes[:MAX_ROUTES_SHOWN], start=1):
        leads = _people(route.leads) or "the desk's leads"
        channel = f"<#{route.channel}>"
        if route.name in unreachable:
            channel += f" :warning: cannot post there, cases wait in <#{care_channel}>"
        lines.append(
            f"{number} · *{safe(route.name, 40)}* · {channel} · "
            f"{safe(route.match.describe(), 400)} · {leads} · "
            f"{route.sla_minutes or sla_minutes} min · "
            f"{safe(route.hours(hours).describe(), 200)}")
    if not _takes_everything(chart):
        lines.append(f"– · *everything else* · <#{care_channel}> · what no route takes · "
                     f"{_people(desk_leads)} · {sla_minutes} min · "
                     f"{safe(hours.describe(), 200)}")
    lines.append(f"The desk's leads ({_people(desk_leads)}) approve in every route.")
    return "\n".join(lines)


def status_all(*, chart: RouteChart, care_channel: str, counts: dict) -> str:
    """One line per route: open, unclaimed, overdue and high-priority cases."""
    rows = [(route.name, route.channel) for route in chart.routes[:MAX_ROUTES_SHOWN]]
    lines = ["*Queues per route*"]
    if None in counts or not _takes_everything(chart):
        rows.append((None, care_channel))
    for name, channel in rows:
        c = counts.get(name)
        label = f"*{safe(name, 40)}*" if name else "*care channel*"
        if c is None or not c.open:
            lines.append(f"{label} <#{channel}>: nothing open")
            continue
        lines.append(f"{label} <#{channel}>: {c.open} open · {c.unclaimed} unclaimed · "
                     f"{c.overdue} overdue · {c.high_priority} high priority")
    return "\n".join(lines)


def scoped(answer: str, *, route: str, policy: SlaPolicy | None = None) -> str:
    """An answer about one route's queue, said so (with the target and hours its
    response figures are measured by, when ``policy`` is given)."""
    measure = "" if policy is None else (
        f" Response times in its own hours: target {policy.first_minutes} min, "
        f"{safe(policy.hours.describe(), 200)}.")
    return (f"_Route *{safe(route, 40)}* only; `/care status all` for every route."
            f"{measure}_\n{answer}")


def _takes_everything(chart: RouteChart) -> bool:
    """Whether a route takes every post, leaving nothing to the care channel itself."""
    return any(route.match.takes_everything for route in chart.routes)
