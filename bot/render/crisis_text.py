"""What the bot says about a crisis: the alert, the all-clear, /care crisis answers."""

from __future__ import annotations

from datetime import datetime

from bot.render.mrkdwn import safe

BUSY = "The crisis state is being changed by another instance; try again in a moment."


def alert(alert, *, leads: str) -> str:
    terms = ", ".join(f"{safe(term, 40)} ({n})" for term, n in alert.top_terms) or "none"
    examples = " · ".join(f"<{url}|example {i}>" for i, url in enumerate(alert.examples, 1))
    return (f":rotating_light: *Possible crisis.* {leads}\n"
            f"{alert.volume} posts in the last {alert.window_minutes} min (usually about "
            f"{alert.usual:.0f}), {alert.negative_share:.0%} negative.\n"
            f"*Top terms:* {terms}\n" + (f"*Examples:* {examples}\n" if examples else "")
            + "Crisis mode is on: alike posts are grouped into one digest case per topic "
              "(each post stays in `/care filtered`, answerable). `/care crisis off` ends it.")


def calm(stats) -> str:
    return (f":white_check_mark: *The crisis has calmed down* ({stats.volume} posts in the "
            "window). Crisis mode is off; new posts become cases one by one again.")


def forced(*, on: bool, by: str) -> str:
    if on:
        return (f":rotating_light: <@{by}> switched crisis mode *on*: alike posts are grouped "
                "into digest cases until `/care crisis off`.")
    return f":white_check_mark: <@{by}> switched crisis mode *off*."


def forced_answer(*, on: bool, changed: bool) -> str:
    state = "on" if on else "off"
    return f"Crisis mode is {state}." if changed else f"Crisis mode was already {state}."


def status_line(since: datetime | None, focus) -> str:
    topic = ", ".join(safe(f, 30) for f in focus) or "no single topic"
    when = f" since {since:%H:%M} UTC" if since else ""
    return f":rotating_light: *Crisis mode is on*{when} (topics: {topic})."


def status(*, active: bool, manual: bool, since, focus, stats, window_minutes: int) -> str:
    head = (status_line(since, focus) + (" Switched on by hand." if manual else "")
            if active else "Crisis mode is off.")
    return (f"{head}\nLast {window_minutes} min: {stats.volume} posts (usually about "
            f"{stats.usual:.0f}), {stats.negative_share:.0%} negative.\n"
            "`/care crisis on` groups alike posts now; `/care crisis off` ends crisis mode.")
