"""Rasa's `events` table (rasa.core.tracker_store.SQLTrackerStore), read only.

The project's RedactingSQLTrackerStore writes every event masked, and rewrites earlier rows when a later
message changes what must be masked; so the desk reads transcripts from here, never from a copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, Text, func, select

metadata = MetaData()
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclasses.dataclass(frozen=True)
class StoredEvent:
    id: int
    sender_id: str
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data.get("event") or "")

    @property
    def at(self) -> dt.datetime:
        return to_datetime(self.data.get("timestamp"))


def to_datetime(timestamp: Any) -> dt.datetime:
    """Rasa's timestamps are epoch seconds; the desk keeps naive UTC."""
    seconds = float(timestamp) if isinstance(timestamp, int | float) else 0.0
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(tzinfo=None)


def _parse(row: Any) -> StoredEvent:
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        data = {}
    return StoredEvent(id=row.id, sender_id=row.sender_id, data=data if isinstance(data, dict) else {})


def conversation_events(connection: Connection, sender_id: str) -> list[StoredEvent]:
    rows = connection.execute(
        select(events.c.id, events.c.sender_id, events.c.data)
        .where(events.c.sender_id == sender_id)
        .order_by(events.c.id)
    )
    return [_parse(row) for row in rows]


def events_of(connection: Connection, sender_ids: list[str]) -> dict[str, list[StoredEvent]]:
    """Every event of several conversations in one query, each conversation's in order."""
    found: dict[str, list[StoredEvent]] = {sender_id: [] for sender_id in sender_ids}
    rows = connection.execute(
        select(events.c.id, events.c.sender_id, events.c.data)
        .where(events.c.sender_id.in_(sender_ids))
        .order_by(events.c.sender_id, events.c.id)
    )
    for row in rows:
        found[row.sender_id].append(_parse(row))
    return found


def senders_after(connection: Connection, after_id: int, limit: int) -> tuple[list[str], int]:
    """The conversations with events after `after_id` (at most `limit` events read), and the last id read."""
    rows = connection.execute(
        select(events.c.id, events.c.sender_id)
        .where(events.c.id > after_id)
        .order_by(events.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return [], after_id
    return sorted({row.sender_id for row in rows}), rows[-1].id


def latest_event_id(connection: Connection, sender_id: str | None = None) -> int:
    """The newest event's id, of one conversation or of all (0 when there is none)."""
    query = select(func.coalesce(func.max(events.c.id), 0))
    if sender_id is not None:
        query = query.where(events.c.sender_id == sender_id)
    return int(connection.execute(query).scalar_one())
