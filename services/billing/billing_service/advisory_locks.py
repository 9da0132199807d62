"""Serialising check-then-record work on named things (a member's counter, a client's counter).

PostgreSQL: transaction-scoped advisory locks, taken in a fixed order so two requests never deadlock.
SQLite: every writing transaction already holds the database write lock (BEGIN IMMEDIATE), so nothing to do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_names(session: Session, names: Iterable[str]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _key(name)})


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
