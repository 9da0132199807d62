"""The desk's own tables. Text in them is masked (billing_contract.redaction.mask) before it is written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(12), nullable=False)  # agent | supervisor
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class DeskSession(Base):
    """A signed-in browser. Only the token's hash is stored, so a copy of this table signs no one in."""

    __tablename__ = "desk_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
    # When the browser last asked for anything (the queue's stream counts): who is at the desk now.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class FailedSignIn(Base):
    """Counted per email to slow password guessing (sign_in_limits.py)."""

    __tablename__ = "failed_sign_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (Index("ix_failed_sign_ins_email_at", "email", "at"),)


class Conversation(Base):
    """One row per conversation, rebuilt from the tracker's events by the indexer, for search."""

    __tablename__ = "conversations"

    sender_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    last_event_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    member_number: Mapped[str | None] = mapped_column(String(40))
    handed_off: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    member_turns: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fallback_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    low_confidence_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_event_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Every turn's masked text, lower-cased, for the text filter (a trigram index on PostgreSQL).
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (
        # Newest first is the default order; each filter narrows within it.
        Index("ix_conversations_started", "started_at"),
        Index("ix_conversations_channel_started", "channel", "started_at"),
        Index("ix_conversations_member_started", "member_number", "started_at"),
        Index("ix_conversations_handed_off_started", "handed_off", "started_at"),
        Index("ix_conversations_fallbacks", "fallback_count"),
        Index("ix_conversations_low_confidence", "low_confidence_count"),
    )


class ConversationIntent(Base):
    __tablename__ = "conversation_intents"

    sender_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.sender_id", ondelete="CASCADE"), primary_key=True
    )
    intent: Mapped[str] = mapped_column(String(120), primary_key=True)

    __table_args__ = (Index("ix_conversation_intents_intent", "intent", "sender_id"),)


class IndexCursor(Base):
    """How far the indexer has read Rasa's events table (its auto-increment id)."""

    __tablename__ = "index_cursor"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Handoff(Base):
    """An open handoff case of the billing service, mirrored here so the desk can hold who claimed it."""

    __tablename__ = "handoffs"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    conversation_id: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    member_number: Mapped[str | None] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, index=True)  # open | claimed | resolved
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The agent's first reply pauses the assistant in that conversation (rasa_api.py); set until resumed.
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class TurnNote(Base):
    """'Suggest a better answer' on one turn (a tracker event id), for the people who improve training."""

    __tablename__ = "turn_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    event_id: Mapped[int] = mapped_column(Integer, nullable=False)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    conversation_id: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (
        Index("ix_audit_at", "at"),
        Index("ix_audit_agent_at", "agent_id", "at"),
        Index("ix_audit_conversation_at", "conversation_id", "at"),
    )
