"""The saved replies on the app's Home tab, 10 per page, and the modal leads edit them in.

A section of the Home tab (``bot.render.home`` composes the sections); builders take the
replies as data and never read the database.

Example::

    blocks = replies_section(replies=desk.all(), page=0, can_edit=True)
    view = home_view(sections=[blocks])
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.saved_replies import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    Channel,
    SavedReply,
    Source,
    StoredReply,
)
from bot.render.actions import PageRef, ReplyRef
from bot.render.ids import ActionId, BadReference, BlockId, InputId, ViewId
from bot.render.mrkdwn import bound, safe

PER_PAGE = 10
CHANNEL_LABELS = {Channel.PUBLIC: "public reply", Channel.DM: "DM", Channel.BOTH: "public or DM"}


def replies_section(*, replies: Sequence[StoredReply], page: int, can_edit: bool,
                    notice: str | None = None) -> list[dict]:
    """Blocks for one page of saved replies (at most 4 blocks per reply plus 5)."""
    pages = max(1, -(-len(replies) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = replies[page * PER_PAGE:(page + 1) * PER_PAGE]
    blocks: list = [HeaderBlock(text=PlainTextObject(text="Saved replies"))]
    intro = (f"{len(replies)} saved replies · page {page + 1} of {pages}. "
             + ("You can add, edit, retire and restore them." if can_edit
                else "Only team leads can change them."))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=intro)]))
    if notice:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f":warning: {safe(notice, 300)}")))
    if can_edit:
        blocks.append(ActionsBlock(block_id="replies_add", elements=[ButtonElement(
            text=PlainTextObject(text="Add a saved reply"), style="primary",
            action_id=ActionId.REPLY_ADD.value, value=ReplyRef(reply_id=None).encode())]))
    for stored in shown:
        blocks.extend(_reply_blocks(stored, can_edit=can_edit))
    nav = []
    if page > 0:
        nav.append(ButtonElement(text=PlainTextObject(text="Previous"),
                                 action_id=ActionId.REPLIES_PAGE.value,
                                 value=PageRef(page=page - 1).encode()))
    if page < pages - 1:
        nav.append(ButtonElement(text=PlainTextObject(text="Next"),
                                 action_id=ActionId.REPLIES_PAGE.value,
                                 value=PageRef(page=page + 1).encode()))
    if nav:
        blocks.append(ActionsBlock(block_id="replies_pages", elements=nav))
    return [b.to_dict() for b in blocks]


def _reply_blocks(stored: StoredReply, *, can_edit: bool) -> list:
    reply = stored.reply
    marks = [CHANNEL_LABELS[reply.channel], f"{stored.use_count} uses"]
    if stored.source is Source.FILE:
        marks.append("from file")
    if stored.retired:
        marks.append("retired")
    text = (f"*{safe(reply.title, 80)}*{' ~(retired)~' if stored.retired else ''}\n"
            f"{safe(reply.text, 600)}")
    blocks: list = [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=text)),
                    ContextBlock(elements=[MarkdownTextObject(text=" · ".join(marks))])]
    if can_edit and not stored.retired:
        ref = ReplyRef(reply_id=stored.id).encode()
        blocks.append(ActionsBlock(block_id=f"reply_{stored.id}", elements=[
            ButtonElement(text=PlainTextObject(text="Edit"), action_id=ActionId.REPLY_EDIT.value,
                          value=ref),
            ButtonElement(text=PlainTextObject(text="Retire"), style="danger",
                          action_id=ActionId.REPLY_RETIRE.value, value=ref)]))
    elif can_edit:
        blocks.append(ActionsBlock(block_id=f"reply_{stored.id}", elements=[
            ButtonElement(text=PlainTextObject(text="Restore"),
                          action_id=ActionId.REPLY_RESTORE.value,
                          value=ReplyRef(reply_id=stored.id).encode())]))
    return blocks


def reply_edit_modal(stored: StoredReply | None) -> dict:
    """Add (``stored`` None) or edit a saved reply; the metadata holds its id and version."""
    reply = stored.reply if stored else None
    channel = reply.channel if reply else Channel.PUBLIC
    options = {c: Option(value=c.value, label=CHANNEL_LABELS[c]) for c in Channel}
    meta = json.dumps({"r": stored.id if stored else None,
                       "v": stored.version if stored else None})

    def field(block: BlockId, label: str, value: str | None, *, multiline: bool = False,
              optional: bool = False, max_length: int = 300, hint: str | None = None):
        return InputBlock(block_id=block.value, label=PlainTextObject(text=label),
                          optional=optional,
                          hint=PlainTextObject(text=hint) if hint else None,
                          element=PlainTextInputElement(
                              action_id=InputId.REPLY_FIELD.value, multiline=multiline,
                              initial_value=value or None, max_length=max_length))

    blocks = [
        field(BlockId.REPLY_TITLE, "Title", reply.title if reply else None,
              max_length=MAX_TITLE_CHARS),
        field(BlockId.REPLY_TEXT, "Text", reply.text if reply else None, multiline=True,
              max_length=MAX_TEXT_CHARS,
              hint="Placeholders: {customer} their @handle, {name} their name, {agent} your "
                   "first name, {faq_url} the FAQ page."),
        InputBlock(block_id=BlockId.REPLY_CHANNEL.value, label=PlainTextObject(text="Sent as"),
                   element=StaticSelectElement(action_id=InputId.REPLY_FIELD.value,
                                               options=list(options.values()),
                                               initial_option=options[channel])),
        field(BlockId.REPLY_TAGS, "Tags (comma-separated)",
              ", ".join(reply.tags) if reply else None, optional=True, max_length=1500,
              hint="Words and short phrases customers write (a phrase counts only "
                   "when all its words are in the post); they help the desk suggest this "
                   "reply."),
        field(BlockId.REPLY_FAQ, "FAQ link", reply.faq if reply else None, optional=True),
    ]
    if stored and stored.source is Source.FILE:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text="This reply is from the replies file: the next reload puts the file's "
                 "version back.")]))
    return View(type="modal", callback_id=ViewId.REPLY_EDIT.value,
                title=PlainTextObject(text="Edit saved reply" if stored else "New saved reply"),
                submit=PlainTextObject(text="Save"), close=PlainTextObject(text="Cancel"),
                private_metadata=meta, blocks=blocks).to_dict()


def read_edit_metadata(raw: str | None) -> tuple[int | None, int | None]:
    """(reply id or None for a new one, version) from the modal's metadata."""
    try:
        data = json.loads(raw or "")
        reply_id, version = data["r"], data["v"]
        if not all(v is None or (type(v) is int and v > 0) for v in (reply_id, version)):
            raise TypeError
    except (ValueError, KeyError, TypeError) as exc:
        raise BadReference(f"not a saved reply reference: {str(raw)[:60]!r}") from exc
    return reply_id, version


def read_edit_values(values: dict) -> SavedReply | str:
    """The reply a lead typed, or which field is missing (the block id)."""
    def value(block: BlockId) -> str:
        entry = (values.get(block.value) or {}).get(InputId.REPLY_FIELD.value) or {}
        return str(entry.get("value") or (entry.get("selected_option") or {}).get("value")
                   or "").strip()

    try:
        channel = Channel(value(BlockId.REPLY_CHANNEL) or "public")
    except ValueError:
        return BlockId.REPLY_CHANNEL.value
    tags = tuple(t.strip() for t in value(BlockId.REPLY_TAGS).split(",") if t.strip())
    return SavedReply(title=bound(value(BlockId.REPLY_TITLE), 200),
                      text=value(BlockId.REPLY_TEXT), channel=channel, tags=tags,
                      faq=value(BlockId.REPLY_FAQ) or None)
