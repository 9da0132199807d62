"""The desk's first schema: agents, sessions, failed sign-ins, the search index (conversations and their
intents, the cursor over Rasa's events), handoff claims, suggestions and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "conversations",
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(), nullable=False),
        sa.Column("member_number", sa.String(length=40), nullable=True),
        sa.Column("handed_off", sa.Boolean(), nullable=False),
        sa.Column("member_turns", sa.Integer(), nullable=False),
        sa.Column("fallback_count", sa.Integer(), nullable=False),
        sa.Column("low_confidence_count", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index("ix_conversations_channel_started", ["channel", "started_at"], unique=False)
        batch_op.create_index("ix_conversations_fallbacks", ["fallback_count"], unique=False)
        batch_op.create_index(
            "ix_conversations_handed_off_started", ["handed_off", "started_at"], unique=False
        )
        batch_op.create_index("ix_conversations_low_confidence", ["low_confidence_count"], unique=False)
        batch_op.create_index(
            "ix_conversations_member_started", ["member_number", "started_at"], unique=False
        )
        batch_op.create_index("ix_conversations_started", ["started_at"], unique=False)

    op.create_table(
        "failed_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("failed_sign_ins", schema=None) as batch_op:
        batch_op.create_index("ix_failed_sign_ins_email_at", ["email", "at"], unique=False)

    op.create_table(
        "index_cursor",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_agent_at", ["agent_id", "at"], unique=False)
        batch_op.create_index("ix_audit_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_conversation_at", ["conversation_id", "at"], unique=False)

    op.create_table(
        "conversation_intents",
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("intent", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["sender_id"], ["conversations.sender_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sender_id", "intent"),
    )
    with op.batch_alter_table("conversation_intents", schema=None) as batch_op:
        batch_op.create_index("ix_conversation_intents_intent", ["intent", "sender_id"], unique=False)

    op.create_table(
        "desk_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("desk_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_sessions_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_sessions_last_seen_at"), ["last_seen_at"], unique=False)

    op.create_table(
        "handoffs",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("member_number", sa.String(length=40), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by"],
            ["agents.id"],
        ),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoffs_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_handoffs_status"), ["status"], unique=False)

    op.create_table(
        "turn_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("turn_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turn_notes_conversation_id"), ["conversation_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _trigram_index()


def _trigram_index() -> None:
    """'%text%' cannot use a B-tree; a pg_trgm GIN index can. A server that refuses the extension still
    searches, only slower, so that is not fatal (a savepoint keeps the migration's transaction usable)."""
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_conversations_text_trgm ON conversations USING gin (search_text gin_trgm_ops)"
        )
        savepoint.commit()
    except sa.exc.DBAPIError:
        savepoint.rollback()


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_conversations_text_trgm")
    with op.batch_alter_table("turn_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_turn_notes_conversation_id"))

    op.drop_table("turn_notes")
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoffs_status"))
        batch_op.drop_index(batch_op.f("ix_handoffs_conversation_id"))

    op.drop_table("handoffs")
    with op.batch_alter_table("desk_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_sessions_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_desk_sessions_expires_at"))

    op.drop_table("desk_sessions")
    with op.batch_alter_table("conversation_intents", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_intents_intent")

    op.drop_table("conversation_intents")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_conversation_at")
        batch_op.drop_index("ix_audit_at")
        batch_op.drop_index("ix_audit_agent_at")

    op.drop_table("audit_log")
    op.drop_table("index_cursor")
    with op.batch_alter_table("failed_sign_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_failed_sign_ins_email_at")

    op.drop_table("failed_sign_ins")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_started")
        batch_op.drop_index("ix_conversations_member_started")
        batch_op.drop_index("ix_conversations_low_confidence")
        batch_op.drop_index("ix_conversations_handed_off_started")
        batch_op.drop_index("ix_conversations_fallbacks")
        batch_op.drop_index("ix_conversations_channel_started")

    op.drop_table("conversations")
    op.drop_table("agents")
