"""Modals: drafting a reply and asking for changes. ``private_metadata`` holds only ids.

Example::

    client.views_open(trigger_id=trigger_id, view=draft_modal(case=case, initial_text=""))
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.model import Case
from bot.domain.reply_text import MAX_DRAFT_CHARS
from bot.render.ids import BlockId, CaseRef, InputId, ViewId
from bot.render.mrkdwn import quote, safe


def draft_modal(*, case: Case, initial_text: str = "") -> dict:
    view = View(
        type="modal",
        callback_id=ViewId.DRAFT.value,
        title=PlainTextObject(text="Draft reply"),
        submit=PlainTextObject(text="Submit for approval"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=CaseRef(case_id=case.id).encode(),
        blocks=[
            SectionBlock(text=MarkdownTextObject(
                text=f"*@{safe(case.customer.username, 40)}* wrote:\n"
                     f"{quote(safe(case.text, 1500))}")),
            InputBlock(
                block_id=BlockId.DRAFT_TEXT.value,
                label=PlainTextObject(text="Your PUBLIC reply on X"),
                element=PlainTextInputElement(
                    action_id=InputId.DRAFT_TEXT.value, multiline=True,
                    initial_value=initial_text[:MAX_DRAFT_CHARS] or None,
                    max_length=MAX_DRAFT_CHARS,
                    placeholder=PlainTextObject(text="Hi! Sorry about that…")),
                hint=PlainTextObject(text="280 characters as X counts them: links 23, "
                                          "emoji and CJK 2. A lead approves before it is sent."),
            ),
            ContextBlock(elements=[MarkdownTextObject(
                text=":globe_with_meridians: This is posted *publicly* as a reply to the "
                     "customer's post.")]),
        ],
    )
    return view.to_dict()


def request_changes_modal(*, case_id: int, draft_id: int) -> dict:
    view = View(
        type="modal",
        callback_id=ViewId.REQUEST_CHANGES.value,
        title=PlainTextObject(text="Request changes"),
        submit=PlainTextObject(text="Send back"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=CaseRef(case_id=case_id, draft_id=draft_id).encode(),
        blocks=[InputBlock(
            block_id=BlockId.CHANGES_REASON.value,
            label=PlainTextObject(text="What should change?"),
            element=PlainTextInputElement(action_id=InputId.CHANGES_REASON.value,
                                          multiline=True, max_length=1000),
        )],
    )
    return view.to_dict()
