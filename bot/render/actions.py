"""What each button or menu option carries: one typed value per kind, and one decoder.

Renderers build values with ``encode()``; the listener boundary turns an incoming
``(action_id, value)`` into a typed payload with :func:`decode_action`, so no listener
parses a string by hand. The wire shapes are the ones already posted in Slack channels
(``{"c":7,"d":3}``, ``7:resolved``, ``mute:7``, a post id), so older messages stay usable.

Example::

    >>> CloseChoice(case_id=7, reason=CloseReason.SPAM).encode()
    '7:spam'
    >>> decode_action(ActionId.MORE.value, "hide:7")
    (<ActionId.MORE: 'care.more'>, ModerationChoice(case_id=7, verb=<ModerationVerb.HIDE: 'hide'>))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.case import CloseReason
from bot.domain.phone import CallOutcome
from bot.render.ids import ActionId, BadReference, CaseRef

MAX_VALUE_CHARS = 2000
"""Slack's limit on a button value; anything longer was not written by this app."""

_CASE_ID = re.compile(r"[1-9][0-9]{0,17}", re.ASCII)
_POST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)


def _case_id(raw: str) -> int:
    if not _CASE_ID.fullmatch(raw):
        raise BadReference(f"not a case id: {raw[:30]!r}")
    return int(raw)


class ModerationVerb(StrEnum):
    """The choices of a case's More menu."""

    MUTE = "mute"
    UNMUTE = "unmute"
    HIDE = "hide"
    UNHIDE = "unhide"


@dataclass(frozen=True)
class CloseChoice:
    """An option of the "Close as…" menu: which case, and why it is closed."""

    case_id: int
    reason: CloseReason

    def encode(self) -> str:
        return f"{self.case_id}:{self.reason.value}"

    @classmethod
    def decode(cls, raw: str) -> CloseChoice:
        case_part, _, reason_part = raw.partition(":")
        try:
            reason = CloseReason(reason_part)
        except ValueError as exc:
            raise BadReference(f"not a close reason: {reason_part[:30]!r}") from exc
        return cls(case_id=_case_id(case_part), reason=reason)


@dataclass(frozen=True)
class ModerationChoice:
    """An option of a case's More menu: mute or unmute the author, hide or unhide the reply."""

    case_id: int
    verb: ModerationVerb

    def encode(self) -> str:
        return f"{self.verb.value}:{self.case_id}"

    @classmethod
    def decode(cls, raw: str) -> ModerationChoice:
        verb_part, _, case_part = raw.partition(":")
        try:
            verb = ModerationVerb(verb_part)
        except ValueError as exc:
            raise BadReference(f"not a moderation choice: {verb_part[:30]!r}") from exc
        return cls(case_id=_case_id(case_part), verb=verb)


@dataclass(frozen=True)
class PostRef:
    """A filtered post or DM (its X id) that an agent can turn into a case."""

    post_id: str

    def encode(self) -> str:
        return self.post_id

    @classmethod
    def decode(cls, raw: str) -> PostRef:
        if not _POST_ID.fullmatch(raw):
            raise BadReference(f"not a post id: {raw[:30]!r}")
        return cls(post_id=raw)


@dataclass(frozen=True)
class QuarantineRef:
    """A post set aside by intake (its row in the quarantine), for Retry."""

    item_id: int

    def encode(self) -> str:
        return str(self.item_id)

    @classmethod
    def decode(cls, raw: str) -> QuarantineRef:
        return cls(item_id=_case_id(raw))


@dataclass(frozen=True)
class ReplyChoice:
    """A saved reply offered for one case: a Use button or a type-ahead option."""

    case_id: int
    reply_id: int

    def encode(self) -> str:
        return f"{self.case_id}:{self.reply_id}"

    @classmethod
    def decode(cls, raw: str) -> ReplyChoice:
        case_part, _, reply_part = raw.partition(":")
        return cls(case_id=_case_id(case_part), reply_id=_case_id(reply_part))


