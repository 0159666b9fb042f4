"""What Slack refuses: Block Kit and modal limits, and the error bodies the fake answers with.

Used by ``sandbox.fake_slack_store``; the limits are the ones Slack documents and enforces.

Example::

    assert blocks_problem([{"type": "section"}] * 51, limit=MAX_MESSAGE_BLOCKS)
    assert error("channel_not_found") == {"ok": False, "error": "channel_not_found"}
"""

from __future__ import annotations

from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_CHARS = 40000
MAX_TITLE_CHARS = 24

Body = dict[str, Any]

def error(code: str, *messages: str) -> Body:
    body: Body = {"ok": False, "error": code}
    if messages:
        body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
    return body


def blocks_problem(blocks: Any, *, limit: int) -> str | None:
    """Return why ``blocks`` breaks a Block Kit limit Slack enforces, or None if it is fine."""
    if not isinstance(blocks, list):
        return "blocks must be an array"
    if len(blocks) > limit:
        return f"no more than {limit} items allowed [json-pointer:/blocks]"
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not block.get("type"):
            return f"missing required field: type [json-pointer:/blocks/{i}]"
        if len(str(block.get("block_id", ""))) > 255:
            return f"block_id too long [json-pointer:/blocks/{i}/block_id]"
        text = block.get("text")
        if block["type"] == "section" and isinstance(text, dict):
            if len(str(text.get("text", ""))) > 3000:
                return f"must be less than 3001 characters [json-pointer:/blocks/{i}/text]"
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            if not isinstance(el, dict):
                continue
            if len(str(el.get("action_id", ""))) > 255:
                return f"action_id too long [json-pointer:/blocks/{i}]"
            if el.get("type") == "button" and len(str(el.get("value", ""))) > 2000:
                return f"button value too long [json-pointer:/blocks/{i}]"
    return None


def _plain_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else len(str(obj or ""))


def view_problem(view: Any) -> str | None:
    """Return why Slack would refuse ``view`` for views.open/update/push, or None."""
    if not isinstance(view, dict) or not view.get("type"):
        return "missing required field: type"
    if view["type"] == "modal":
        if "title" not in view:
            return "missing required field: title"
        for key in ("title", "submit", "close"):
            if key in view and _plain_len(view[key]) > MAX_TITLE_CHARS:
                limit = MAX_TITLE_CHARS + 1
                return f"must be less than {limit} characters [json-pointer:/view/{key}]"
    if len(str(view.get("private_metadata", ""))) > 3000:
        return "private_metadata must be less than 3001 characters"
    return blocks_problem(view.get("blocks", []), limit=MAX_VIEW_BLOCKS)
