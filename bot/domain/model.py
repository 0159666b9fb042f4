"""Plain value types that cross layers: what X gives us and what a case looks like.

Pure: built by the X adapter and by storage, read by services and render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.case import CaseState


@dataclass(frozen=True)
class Author:
    id: str
    username: str
    name: str
    followers: int = 0


@dataclass(frozen=True)
class InboundPost:
    """A post from X that mentions the brand; ``text`` is its whole text (a long post's
    ``note_tweet``), cleaned of lone surrogates and control characters."""

    id: str
    text: str
    author: Author
    created_at: datetime
    conversation_id: str | None = None
    in_reply_to_user_id: str | None = None
    kind: str = "post"  # post | dm
    is_retweet: bool = False
    lang: str | None = None  # X's language code ("en", "und"), when X gives one

    @property
    def url(self) -> str:
        if self.kind == "dm":
            return "https://x.com/messages"
        return post_url(self.author.username, self.id)


def post_url(username: str, post_id: str) -> str:
    """Link to a post; handle and id are reduced to the characters X allows in them."""
    handle = re.sub(r"[^A-Za-z0-9_]", "", username) or "i"
    return f"https://x.com/{handle}/status/{re.sub(r'[^0-9]', '', post_id)}"


class DraftStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    SUPERSEDED = "superseded"


class Channel(StrEnum):
    PUBLIC = "public"
    DM = "dm"
    BOTH = "both"  # a public reply (e.g. inviting to DM) and a direct message

    @property
    def public(self) -> bool:
        return self in (Channel.PUBLIC, Channel.BOTH)

    @property
    def dm(self) -> bool:
        return self in (Channel.DM, Channel.BOTH)


@dataclass(frozen=True)
class Draft:
    id: int
    case_id: int
    author_id: str
    text: str
    status: DraftStatus
    channel: Channel = Channel.PUBLIC
    reviewer_id: str | None = None
    review_note: str | None = None
    dm_text: str | None = None
    signature: str = ""

    @property
    def public_text(self) -> str | None:
        """What goes out publicly (with the signature), or None for a DM-only draft."""
        return self.text + self.signature if self.channel.public else None

    @property
    def direct_text(self) -> str | None:
        """What goes out as a DM, or None for a public-only draft."""
        if not self.channel.dm:
            return None
        return self.dm_text if self.channel is Channel.BOTH else self.text


@dataclass(frozen=True)
class CustomerHistory:
    earlier_cases: int = 0
    last_case_at: datetime | None = None
    last_agent_id: str | None = None


class OutboundStatus(StrEnum):
    PENDING = "pending"      # approved, waiting for its (next) attempt
    SENDING = "sending"      # a worker holds the lease and is talking to X
    UNKNOWN = "unknown"      # the request may have reached X: reconcile before any retry
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class Case:
    """A snapshot of one case as stored; render and services read it, never mutate it."""

    id: int
    state: CaseState
    source_post_id: str
    customer: Author
    text: str
    post_created_at: datetime
    assignee_id: str | None
    close_reason: str | None
    slack_channel: str
    slack_ts: str | None
    version: int
    created_at: datetime
    sla_due_at: datetime | None = None
    latest_draft: Draft | None = None
    last_error: str | None = None
    sent_post_ids: tuple[str, ...] = field(default=())
    origin: str = "mention"
    public_reply_allowed: bool = True
    moved_to_dm: bool = False
    escalated_to: str | None = None
    history: CustomerHistory = field(default_factory=CustomerHistory)
    latest_customer_post_id: str | None = None
    kind: str | None = None
    priority: str = "normal"
    triage_reason: str | None = None
    topic_key: str | None = None
    digest_count: int = 0
    replies_to_brand: bool = False
    hidden_on_x: bool = False
    author_muted: bool = False
    route: str | None = None

    @property
    def reply_to_post_id(self) -> str:
        """A public reply answers the customer's latest public post in the conversation."""
        return self.latest_customer_post_id or self.source_post_id

    @property
    def default_channel(self) -> Channel:
        return Channel.DM if self.moved_to_dm or not self.public_reply_allowed \
            else Channel.PUBLIC

    @property
    def post_url(self) -> str:
        return post_url(self.customer.username, self.source_post_id)
