"""The channels' own small SQL databases (SMS state, revoked chat sessions): SQLite under var/ on one
machine, the shared PostgreSQL in cluster mode. A SQLite file is made for this user only."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError


def open_database(url: str, metadata: MetaData) -> Engine:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).resolve()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    engine = create_engine(url, future=True, pool_pre_ping=True)
    try:
        metadata.create_all(engine)
    except DatabaseError:
        # Another replica created the tables at the same moment: what matters is that they exist now.
        metadata.create_all(engine)
    return engine
