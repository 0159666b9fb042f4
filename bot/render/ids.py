"""Action and view ids, and the typed data carried in button values and modal metadata.

Example::

    >>> ActionId.CLAIM.value
    'care.claim'
    >>> CaseRef.decode(CaseRef(case_id=7).encode()).case_id
    7
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class ActionId(StrEnum):
    CLAIM = "care.claim"
    UNCLAIM = "care.unclaim"
    DRAFT = "care.draft"
    APPROVE = "care.approve"
    REQUEST_CHANGES = "care.request_changes"
    RETRY_SEND = "care.retry_send"
    CLOSE = "care.close"
    REOPEN = "care.reopen"
    MOVE_TO_DM = "care.move_to_dm"
    ESCALATE = "care.escalate"
    MORE = "care.more"            # overflow: mute/unmute author, hide/unhide reply
    MAKE_CASE = "care.make_case"  # from /care filtered
    QUARANTINE_RETRY = "care.quarantine_retry"  # from /care quarantine
    PRAISE_LIKE = "care.praise_like"  # from the praise digest and /care praise
    PRAISE_THANK = "care.praise_thank"
    PRAISE_MAKE_CASE = "care.praise_make_case"
    USE_REPLY = "care.use_reply"          # a suggested saved reply on the parent
    SAVED_REPLY = "care.saved_reply"      # the type-ahead select in the draft modal
    REPLY_ADD = "care.reply_add"          # Home tab: a lead adds a saved reply
    REPLY_EDIT = "care.reply_edit"        # Home tab: a lead edits one
    REPLY_RETIRE = "care.reply_retire"    # Home tab: a lead retires one
    REPLY_RESTORE = "care.reply_restore"  # Home tab: a lead restores a retired one
    REPLIES_PAGE = "care.replies_page"    # Home tab: the next or previous page
    MOVE_TO_PHONE = "care.move_to_phone"
    CALLED = "care.called"                # the outcome of a callback
    ROUTE_TO = "care.route_to"  # move a case to another route of the triage chart


class ViewId(StrEnum):
    DRAFT = "care.draft_modal"
    REQUEST_CHANGES = "care.request_changes_modal"
    MOVE_TO_DM = "care.move_to_dm_modal"
    ESCALATE = "care.escalate_modal"
    REPLY_EDIT = "care.reply_edit_modal"
    MOVE_TO_PHONE = "care.move_to_phone_modal"
    ROUTE_TO = "care.route_to_modal"


class BlockId(StrEnum):
    DRAFT_TEXT = "draft_text"
    DM_TEXT = "dm_text"
    CHANNEL = "channel"
    DEPARTMENT = "department"
    ESCALATION_NOTE = "escalation_note"
    CHANGES_REASON = "changes_reason"
    ACTIONS = "case_actions"
    SAVED_REPLY = "saved_reply"
    REPLY_TITLE = "reply_title"
    REPLY_TEXT = "reply_text"
    REPLY_CHANNEL = "reply_channel"
    REPLY_TAGS = "reply_tags"
    REPLY_FAQ = "reply_faq"
    ROUTE = "route"


class InputId(StrEnum):
    DRAFT_TEXT = "text"
    DM_TEXT = "dm_text"
    CHANNEL = "channel"
    DEPARTMENT = "department"
    ESCALATION_NOTE = "note"
    CHANGES_REASON = "reason"
    REPLY_FIELD = "value"
    ROUTE = "route"


class BadReference(ValueError):
    """A button value or modal metadata that this app did not write."""


@dataclass(frozen=True)
class CaseRef:
    """Which case a button or modal is about (and, for reviews, which draft)."""

    case_id: int
    draft_id: int | None = None

    def encode(self) -> str:
        data = {"c": self.case_id}
        if self.draft_id is not None:
            data["d"] = self.draft_id
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | None) -> CaseRef:
        try:
            data = json.loads(raw or "")
            case_id = data["c"]
            draft_id = data.get("d")
            if not _is_id(case_id) or not (draft_id is None or _is_id(draft_id)):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BadReference(f"not a case reference: {str(raw)[:60]!r}") from exc
        return cls(case_id=case_id, draft_id=draft_id)


def _is_id(value: object) -> bool:
    """A database id: a positive int (JSON ``true`` is not one)."""
    return type(value) is int and 0 < value < 2**63
