"""The **Route to…** modal: the routes of the triage chart to move a case to."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
)

from bot.domain.model import Case
from bot.render.actions import CaseRef
from bot.render.ids import BlockId, InputId, ViewId
from bot.render.modals import _customer_wrote, _modal


def route_to_modal(*, case: Case, choices: list[tuple[str, str]]) -> dict:
    """``choices``: (value, label) of each place the case may go."""
    return _modal(callback=ViewId.ROUTE_TO, title="Route to…", submit="Move", ref=CaseRef(
        case_id=case.id), blocks=[
        _customer_wrote(case),
        InputBlock(block_id=BlockId.ROUTE.value, label=PlainTextObject(text="To"),
                   element=StaticSelectElement(
                       action_id=InputId.ROUTE.value,
                       placeholder=PlainTextObject(text="Choose a route"),
                       options=[Option(value=v, label=label[:75]) for v, label in choices[:100]])),
        ContextBlock(elements=[MarkdownTextObject(
            text="A new parent opens in that route's channel with the story so far; this one "
                 "links there. The deadline follows the new route's target and hours.")]),
    ])
