"""Alembic environment: the URL comes from the caller (agent_desk.schema.migrate) or DESK_DATABASE_URL."""

from alembic import context
from sqlalchemy import create_engine

from agent_desk.models import Base
from agent_desk.settings import DeskSettings

config = context.config
url = config.attributes.get("database_url") or DeskSettings.from_environment().database_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
