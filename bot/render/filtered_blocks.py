"""The /care filtered answer: recent posts that did not become cases, each with a
**Make it a case** button."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.actions import PostRef
from bot.render.ids import ActionId
from bot.render.mrkdwn import quote, safe

LIMIT = 10


def filtered_list(items, *, total: int) -> tuple[list[dict], str]:
    if not items:
        text = "Nothing has been filtered out. Every post became a case."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()], text
    blocks: list = [SectionBlock(text=MarkdownTextObject(
        text=f"*Filtered posts* (newest {len(items)} of {total}); each stays answerable:"))]
    for item in items:
        post = item.post
        where = f"<{post.url}|post>" if post.kind == "post" else "DM"
        blocks.append(SectionBlock(
            text=MarkdownTextObject(text=f"*@{safe(post.author.username, 40)}* ({where}) "
                                         f"_{safe(item.reason, 200)}_\n"
                                         f"{quote(safe(post.text, 600))}"),
            accessory=ButtonElement(text=PlainTextObject(text="Make it a case"),
                                    action_id=ActionId.MAKE_CASE.value,
                                    value=PostRef(post_id=post.id).encode())))
    if total > len(items):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"…and {total - len(items)} older ones.")]))
    return [b.to_dict() for b in blocks], f"{total} filtered posts"
