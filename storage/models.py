"""SQLAlchemy 2 models. Migrations in storage/migrations must match these (a test checks)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_post_id: Mapped[str] = mapped_column(String(32), unique=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_handle: Mapped[str] = mapped_column(String(64))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[str] = mapped_column(String(32), index=True)
    assignee_id: Mapped[str | None] = mapped_column(String(32), index=True)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    slack_channel: Mapped[str] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    # How the case began: a mention, a DM, or a search hit (which X lets us answer by DM only).
    origin: Mapped[str] = mapped_column(String(16), default="mention")
    public_reply_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    moved_to_dm: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_to: Mapped[str | None] = mapped_column(String(64))
    # The first post answers one of the brand's own posts: X lets the brand hide it.
    replies_to_brand: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_on_x: Mapped[bool] = mapped_column(Boolean, default=False)
    # Triage of the first post: what it is, how urgent, and why (shown on the parent).
    kind: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    sentiment: Mapped[float | None] = mapped_column(Float)
    triage_reason: Mapped[str | None] = mapped_column(String(240))
    # In crisis mode, alike posts share one digest case per topic.
    topic_key: Mapped[str | None] = mapped_column(String(200), index=True)
    digest_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on every change.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The response clock: started at (business minutes count from here), target, deadline.
    # A new clock (follow-up, reopen) bumps sla_cycle, so its nudges are new rows.
    sla_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sla_minutes: Mapped[int | None] = mapped_column(Integer)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    sla_cycle: Mapped[int] = mapped_column(Integer, default=0)
    # When the next nudge level falls, and which; None when nothing is pending.
    next_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    next_nudge_level: Mapped[str | None] = mapped_column(String(16))
    first_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    first_response_by: Mapped[str | None] = mapped_column(String(32))
    # The route of the triage chart that holds the case (None: the care channel's).
    route: Mapped[str | None] = mapped_column(String(40), index=True)
    # The customer's satisfaction rating (1-5) given by DM after the case was resolved.
    csat: Mapped[int | None] = mapped_column(Integer)


class PostRow(Base):
    """A post or DM that belongs to a case, inbound (customer) or outbound (brand)."""

    __tablename__ = "posts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8), default="post")  # post | dm
    from_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[str] = mapped_column(String(32))
    author_handle: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DraftRow(Base):
    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    # public | dm | both; with "both", ``text`` is the public reply and ``dm_text`` the DM.
    channel: Mapped[str] = mapped_column(String(16), default="public")
    dm_text: Mapped[str | None] = mapped_column(Text)
    # The author's signature as it was when the draft was checked (public replies only).
    signature: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(32))
    reviewer_id: Mapped[str | None] = mapped_column(String(32))
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboundRow(Base):
    """The X outbox: one row per approved draft and channel; exactly one message per row.

    ``channel`` public posts a reply to ``in_reply_to_post_id``; dm sends a direct
    message to ``recipient_id`` and can never go out publicly.
    """

    __tablename__ = "outbound"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    channel: Mapped[str] = mapped_column(String(8), default="public")
    text: Mapped[str] = mapped_column(Text)
    in_reply_to_post_id: Mapped[str | None] = mapped_column(String(32))
    recipient_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    x_post_id: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("draft_id", "channel", name="uq_outbound_draft_channel"),)


class SlackOutboxRow(Base):
    """Slack work in order per case, retried until Slack takes it.

    kind ``parent`` posts the case's parent message, ``update`` re-renders it from the
    case as it is when delivered, ``note`` posts ``text``/``blocks`` in the thread.
    """

    __tablename__ = "slack_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_slack_outbox_status_case", "status", "case_id", "id"),)


class ChannelPostRow(Base):
    """Top-level messages that belong to no single case (summaries, alerts), retried."""

    __tablename__ = "channel_posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventRow(Base):
    """Append-only history of a case: who did what, when, from which state to which."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CursorRow(Base):
    """Named positions, such as the mentions since_id."""

    __tablename__ = "cursors"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeaseRow(Base):
    """Who does a singleton job (e.g. polling X) until when."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NudgeRow(Base):
    """One row per case, clock and level: inserting it decides who posts the nudge."""

    __tablename__ = "nudges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    sla_cycle: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("case_id", "sla_cycle", "level",
                                       name="uq_nudges_case_cycle_level"),)


class AgentProfileRow(Base):
    """What an agent set about themselves: the initials that sign their public replies."""

    __tablename__ = "agent_profiles"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    initials: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FilteredPostRow(Base):
    """A post that did not become a case, with the reason: nothing is dropped unseen."""

    __tablename__ = "filtered_posts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    author_id: Mapped[str] = mapped_column(String(32))
    author_handle: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    author_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(240))
    filtered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))


class MutedAuthorRow(Base):
    """Authors whose posts never become cases (reversible)."""

    __tablename__ = "muted_authors"
    author_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    handle: Mapped[str] = mapped_column(String(64))
    muted_by: Mapped[str] = mapped_column(String(32))
    muted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    muted_on_x: Mapped[bool] = mapped_column(Boolean, default=False)


class UsageRow(Base):
    """Posts read from X per month and source, for the spend estimate."""

    __tablename__ = "x_usage"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    reads: Mapped[int] = mapped_column(BigInteger, default=0)


class StateRow(Base):
    """Small named JSON states shared by all instances (crisis detector, alarms)."""

    __tablename__ = "shared_state"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SlackEventRow(Base):
    """Slack event ids already handled (Slack retries events it thinks were missed)."""

    __tablename__ = "slack_events"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InstanceRow(Base):
    """The process that currently acts under an instance id, and its last sign of life."""

    __tablename__ = "instances"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    boot_token: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuarantinedPostRow(Base):
    """A post from X that could not be read, triaged or stored: set aside so intake goes
    on, kept as X sent it (ASCII JSON) for a Retry."""

    __tablename__ = "quarantined_posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    post_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    origin: Mapped[str] = mapped_column(String(16))
    raw_json: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(String(500))
    quarantined_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# The features' tables live beside these; importing them here registers them on Base.
from storage.feature_tables import (  # noqa: E402,F401 - registers the tables
    CrisisPeriodRow,
    CsatRequestRow,
    PhoneCallbackRow,
    PraiseDigestRow,
    PraiseItemRow,
    ReportRunRow,
    SavedReplyEventRow,
    SavedReplyRow,
    TriageLabelRow,
)