@dataclass(frozen=True)
class ReplyRef:
    """A saved reply on the Home tab (None: a new one)."""

    reply_id: int | None

    def encode(self) -> str:
        return "new" if self.reply_id is None else str(self.reply_id)

    @classmethod
    def decode(cls, raw: str) -> ReplyRef:
        return cls(reply_id=None if raw == "new" else _case_id(raw))


@dataclass(frozen=True)
class PageRef:
    """A page of the Home tab's saved replies (0 is the first)."""

    page: int

    def encode(self) -> str:
        return str(self.page)

    @classmethod
    def decode(cls, raw: str) -> PageRef:
        if not re.fullmatch(r"[0-9]{1,4}", raw, re.ASCII):
            raise BadReference(f"not a page: {raw[:30]!r}")
        return cls(page=int(raw))


@dataclass(frozen=True)
class CallChoice:
    """An option of the Called menu: which case, and how the call went."""

    case_id: int
    outcome: CallOutcome

    def encode(self) -> str:
        return f"{self.case_id}:{self.outcome.value}"

    @classmethod
    def decode(cls, raw: str) -> CallChoice:
        case_part, _, outcome_part = raw.partition(":")
        try:
            outcome = CallOutcome(outcome_part)
        except ValueError as exc:
            raise BadReference(f"not a call outcome: {outcome_part[:30]!r}") from exc
        return cls(case_id=_case_id(case_part), outcome=outcome)


ActionPayload = (CallChoice | CaseRef | CloseChoice | ModerationChoice | PostRef | QuarantineRef
                 | ReplyChoice | ReplyRef | PageRef)

PAYLOAD_OF: dict[ActionId, type[ActionPayload]] = {
    ActionId.CLAIM: CaseRef,
    ActionId.UNCLAIM: CaseRef,
    ActionId.DRAFT: CaseRef,
    ActionId.APPROVE: CaseRef,
    ActionId.REQUEST_CHANGES: CaseRef,
    ActionId.RETRY_SEND: CaseRef,
    ActionId.CLOSE: CloseChoice,
    ActionId.REOPEN: CaseRef,
    ActionId.MOVE_TO_DM: CaseRef,
    ActionId.ESCALATE: CaseRef,
    ActionId.MORE: ModerationChoice,
    ActionId.MAKE_CASE: PostRef,
    ActionId.QUARANTINE_RETRY: QuarantineRef,
    ActionId.PRAISE_LIKE: PostRef,
    ActionId.PRAISE_THANK: PostRef,
    ActionId.PRAISE_MAKE_CASE: PostRef,
    ActionId.USE_REPLY: ReplyChoice,
    ActionId.SAVED_REPLY: ReplyChoice,
    ActionId.REPLY_ADD: ReplyRef,
    ActionId.REPLY_EDIT: ReplyRef,
    ActionId.REPLY_RETIRE: ReplyRef,
    ActionId.REPLY_RESTORE: ReplyRef,
    ActionId.REPLIES_PAGE: PageRef,
    ActionId.MOVE_TO_PHONE: CaseRef,
    ActionId.CALLED: CallChoice,
    ActionId.ROUTE_TO: CaseRef,
}
"""Which payload each action carries: the one table the encoder and decoder share."""


def decode_action(action_id: str | None, raw: str | None) -> tuple[ActionId, ActionPayload]:
    """The action and its typed payload; :class:`BadReference` for anything this app
    did not write (an unknown action id, a malformed or oversized value)."""
    try:
        action = ActionId(action_id)
    except ValueError as exc:
        raise BadReference(f"not an action of this app: {str(action_id)[:40]!r}") from exc
    if not isinstance(raw, str) or not raw or len(raw) > MAX_VALUE_CHARS:
        raise BadReference(f"no usable value for {action.value}")
    return action, PAYLOAD_OF[action].decode(raw)


def case_id_of(payload: ActionPayload) -> int | None:
    """The case a payload is about (None for a filtered post)."""
    return getattr(payload, "case_id", None)
