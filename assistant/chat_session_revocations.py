"""Chat sessions ended by signing out. The website writes here and the Rasa website channel reads
here, so a signed-out session token (an old cookie) cannot continue its conversation.

One small table keyed by the conversation id (CHAT_SESSION_DATABASE_URL: SQLite under var/ by default,
the shared PostgreSQL in cluster mode); a check is one primary-key look-up. Rows are kept only until
the session token would have expired anyway.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .channels.local_database import open_database

DEFAULT_URL = "sqlite:///var/chat_sessions.db"
metadata = MetaData()
revoked = Table(
    "revoked_chat_sessions",
    metadata,
    Column("conversation_id", String(80), primary_key=True),
    Column("expires_at", DateTime, nullable=False, index=True),
)


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


class ChatSessionRevocations:
    def __init__(self, url: str | None = None):
        self.url = url or os.environ.get("CHAT_SESSION_DATABASE_URL", DEFAULT_URL)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        # Opened on first use, not at import or construction (the Rasa server builds channels early).
        if self._engine is None:
            self._engine = open_database(self.url, metadata)
        return self._engine

    def revoke(self, conversation_id: str, expires_at: dt.datetime) -> None:
        now = _naive_utc(dt.datetime.now(dt.timezone.utc))
        with self.engine.begin() as connection:
            connection.execute(delete(revoked).where(revoked.c.expires_at < now))
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(revoked).values(conversation_id=conversation_id, expires_at=_naive_utc(expires_at))
                )
        except IntegrityError:  # signed out twice: already revoked
            pass

    def is_revoked(self, conversation_id: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(revoked.c.conversation_id).where(revoked.c.conversation_id == conversation_id)
                ).first()
                is not None
            )
