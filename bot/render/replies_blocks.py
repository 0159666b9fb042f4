"""Saved replies on a case and in the draft modal: the suggestions under the post, the
type-ahead select and its options, and the note on a filled-in reply.

Example::

    blocks = suggestion_blocks(case_id=7, suggestions=[(3, "Delayed bag")])
    # a context line "Saved replies that fit" and a Use button per reply
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextObject,
)

from bot.domain.reply_text import MAX_WEIGHTED_LENGTH
from bot.domain.saved_replies import StoredReply
from bot.render.actions import ReplyChoice
from bot.render.ids import ActionId, BlockId
from bot.render.mrkdwn import bound, safe

SUGGESTIONS = "reply_suggestions"
SUGGESTION_ACTIONS = "reply_suggestion_actions"
NOTHING_FITS = ":bulb: No saved reply fits this post well; write your own."
OPTION_CHARS = 75


def suggestion_blocks(*, case_id: int, suggestions: Sequence[tuple[int, str]]) -> list:
    """A context line naming the saved replies that fit, and a Use button for each;
    a line saying none fits when ``suggestions`` is empty."""
    if not suggestions:
        return [ContextBlock(block_id=SUGGESTIONS, elements=[MarkdownTextObject(
            text=NOTHING_FITS)])]
    titles = " · ".join(f"*{safe(title, 80)}*" for _, title in suggestions[:3])
    # One actions block per reply: an action id is unique within its block.
    return [ContextBlock(block_id=SUGGESTIONS, elements=[MarkdownTextObject(
                text=f":bulb: Saved replies that fit: {titles}")]),
            *(ActionsBlock(block_id=f"{SUGGESTION_ACTIONS}_{rank}", elements=[ButtonElement(
                text=PlainTextObject(text=bound(f"Use: {title}", 75), emoji=True),
                action_id=ActionId.USE_REPLY.value,
                value=ReplyChoice(case_id=case_id, reply_id=reply_id).encode())])
              for rank, (reply_id, title) in enumerate(suggestions[:3], start=1))]


def saved_reply_select() -> InputBlock:
    """The draft modal's type-ahead: choosing a reply dispatches at once (no submit)."""
    return InputBlock(
        block_id=BlockId.SAVED_REPLY.value, optional=True, dispatch_action=True,
        label=PlainTextObject(text="Saved reply"),
        element=ExternalDataSelectElement(
            action_id=ActionId.SAVED_REPLY.value, min_query_length=0,
            placeholder=PlainTextObject(text="Type to find a saved reply")),
        hint=PlainTextObject(text="Choosing one replaces the text above; edit it from there."))


def reply_options(*, case_id: int, replies: Sequence[StoredReply]) -> list[dict]:
    """The options answering the type-ahead (at most 100, as Slack allows), built as plain
    data: this answer is on Slack's 3-second clock."""
    return [{"text": {"type": "plain_text", "text": bound(s.reply.title, OPTION_CHARS)},
             "value": ReplyChoice(case_id=case_id, reply_id=s.id).encode()}
            for s in replies[:100]]


def filled_note(*, title: str, weighted_length: int | None, problem: str | None,
                public: bool) -> ContextBlock:
    """Under the text box: which saved reply filled it, its length as X counts it, and
    what is wrong with it (such as placeholders pushing it over 280)."""
    text = f":memo: From saved reply *{safe(title, 80)}*"
    if weighted_length is not None and public:
        text += f" · {weighted_length}/{MAX_WEIGHTED_LENGTH} characters as X counts them"
    if problem:
        text += f"\n:warning: {safe(problem, 500)}"
    return ContextBlock(block_id="saved_reply_note", elements=[MarkdownTextObject(text=text)])
