"""Posts that could not be read: the channel notice, the /care quarantine answer (each
entry with a **Retry** button) and what a retry tells the clicking user."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.actions import QuarantineRef
from bot.render.ids import ActionId
from bot.render.mrkdwn import quote, safe

LIMIT = 10
RETRIED = "That post went through: it is in the care channel (or the filtered log) now."
GONE = "That post is not in quarantine any more."
NOT_KEPT = "This desk keeps no quarantine (intake runs without one)."


def announcement(count: int) -> str:
    """The one channel message after a poll that set posts aside."""
    if count == 1:
        return ":warning: 1 post could not be read; `/care quarantine` shows it."
    return f":warning: {count} posts could not be read; `/care quarantine` shows them."


def failed_again(error: str) -> str:
    return f"That post still could not be read ({safe(error, 300)}); it stays in quarantine."


def quarantine_list(items, *, total: int, tz) -> tuple[list[dict], str]:
    """``items``: QuarantinedPost entries, newest first."""
    if not items:
        text = "No post is in quarantine: every post from X could be read."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()], text
    blocks: list = [SectionBlock(text=MarkdownTextObject(
        text=f"*Posts that could not be read* (newest {len(items)} of {total}). "
             "Retry takes one in again:"))]
    for item in items:
        when = item.quarantined_at.astimezone(tz).strftime("%a %H:%M")
        name = f"post {safe(item.post_id, 32)}" if item.post_id else "an object without an id"
        blocks.append(SectionBlock(
            text=MarkdownTextObject(text=f"*{name}* ({safe(item.origin, 16)}, {when})\n"
                                         f"_{safe(item.error, 300)}_\n"
                                         f"{quote(safe(_shown_text(item.raw), 600))}"),
            accessory=ButtonElement(text=PlainTextObject(text="Retry"),
                                    action_id=ActionId.QUARANTINE_RETRY.value,
                                    value=QuarantineRef(item_id=item.id).encode())))
    if total > len(items):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"…and {total - len(items)} older ones.")]))
    return [b.to_dict() for b in blocks], f"{total} posts could not be read"


def _shown_text(raw: dict | None) -> str:
    """The post's text as far as it can be found in what X sent."""
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, dict):
        return "(no text)"
    note = data.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) else None
    text = text if isinstance(text, str) else data.get("text")
    if not isinstance(text, str):
        return "(no text)"
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
