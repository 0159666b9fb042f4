"""Tables of the desk's features around its cases: saved replies and their events, the
praise lane and its digests, triage labels learned from agents, scheduled report runs,
phone callbacks and rating questions. Part of :mod:`storage.models` (which imports this
module, so one metadata holds every table)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, CaseRow, UTCDateTime


class SavedReplyRow(Base):
    """A saved reply: from the replies file (``source`` file) or made in Slack (slack)."""

    __tablename__ = "saved_replies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(75), unique=True)
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(8), default="public")
    tags: Mapped[list] = mapped_column(JSON)
    faq: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(8))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on every change, so two leads editing at once cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SavedReplyEventRow(Base):
    """Append-only history of the saved replies: who changed what, when."""

    __tablename__ = "saved_reply_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("saved_replies.id"), index=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class PraiseItemRow(Base):
    """A post triaged as praise that asks nothing: listed in the hourly praise digest with
    Like and Thank, not a case unless an agent makes it one."""

    __tablename__ = "praise_items"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    author_id: Mapped[str] = mapped_column(String(32))
    author_handle: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    author_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(240))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The digest that took it in (its hour), and whether it was shown or only counted.
    digest_hour: Mapped[str | None] = mapped_column(String(16), index=True)
    shown_in_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    liked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    liked_by: Mapped[str | None] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))


class PraiseDigestRow(Base):
    """One praise digest per hour: inserting the row decides which instance posts it."""

    __tablename__ = "praise_digests"
    hour: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    shown: Mapped[int] = mapped_column(Integer, default=0)
    more: Mapped[int] = mapped_column(Integer, default=0)
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class TriageLabelRow(Base):
    """An agent's decision that contradicts triage, kept as a labelled example."""

    __tablename__ = "triage_labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(String(32), unique=True)
    text: Mapped[str] = mapped_column(Text)
    brand_handle: Mapped[str] = mapped_column(String(64))
    author_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    lang: Mapped[str | None] = mapped_column(String(16))
    triage_lane: Mapped[str] = mapped_column(String(16))
    triage_kind: Mapped[str | None] = mapped_column(String(16))
    triage_reason: Mapped[str] = mapped_column(String(240))
    label: Mapped[str] = mapped_column(String(16))
    correction: Mapped[str] = mapped_column(String(32))
    labelled_by: Mapped[str] = mapped_column(String(32))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReportRunRow(Base):
    """One row per scheduled report posted: inserting it is how one instance of several
    claims a period's report (insert-or-nothing on the primary key)."""

    __tablename__ = "report_runs"
    period_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CrisisPeriodRow(Base):
    """One crisis: when it began (detected or switched on by a lead) and when it ended
    (None while it lasts). Period reports shade these days."""

    __tablename__ = "crisis_periods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    how: Mapped[str] = mapped_column(String(16))  # detected | forced


# Period reports read cases by the day they were opened.
Index("ix_cases_created_at", CaseRow.created_at)


class PhoneCallbackRow(Base):
    """A case moved to the phone: asked (the customer was asked for a number), requested
    (their DM held one: the callback flag) and called (with the outcome)."""

    __tablename__ = "phone_callbacks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    asked_by: Mapped[str] = mapped_column(String(32))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    number: Mapped[str | None] = mapped_column(String(32))
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))
    called_by: Mapped[str | None] = mapped_column(String(32))
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_phone_callbacks_state", "state"),)


class CsatRequestRow(Base):
    """The one rating question of a resolved DM case: waiting for the DM budget, sending
    (leased), sent (``asked_at``) or failed; ``rating`` once the customer answered."""

    __tablename__ = "csat_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    recipient_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    x_event_id: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None] = mapped_column(Integer)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_csat_requests_status", "status"),
                      Index("ix_csat_requests_recipient_id", "recipient_id"))
