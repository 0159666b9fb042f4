"""Saved replies: a team's ready answers, with placeholders filled in for one case.

A saved reply's text may hold ``{customer}`` (the customer's @handle), ``{name}`` (their
display name), ``{agent}`` (the agent's first name) and ``{faq_url}`` (the team's FAQ
page). The agent's signature is added when the draft is checked, not by the template.

Example::

    >>> reply = SavedReply(title="Delayed bag", channel=Channel.PUBLIC,
    ...                    text="Sorry your bag is late, {name}. Please DM us the tag number.")
    >>> values = PlaceholderValues(customer_handle="jane", customer_name="Jane", agent_name="Alex")
    >>> resolve_reply(reply, values=values).text
    'Sorry your bag is late, Jane. Please DM us the tag number.'
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.reply_text import MAX_WEIGHTED_LENGTH, check_dm_text, check_reply_text

PLACEHOLDERS = ("customer", "name", "agent", "faq_url")
MAX_TITLE_CHARS = 75  # what Slack shows of a select option's text
MAX_TAG_CHARS = 40
MAX_TAGS = 30
MAX_TEXT_CHARS = 3000


class Channel(StrEnum):
    """Where a saved reply may be sent: a public reply, a direct message, or either."""

    PUBLIC = "public"
    DM = "dm"
    BOTH = "both"

    def allows(self, kind: str) -> bool:
        """True when this reply may go out as ``kind`` ("public" or "dm")."""
        return self is Channel.BOTH or self.value == kind


@dataclass(frozen=True)
class SavedReply:
    title: str
    text: str
    channel: Channel = Channel.PUBLIC
    tags: tuple[str, ...] = ()
    faq: str | None = None


class Source(StrEnum):
    """Where a stored reply comes from: the replies file, or a lead in Slack."""

    FILE = "file"
    SLACK = "slack"


@dataclass(frozen=True)
class StoredReply:
    """A saved reply as the desk keeps it, with where it came from and how it is used."""

    id: int
    reply: SavedReply
    source: Source
    retired: bool
    use_count: int
    last_used_at: datetime | None
    version: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class ReplyChange:
    """One entry in the saved replies' history."""

    reply_id: int
    actor: str
    action: str
    detail: str | None
    at: datetime


@dataclass(frozen=True)
class PlaceholderValues:
    """What the placeholders stand for on one case."""

    customer_handle: str
    customer_name: str
    agent_name: str
    faq_url: str = ""

    def as_mapping(self) -> dict[str, str]:
        handle = self.customer_handle.strip().lstrip("@")
        first_name = (self.agent_name.strip().split() or [""])[0]
        return {"customer": f"@{handle}" if handle else "", "name": self.customer_name.strip(),
                "agent": first_name, "faq_url": self.faq_url.strip()}


class PlaceholderError(ValueError):
    """A template that cannot be filled in: an unknown or malformed placeholder, or a value
    the team has not set."""


@dataclass(frozen=True)
class ResolvedReply:
    """A saved reply filled in for one case, with its length as X counts it."""

    text: str
    weighted_length: int
    problem: str | None = None

    @property
    def fits(self) -> bool:
        return self.problem is None


def placeholders_in(text: str) -> tuple[str, ...]:
    """The placeholder names ``text`` uses, in order; raises PlaceholderError on an unknown
    name or a malformed brace (write ``{{`` and ``}}`` for literal braces)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PlaceholderError(f"malformed placeholder: {exc} (write {{{{ and }}}} for "
                               f"literal braces)") from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (
                f":{spec}" if spec else "") + "}"
            raise PlaceholderError(f"unknown placeholder {shown}; the placeholders are "
                                   + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        names.append(name)
    return tuple(names)


def fill_placeholders(text: str, *, values: PlaceholderValues) -> str:
    """``text`` with every placeholder replaced; raises PlaceholderError when one is unknown
    or stands for a value that is empty (such as ``{faq_url}`` with no FAQ page set)."""
    mapping = values.as_mapping()
    for name in placeholders_in(text):
        if not mapping[name]:
            raise PlaceholderError(_EMPTY_VALUE[name])
    return text.format_map(mapping)


_EMPTY_VALUE = {
    "customer": "The reply uses {customer} but the case has no customer handle.",
    "name": "The reply uses {name} but the customer has no display name.",
    "agent": "The reply uses {agent} but the agent's name is unknown.",
    "faq_url": "The reply uses {faq_url} but no FAQ page is set (CARE_FAQ_URL).",
}


def resolve_reply(reply: SavedReply, *, values: PlaceholderValues, kind: str = "public",
                  signature: str = "") -> ResolvedReply:
    """Fill in ``reply`` for a ``kind`` ("public" or "dm") message and check its length the
    way a draft is checked (the signature counts for a public reply)."""
    text = fill_placeholders(reply.text, values=values)
    if kind == "dm":
        check = check_dm_text(text)
    else:
        check = check_reply_text(text, signature=signature)
    return ResolvedReply(text=text, weighted_length=check.weighted_length, problem=check.problem)


def template_problem(reply: SavedReply) -> str | None:
    """Why ``reply`` cannot be saved as it stands, or None: unknown placeholders, sizes, or
    a public reply already over X's limit before any placeholder is filled in."""
    if not reply.title.strip():
        return "the title is empty"
    if len(reply.title) > MAX_TITLE_CHARS:
        return f"the title is {len(reply.title)} characters; at most {MAX_TITLE_CHARS}"
    if not reply.text.strip():
        return "the text is empty"
    if len(reply.text) > MAX_TEXT_CHARS:
        return f"the text is {len(reply.text):,} characters; at most {MAX_TEXT_CHARS:,}"
    try:
        placeholders_in(reply.text)
    except PlaceholderError as exc:
        return str(exc)
    if len(reply.tags) > MAX_TAGS:
        return f"{len(reply.tags)} tags; at most {MAX_TAGS}"
    for tag in reply.tags:
        if not tag.strip() or len(tag) > MAX_TAG_CHARS:
            return f"tag {tag[:MAX_TAG_CHARS]!r} must be 1 to {MAX_TAG_CHARS} characters"
    if reply.faq is not None and not reply.faq.startswith(("https://", "http://")):
        return f"faq {reply.faq[:80]!r} is not an http(s) link"
    if reply.channel is Channel.PUBLIC:
        bare = reply.text.format_map(dict.fromkeys(PLACEHOLDERS, ""))
        length = check_reply_text(bare).weighted_length
        if length > MAX_WEIGHTED_LENGTH:
            return (f"the public text is {length} characters as X counts them before any "
                    f"placeholder is filled in; the limit is {MAX_WEIGHTED_LENGTH}")
    return None
