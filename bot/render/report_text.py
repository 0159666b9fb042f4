"""The words around a period report: the summary posted with the charts, and the answers
to ``/care report`` itself."""

from __future__ import annotations

from bot.domain.report_figures import ReportFigures
from bot.domain.report_period import PERIOD_KINDS

REPORT_USAGE = ("Usage: `/care report [day|week|month] [this] [me]`: `day` is yesterday, `week` "
                "the last Monday-to-Sunday week (the default), `month` the last month; `this` "
                "for the current one so far; `me` sends it to you in a DM.")


def _minutes(value: float) -> str:
    value = round(value)
    hours, rest = divmod(value, 60)
    return f"{rest} min" if not hours else (f"{hours} h {rest} min" if rest else f"{hours} h")


def summary(figures: ReportFigures, *, timezone: str) -> str:
    volume = {lane: sum(counts) for lane, counts in figures.volume.items()}
    lines = [f"*Care report: {figures.period.label}* ({timezone})",
             f"• {volume['cases']:,} cases, {volume['praise']:,} praise, "
             f"{volume['filtered']:,} filtered"]
    if figures.first_responses:
        lines.append(f"• First response: median {_minutes(figures.median_first_response or 0)}"
                     f", {figures.within_target_percent:.0f}% within the "
                     f"{_minutes(figures.target_minutes)} target (office hours)")
    else:
        lines.append("• No first responses in this period")
    if volume["cases"]:
        busiest = max(range(len(figures.days)), key=lambda i: figures.volume["cases"][i])
        lines.append(f"• Busiest day: {figures.days[busiest].strftime('%a %d %b')} "
                     f"({figures.volume['cases'][busiest]:,} cases)")
    share = round(figures.covering.share * 100)
    lines.append(f"• Covering {share}% of posts needs {figures.covering.describe()}")
    rated = [a for a in figures.agents if a.csat is not None]
    if rated:
        lines.append("• CSAT: " + ", ".join(f"<@{a.agent}> {a.csat:.1f}" for a in rated[:8]))
    if figures.csat_per_week:
        weeks = list(figures.csat_per_week.items())[-6:]
        lines.append("• CSAT per week: " + ", ".join(
            f"week of {week.strftime('%d %b')} {mean:.1f}" for week, mean in weeks))
    lines.append("Charts and the period's cases (CSV) below.")
    return "\n".join(lines)


def building(*, kind: str, current: bool, direct: bool) -> str:
    which = f"this {kind} so far" if current else {"day": "yesterday", "week": "last week",
                                                   "month": "last month"}[kind]
    where = ("in your DM with the app" if direct
             else "in this channel (or in your DM with the app if the app is not in here)")
    return f"Building the report for {which}; it will appear {where} in a moment."


def failed() -> str:
    return "The report could not be built or posted; please try again in a minute."


def unknown_period(word: str) -> str:
    kinds = ", ".join(f"`{k}`" for k in PERIOD_KINDS)
    return f"`{word}` is not a report period ({kinds}). " + REPORT_USAGE
