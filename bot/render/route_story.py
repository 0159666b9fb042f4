"""The story a routed case carries to its new thread: the post, the drafts and the notes.

The history note (events and the link back) comes first; these messages follow it, in
order: the customer's post in full, every draft (text, author, state, who reviewed it),
then the notes of the old thread as the desk posted them. Sections hold at most 3,000
characters and a message at most 50 of them, so a long story takes several messages.

Example::

    for blocks, fallback in story_messages(case=case, story=story):
        queue_note(blocks=blocks, text=fallback)
"""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.domain.model import Case, Draft, DraftStatus
from bot.domain.routes import CaseStory
from bot.render.long_text import MARKER, SECTION_LIMIT, quoted_pieces
from bot.render.mrkdwn import bound, escape, quote, safe

BLOCKS_PER_MESSAGE = 50
FALLBACK = "The story so far, continued"
STATUS_WORDS = {DraftStatus.PENDING: "awaiting approval", DraftStatus.APPROVED: "approved",
                DraftStatus.CHANGES_REQUESTED: "changes requested",
                DraftStatus.SUPERSEDED: "superseded"}


def story_messages(*, case: Case, story: CaseStory) -> list[tuple[list[dict], str]]:
    """The thread messages (blocks, fallback text) carrying the post, drafts and notes."""
    sections = [f"*The post* by @{safe(case.customer.username, 64)} <{case.post_url}|on X>:"]
    first, rest = quoted_pieces(case.text)
    sections += [first.removesuffix("\n" + MARKER), *rest]
    if story.drafts:
        sections.append(f"*Drafts* ({len(story.drafts)}), oldest first:")
        sections += [draft_section(n, d) for n, d in enumerate(story.drafts, start=1)]
    if story.notes:
        sections.append(f"*Notes of the old thread* ({len(story.notes)}), in order:")
        sections += [bound(note, SECTION_LIMIT) for note in story.notes]
    blocks = [SectionBlock(text=MarkdownTextObject(text=s)).to_dict() for s in sections]
    return [(blocks[i:i + BLOCKS_PER_MESSAGE], FALLBACK)
            for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]


def draft_section(number: int, draft: Draft) -> str:
    """One draft: who wrote it, its state and reviewer, and its text quoted."""
    head = f"{number}. by <@{safe(draft.author_id, 32)}> · {STATUS_WORDS[draft.status]}"
    if draft.reviewer_id and draft.status is not DraftStatus.PENDING:
        head += f" by <@{safe(draft.reviewer_id, 32)}>"
    if draft.channel.value != "public":
        head += f" · {draft.channel.value}"
    lines = [head]
    if draft.review_note:
        lines.append(f"_Review note:_ {safe(draft.review_note, 500)}")
    body = draft.text + draft.signature
    if draft.dm_text:
        body += f"\n(DM) {draft.dm_text}"
    lines.append(quote(escape(body)))
    return bound("\n".join(lines), SECTION_LIMIT)
