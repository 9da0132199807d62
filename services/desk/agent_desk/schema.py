"""Creating the desk's tables (idempotent), plus the PostgreSQL trigram index the text search needs."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from .models import Base

log = logging.getLogger(__name__)


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    if engine.dialect.name == "postgresql":
        _trigram_index(engine)


def _trigram_index(engine: Engine) -> None:
    """'%text%' cannot use a B-tree; a pg_trgm GIN index can. Without the extension search still works,
    only slower, so a server that refuses it is logged, not fatal."""
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            connection.execute(
                text(
                    "CREATE INDEX IF NOT EXISTS ix_conversations_text_trgm "
                    "ON conversations USING gin (search_text gin_trgm_ops)"
                )
            )
    except DBAPIError as error:
        log.warning("no trigram index for the text search: %s", error.orig)
