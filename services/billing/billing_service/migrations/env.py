"""Alembic environment: the URL comes from the caller (billing_service.migrate) or BILLING_DATABASE_URL."""

from alembic import context
from sqlalchemy import create_engine

from billing_service.models import Base
from billing_service.settings import BillingSettings

config = context.config
url = config.attributes.get("database_url") or BillingSettings().database_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
