"""Conversations saved turn by turn in a real RedactingSQLTrackerStore on a SQLite file, the way Rasa
does it: retrieve the tracker, add the turn's events, save."""

from __future__ import annotations

import json
import os
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.tracker_store import RedactingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain"))


def open_store(database: Path) -> RedactingSQLTrackerStore:
    """The store reads its URL from the environment once, when it is created."""
    previous = os.environ.get("TRACKER_DATABASE_URL")
    os.environ["TRACKER_DATABASE_URL"] = f"sqlite:///{database}"
    try:
        return RedactingSQLTrackerStore(domain=DOMAIN)
    finally:
        if previous is None:
            del os.environ["TRACKER_DATABASE_URL"]
        else:
            os.environ["TRACKER_DATABASE_URL"] = previous


async def turn(store: RedactingSQLTrackerStore, sender_id: str, *events: Event) -> DialogueStateTracker:
    tracker = await store.retrieve(sender_id) or DialogueStateTracker(sender_id, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


def stored_rows(store: RedactingSQLTrackerStore, sender_id: str) -> list[str]:
    """The events' JSON exactly as the database holds it."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender_id}
        ).fetchall()
    return [row[0] for row in rows]


def stored_text(store: RedactingSQLTrackerStore, sender_id: str) -> str:
    """Everything stored for a conversation but the timestamps (whose digits could match by chance)."""
    rows = [
        {key: value for key, value in json.loads(row).items() if key != "timestamp"}
        for row in stored_rows(store, sender_id)
    ]
    return json.dumps(rows)
