"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from agent_desk.models import Base
from agent_desk.schema import migrate


def _the_desks(item, name, kind, reflected, compare_to) -> bool:
    """Rasa's events table shares the tests' database; the trigram index is PostgreSQL's, not a model's."""
    table = item if kind == "table" else getattr(item, "table", None)
    return getattr(table, "name", name) != "events" and name != "ix_conversations_text_trgm"


def test_the_migrated_schema_matches_the_models(app, database_url):
    migrate(database_url)  # a second run changes nothing
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _the_desks})
        differences = compare_metadata(context, Base.metadata)
        indexes = {index["name"] for index in inspect(connection).get_indexes("conversations")}
    engine.dispose()
    assert differences == []
    if engine.dialect.name == "postgresql":
        assert "ix_conversations_text_trgm" in indexes  # '%text%' search on 100,000 conversations
