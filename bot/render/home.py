"""The app's Home tab: one view composed of sections, each a list of blocks built by its
own builder (the saved replies, and whatever else the desk shows there).

Slack allows 100 blocks in a Home view: sections are taken in order while they fit, and a
line says when one was left out.

Example::

    view = home_view(sections=[replies_section(replies=replies, page=0, can_edit=True)])
    client.views_publish(user_id=user_id, view=view)
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ContextBlock, DividerBlock, MarkdownTextObject
from slack_sdk.models.views import View

MAX_BLOCKS = 100
LEFT_OUT = "Some of the Home tab did not fit; open it again after the lists shrink."


def home_view(*, sections: Sequence[list[dict]]) -> dict:
    """One Home view of ``sections`` in order, separated by dividers, at most 100 blocks."""
    blocks: list[dict] = []
    left_out = False
    for section in sections:
        divider = [DividerBlock().to_dict()] if blocks else []
        if len(blocks) + len(divider) + len(section) > MAX_BLOCKS - 1:
            left_out = True
            continue
        blocks.extend(divider + list(section))
    if left_out:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=LEFT_OUT)]).to_dict())
    return View(type="home", blocks=blocks).to_dict()
