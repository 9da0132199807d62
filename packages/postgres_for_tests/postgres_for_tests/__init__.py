"""Reaching the PostgreSQL server for tests: the billing service's tests run every rule on it as well as
on SQLite, the assistant's run its stores on it.

On a laptop without them those tests skip with a message; with REQUIRE_SERVICES=1 (CI) an
unreachable server fails the test instead.
"""

from __future__ import annotations

import os
import uuid

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def unavailable(what: str, error: Exception):
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message + "; REQUIRE_SERVICES=1 makes this a failure", pytrace=False)
    pytest.skip(message + "; set REQUIRE_SERVICES=1 to fail instead")


def fresh_postgres_database(prefix: str) -> str:
    """Creates an empty database and returns its URL."""
    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        connection = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable("PostgreSQL", error)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    connection = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()
