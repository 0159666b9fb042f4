"""Modals: drafting a reply, moving to DM, escalating, asking for changes.

``private_metadata`` holds only ids; every draft says plainly whether it is PUBLIC or
a DM.

Example::

    client.views_open(trigger_id=trigger_id, view=draft_modal(case=case, initial_text=""))
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.model import Case, Channel
from bot.domain.reply_text import MAX_DM_CHARS, MAX_DRAFT_CHARS
from bot.render.ids import BlockId, CaseRef, InputId, ViewId
from bot.render.mrkdwn import quote, safe
from bot.render.replies_blocks import saved_reply_select

_CHANNEL_OPTIONS = {
    Channel.PUBLIC: Option(value=Channel.PUBLIC.value, label="PUBLIC reply on X"),
    Channel.DM: Option(value=Channel.DM.value, label="Direct message (DM)"),
}


def _customer_wrote(case: Case) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(
        text=f"*@{safe(case.customer.username, 40)}* wrote:\n{quote(safe(case.text, 1500))}"))


def _modal(*, callback: ViewId, title: str, submit: str, ref: CaseRef, blocks: list) -> dict:
    return View(type="modal", callback_id=callback.value, title=PlainTextObject(text=title),
                submit=PlainTextObject(text=submit), close=PlainTextObject(text="Cancel"),
                private_metadata=ref.encode(), blocks=blocks).to_dict()


def draft_modal(*, case: Case, initial_text: str = "", initial_channel: Channel | None = None,
                signature: str = "", saved_replies: bool = False,
                text_block_id: str = BlockId.DRAFT_TEXT.value,
                note: ContextBlock | None = None) -> dict:
    """``saved_replies`` adds the type-ahead select; a reply chosen there comes back with a
    new ``text_block_id`` (so Slack shows the new text) and a ``note`` about it."""
    channel = initial_channel if initial_channel in _CHANNEL_OPTIONS else case.default_channel
    blocks: list = [_customer_wrote(case)]
    if case.public_reply_allowed:
        blocks.append(InputBlock(
            block_id=BlockId.CHANNEL.value, label=PlainTextObject(text="Send as"),
            element=RadioButtonsElement(action_id=InputId.CHANNEL.value,
                                        options=list(_CHANNEL_OPTIONS.values()),
                                        initial_option=_CHANNEL_OPTIONS[channel])))
        hint = ("A PUBLIC reply has 280 characters as X counts them (links 23, emoji and CJK "
                "2)" + (f", your signature \"{signature.strip()}\" included" if signature else "")
                + ". A lead approves before anything is sent.")
    else:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=":lock: *DM only.* This post did not mention the brand, so X allows no "
                 "public reply.")]))
        hint = "Only the customer sees a DM. A lead approves before it is sent."
    blocks.append(InputBlock(
        block_id=text_block_id, label=PlainTextObject(text="Your reply"),
        element=PlainTextInputElement(action_id=InputId.DRAFT_TEXT.value, multiline=True,
                                      initial_value=initial_text[:MAX_DRAFT_CHARS] or None,
                                      max_length=MAX_DRAFT_CHARS,
                                      placeholder=PlainTextObject(text="Hi! Sorry about that…")),
        hint=PlainTextObject(text=hint)))
    if note is not None:
        blocks.append(note)
    if saved_replies:  # after the text box, so the blocks before it keep their places
        blocks.append(saved_reply_select())
    return _modal(callback=ViewId.DRAFT, title="Draft reply", submit="Submit for approval",
                  ref=CaseRef(case_id=case.id), blocks=blocks)


def move_to_dm_modal(*, case: Case, brand_id: str, signature: str = "") -> dict:
    link = f"https://x.com/messages/compose?recipient_id={brand_id}"
    blocks: list = [_customer_wrote(case)]
    if case.public_reply_allowed:
        invite = (f"Sorry to hear that. Please send us a DM with your booking details so we can "
                  f"look into it: {link}")
        blocks.append(InputBlock(
            block_id=BlockId.DRAFT_TEXT.value, optional=True,
            label=PlainTextObject(text="PUBLIC reply inviting them to DM"),
            element=PlainTextInputElement(action_id=InputId.DRAFT_TEXT.value, multiline=True,
                                          initial_value=invite, max_length=MAX_DRAFT_CHARS),
            hint=PlainTextObject(text="Posted publicly under their post, with X's DM link. "
                                      + (f"Your signature \"{signature.strip()}\" is added. "
                                         if signature else "") + "Leave empty to skip.")))
    blocks.append(InputBlock(
        block_id=BlockId.DM_TEXT.value, optional=case.public_reply_allowed,
        label=PlainTextObject(text="Direct message (DM) to the customer"),
        element=PlainTextInputElement(action_id=InputId.DM_TEXT.value, multiline=True,
                                      max_length=MAX_DM_CHARS),
        hint=PlainTextObject(text="Sent privately through X. Leave empty to only invite them.")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Both go through a lead's approval. The case then continues in DM.")]))
    return _modal(callback=ViewId.MOVE_TO_DM, title="Move to DM", submit="Submit for approval",
                  ref=CaseRef(case_id=case.id), blocks=blocks)


def escalate_modal(*, case: Case, departments: list[str]) -> dict:
    return _modal(callback=ViewId.ESCALATE, title="Escalate", submit="Escalate",
                  ref=CaseRef(case_id=case.id), blocks=[
        _customer_wrote(case),
        InputBlock(block_id=BlockId.DEPARTMENT.value, label=PlainTextObject(text="To"),
                   element=StaticSelectElement(
                       action_id=InputId.DEPARTMENT.value,
                       placeholder=PlainTextObject(text="Choose a team"),
                       options=[Option(value=d, label=d) for d in departments[:100]])),
        InputBlock(block_id=BlockId.ESCALATION_NOTE.value,
                   label=PlainTextObject(text="What do they need to know?"),
                   element=PlainTextInputElement(action_id=InputId.ESCALATION_NOTE.value,
                                                 multiline=True, max_length=2000)),
        ContextBlock(elements=[MarkdownTextObject(
            text="The team gets a summary with a link to this case. The response clock keeps "
                 "running.")]),
    ])


def request_changes_modal(*, case_id: int, draft_id: int) -> dict:
    return _modal(callback=ViewId.REQUEST_CHANGES, title="Request changes", submit="Send back",
                  ref=CaseRef(case_id=case_id, draft_id=draft_id), blocks=[InputBlock(
                      block_id=BlockId.CHANGES_REASON.value,
                      label=PlainTextObject(text="What should change?"),
                      element=PlainTextInputElement(action_id=InputId.CHANGES_REASON.value,
                                                    multiline=True, max_length=1000))])


def move_to_phone_modal(*, case: Case, ask_text: str, hint: str) -> dict:
    """The DM asking for a number and a good time to call (or giving the support line)."""
    return _modal(callback=ViewId.MOVE_TO_PHONE, title="Move to phone",
                  submit="Submit for approval", ref=CaseRef(case_id=case.id), blocks=[
        _customer_wrote(case),
        InputBlock(block_id=BlockId.DM_TEXT.value,
                   label=PlainTextObject(text="Direct message (DM) to the customer"),
                   element=PlainTextInputElement(action_id=InputId.DM_TEXT.value,
                                                 multiline=True, max_length=MAX_DM_CHARS,
                                                 initial_value=ask_text[:MAX_DM_CHARS]),
                   hint=PlainTextObject(text=hint[:300])),
        ContextBlock(elements=[MarkdownTextObject(
            text="When their DM holds a phone number the case shows *Callback requested* and "
                 "you get the number privately.")]),
    ])
