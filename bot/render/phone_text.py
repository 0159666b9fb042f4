"""What the desk says about moving a case to the phone, and the Called menu.

The full number appears only in :func:`number_for_assignee` (an ephemeral message);
everything posted in the channel shows it masked.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bot.domain.phone import CallOutcome
from bot.render import strings
from bot.render.actions import CallChoice
from bot.render.ids import ActionId
from bot.render.mrkdwn import safe

ASK_FOR_NUMBER = ("Hi, this is easier to sort out on the phone. Please DM us a number and a "
                  "good time to call, and we will ring you back.")
OUTCOME_LABELS = {CallOutcome.REACHED: "Reached", CallOutcome.NO_ANSWER: "No answer",
                  CallOutcome.WRONG_NUMBER: "Wrong number"}
NO_CALLBACK = "No callback was requested on this case."


def support_line_hint(phone_number: str | None) -> str:
    base = "Sent privately through X after a lead's approval; the case continues in DM."
    if phone_number:
        return (f"{base} To give our support line instead, write it in: "
                f"{phone_number}.")
    return base


def requested(*, case_id: int, masked: str) -> tuple[list[dict], str]:
    """The thread note when the customer's DM holds a number, with the Called menu."""
    text = (f":telephone_receiver: *Callback requested* · {safe(masked, 40)} · the "
            "assignee has the number. Record the call below.")
    menu = StaticSelectElement(
        action_id=ActionId.CALLED.value, placeholder=PlainTextObject(text="Called…"),
        options=[Option(value=CallChoice(case_id=case_id, outcome=o).encode(), label=label)
                 for o, label in OUTCOME_LABELS.items()])
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)),
              ActionsBlock(block_id="phone_called", elements=[menu])]
    return [b.to_dict() for b in blocks], f"Callback requested · {masked}"


def number_for_assignee(*, e164: str, customer: str) -> str:
    return (f":telephone_receiver: @{safe(customer, 40)} asked for a callback: *{e164}* "
            "(only you see this number).")


def called(*, user_id: str, outcome: CallOutcome) -> str:
    return f":telephone_receiver: {strings.user(user_id)} called: *{OUTCOME_LABELS[outcome]}*."


def flag(*, state: str, masked: str | None, outcome: str | None) -> str | None:
    """The line on the parent message, or None."""
    if state == "asked":
        return ":telephone_receiver: Asked for a phone number"
    if state == "requested":
        return f":telephone_receiver: *Callback requested* · {safe(masked or '', 40)}"
    if state == "called" and outcome in CallOutcome.__members__.values():
        return f":telephone_receiver: Called · {OUTCOME_LABELS[CallOutcome(outcome)]}"
    return None
