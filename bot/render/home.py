"""The Home tab: one view composed of sections, built here and only here.

Each section is a list of blocks (the queue, an agent's cases, a lead's figures, the saved
replies of ``replies_home``); :func:`home_view` joins them with dividers and keeps the view
within Slack's 100 blocks. A feature that shows something on the Home tab adds a section
function and passes its blocks to :func:`home_view`.

Example::

    view = home_view([queue_section(snapshot=snapshot, at_risk=3),
                      my_cases_section(lines=lines, total=2, now=now, tz=tz)])
    slack.publish_home(user_id="U1", view=view)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.deadline_words import describe_deadline
from bot.render import strings
from bot.render.sla_text import case_link

MAX_HOME_BLOCKS = 100
MAX_BLOCKS = MAX_HOME_BLOCKS
LEFT_OUT = "Some of the Home tab did not fit; open it again after the lists shrink."
CASES_SHOWN = 20
AGENTS_SHOWN = 15


def _minutes(value: float) -> str:
    value = round(value)
    hours, rest = divmod(value, 60)
    return f"{rest} min" if not hours else (f"{hours} h {rest} min" if rest else f"{hours} h")


def _text(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def home_view(sections: Sequence[Sequence[Block | dict]], *,
              updated_at: datetime | None = None, tz: ZoneInfo | None = None) -> dict:
    """One Home view: a header, then ``sections`` in order with dividers. A section that
    does not fit whole is left out, and a last line says so (one block is kept for it)."""
    blocks: list[Block | dict] = [HeaderBlock(text="Care desk")]
    if updated_at is not None:
        stamp = updated_at.astimezone(tz).strftime("%a %d %b %H:%M") if tz else ""
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Updated {stamp}")]))
    left_out = False
    for section in sections:
        if not section:
            continue
        if len(blocks) + 1 + len(section) > MAX_HOME_BLOCKS - 1:
            left_out = True
            continue
        blocks.append(DividerBlock())
        blocks.extend(section)
    if left_out:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=LEFT_OUT)]))
    return View(type="home", blocks=blocks).to_dict()


def queue_section(*, snapshot, at_risk: int) -> list[Block]:
    by_state = snapshot.by_state
    open_total = sum(n for state, n in by_state.items() if state not in ("closed", "ignored"))
    return [HeaderBlock(text="Queue"),
            _text(f"*{open_total}* open · *{by_state.get('new', 0)}* unclaimed · "
                  f"*{by_state.get('awaiting_approval', 0)}* awaiting approval · "
                  f"*{at_risk}* at risk · *{snapshot.overdue}* overdue")]


def _case_line(line, now: datetime, tz: ZoneInfo) -> str:
    deadline = ("no deadline" if line.sla_due_at is None
                else describe_deadline(deadline=line.sla_due_at, now=now, tz=tz))
    state = strings.STATE_LABELS[line.state].split(" ", 1)[-1]
    return f"• {case_link(line.slack_channel, line.slack_ts, line.id, line.customer_handle)}" \
           f" · {deadline} · {state}"


def my_cases_section(*, lines, total: int, now: datetime, tz: ZoneInfo) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=f"Your open cases ({total})")]
    if not lines:
        return blocks + [_text("Nothing assigned to you. Claim a case in the care channel.")]
    text = "\n".join(_case_line(line, now, tz) for line in lines[:CASES_SHOWN])
    if total > len(lines[:CASES_SHOWN]):
        text += f"\n…and {total - len(lines[:CASES_SHOWN])} more (`/care mine`)"
    return blocks + [_text(text)]


def waiting_section(*, lines, total: int, now: datetime, tz: ZoneInfo) -> list[Block]:
    if not lines:
        return []
    text = "\n".join(_case_line(line, now, tz) for line in lines[:CASES_SHOWN])
    return [HeaderBlock(text=f"At risk or overdue ({total})"), _text(text)]


def first_response_section(*, stats) -> list[Block]:
    if not stats.count:
        return [HeaderBlock(text="Today"), _text("No first responses yet today.")]
    return [HeaderBlock(text="Today"),
            _text(f"*{stats.count}* first responses · median *{_minutes(stats.median)}* · "
                  f"90th percentile {_minutes(stats.p90)} (office hours) · "
                  f"*{stats.within_target_percent:.0f}%* within target")]


def agents_load_section(*, per_agent: list[tuple[str, int, int]]) -> list[Block]:
    if not per_agent:
        return [HeaderBlock(text="Agents' load"), _text("No cases are claimed right now.")]
    text = "\n".join(f"• {strings.user(agent)}: {n} open"
                     + (f", {late} overdue" if late else "")
                     for agent, n, late in per_agent[:AGENTS_SHOWN])
    return [HeaderBlock(text="Agents' load"), _text(text)]
