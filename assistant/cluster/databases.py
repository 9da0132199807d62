"""The cluster's PostgreSQL databases, created when missing (each service creates its own tables)."""

from __future__ import annotations

import psycopg2
from psycopg2 import sql

from .settings import STORES, ClusterSettings


def ensure_databases(settings: ClusterSettings) -> list[str]:
    """Creates the missing ones; returns the names it created."""
    created = []
    connection = psycopg2.connect(f"{settings.postgres_url}/postgres")
    connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            for store in STORES:
                name = f"{settings.database_prefix}_{store}"
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is not None:
                    continue
                try:
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    created.append(name)
                except psycopg2.errors.DuplicateDatabase:  # another start made it meanwhile
                    pass
    finally:
        connection.close()
    return created
