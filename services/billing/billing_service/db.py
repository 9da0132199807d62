"""Engine and sessions. Nothing connects at import time."""

from __future__ import annotations

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry


def make_engine(url: str, *, pool_size: int = 8, max_overflow: int = 8) -> Engine:
    """Pooled connections enough for the requests admitted at once (admission.py): none waits for one.

    PostgreSQL: a pooled connection is checked before use (pre-ping), so after a database restart a
    request gets a fresh connection instead of a dead one. A database error's message never carries the
    statement's values (payment-link tokens, account numbers): it is logged."""
    if url.startswith("sqlite"):
        in_memory = make_url(url).database in (None, "", ":memory:")  # one connection, no pool to size
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            future=True,
            hide_parameters=True,
            **({} if in_memory else {"pool_size": pool_size, "max_overflow": max_overflow}),
        )
        _serialise_sqlite_writes(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        future=True,
        hide_parameters=True,
    )


def _serialise_sqlite_writes(engine: Engine) -> None:
    """Take SQLite's write lock when a transaction begins (BEGIN IMMEDIATE).

    pysqlite's deferred transactions let two requests read the same balance before either
    writes; an immediate transaction is SQLite's equivalent of PostgreSQL's row lock.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Reads (sessions made with read_only=True) must not queue behind writers.
        read_only = connection.get_execution_options().get("billing_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions that write (the default) take SQLite's write lock when they begin; read-only ones do not."""
    bind = engine.execution_options(billing_read_only=True) if read_only else engine
    return sessionmaker(bind=bind, class_=Session, expire_on_commit=False, future=True)
