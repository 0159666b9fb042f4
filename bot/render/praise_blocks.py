"""The praise lane in Slack: the hourly digest, the ``/care praise`` answer (each post with
**Like**, **Thank** and **Make it a case**), what a click tells the user, and the
``/care triage`` figures of the week."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.actions import PostRef
from bot.render.ids import ActionId
from bot.render.mrkdwn import quote, safe

DIGEST_SHOWN = 15
"""Posts shown in one digest: two blocks each, well under Slack's 50 per message."""
LIST_LIMIT = 15

LIKED = ":heart: Liked on X."
ALREADY_LIKED = "That post is liked already."
GONE = "That post is not in the praise lane any more."
NOT_RUNNING = "The praise lane is not running."
ALREADY_CASE = "That post is a case already."
SEARCH_THANKS = ("This post only talks about the brand (a search hit): X allows no public "
                 "reply to it, so thank the author by DM (*Move to DM* on the case) "
                 "or with a Like.")


def like_failed(problem: str) -> str:
    return f"X did not take the like ({safe(problem, 300)}). Try again later."


def like_rate_limited(minutes: int | None) -> str:
    when = f"in about {minutes} min" if minutes else "later"
    return f"X's like limit is reached for now: try again {when}."


def praise_case_opened(case_id: int) -> str:
    return f"Case #{case_id} opened in the care channel."


def thank_case_note(*, by: str) -> str:
    return f":sparkles: <@{by}> is thanking this customer for their praise."


def made_case_note(*, by: str, reason: str) -> str:
    return (f":inbox_tray: <@{by}> made this a case from the praise lane "
            f"(it was triaged as: {safe(reason, 200)}).")


def _item_blocks(item) -> list:
    post = item.post
    ref = PostRef(post_id=post.id).encode()
    liked = " :heart:" if item.liked_at else ""
    followers = f"{post.author.followers:,} followers"
    section = SectionBlock(text=MarkdownTextObject(
        text=f"*{safe(post.author.name, 80)}* @{safe(post.author.username, 40)} "
             f"({followers}, <{post.url}|post>){liked}\n{quote(safe(post.text, 600))}"))
    buttons = [ButtonElement(text=PlainTextObject(text="Like"),
                             action_id=ActionId.PRAISE_LIKE.value, value=ref),
               ButtonElement(text=PlainTextObject(text="Thank"),
                             action_id=ActionId.PRAISE_THANK.value, value=ref, style="primary"),
               ButtonElement(text=PlainTextObject(text="Make it a case"),
                             action_id=ActionId.PRAISE_MAKE_CASE.value, value=ref)]
    return [section, ActionsBlock(block_id=f"praise_{post.id}"[:255], elements=buttons)]


def digest(items, *, more: int) -> tuple[list[dict], str]:
    """The hourly digest: ``items`` most-followed first; ``more`` were counted, not shown."""
    total = len(items) + more
    noun = "post" if total == 1 else "posts"
    blocks: list = [SectionBlock(text=MarkdownTextObject(
        text=f":sparkles: *Praise this hour*: {total} {noun} asking nothing; "
             "like them at once or thank the authors (a thank-you goes through approval)."))]
    for item in items:
        blocks.extend(_item_blocks(item))
    if more:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"+{more} more: `/care praise` lists them.")]))
    return [b.to_dict() for b in blocks], f"Praise this hour: {total} {noun}"


def praise_list(items, *, total: int) -> tuple[list[dict], str]:
    """The ``/care praise`` answer: praise no digest has shown yet."""
    if not items:
        text = "No praise is waiting: every post of the praise lane was shown in a digest."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()], text
    blocks: list = [SectionBlock(text=MarkdownTextObject(
        text=f"*Praise not shown in a digest* (most-followed {len(items)} of {total}):"))]
    for item in items:
        blocks.extend(_item_blocks(item))
    if total > len(items):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"…and {total - len(items)} more.")]))
    return [b.to_dict() for b in blocks], f"{total} praise posts not shown in a digest"


def triage_week(*, lanes: dict[str, int], pulled_back: int, not_a_request: int, spam: int,
                praise_made_case: int, reasons: dict[str, list[tuple[str, int]]]) -> str:
    """``/care triage``: the last 7 days of triage and of agents correcting it."""
    lines = ["*Triage, last 7 days*",
             f"• Posts triaged: {lanes.get('case', 0)} cases, {lanes.get('praise', 0)} praise, "
             f"{lanes.get('filtered', 0)} filtered",
             f"• Filtered posts agents made cases: {pulled_back}",
             f"• Cases closed as not a request: {not_a_request} (as spam: {spam})",
             f"• Praise agents made cases: {praise_made_case}"]
    titles = {"filtered_made_case": "made cases from the filtered log",
              "closed_not_a_request": "closed as not a request",
              "closed_spam": "closed as spam",
              "praise_made_case": "made cases from the praise lane"}
    for key, title in titles.items():
        common = reasons.get(key)
        if common:
            shown = "; ".join(f"{safe(reason, 120)} ({count})" for reason, count in common)
            lines.append(f"Most common triage reasons, {title}: {shown}")
    lines.append("`app.py triage --export-labels FILE` writes these corrections as labelled "
                 "examples.")
    return "\n".join(lines)
