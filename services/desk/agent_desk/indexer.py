"""Keeps the `conversations` summary rows in step with Rasa's events table, incrementally by event id.

A conversation with new events is rebuilt from all of its events: the tracker store rewrites earlier
rows when it masks something late (a card number split over two messages, verification answers), so a
row is never summarised from a version that has since been masked."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from .member_identity import IDENTITY_SLOT, member_of_token
from .models import Conversation, ConversationIntent, IndexCursor
from .tracker_events import StoredEvent, events_of, senders_after
from .transcript import turns

CURSOR = "tracker_events"
HANDOFF_SLOT = "handoff_case"
BATCH = 2000
CHUNK = 500  # conversations read and written per query (well under SQLite's limit of bound variables)


def index_new_events(desk: Session, tracker: Engine, low_confidence: float, batch: int = BATCH) -> int:
    """Indexes up to `batch` new events; returns how many conversations were rebuilt."""
    cursor = desk.get(IndexCursor, CURSOR) or IndexCursor(name=CURSOR, last_event_id=0)
    with tracker.connect() as connection:
        senders, last_id = senders_after(connection, cursor.last_event_id, batch)
        for start in range(0, len(senders), CHUNK):
            chunk = senders[start : start + CHUNK]
            existing = {
                row.sender_id: row
                for row in desk.execute(
                    select(Conversation).where(Conversation.sender_id.in_(chunk))
                ).scalars()
            }
            desk.execute(delete(ConversationIntent).where(ConversationIntent.sender_id.in_(chunk)))
            for sender_id, found in events_of(connection, chunk).items():
                summarise(desk, sender_id, found, low_confidence, existing.get(sender_id))
            desk.flush()
    cursor.last_event_id = last_id
    desk.merge(cursor)
    desk.commit()
    return len(senders)


def index_everything(desk: Session, tracker: Engine, low_confidence: float, batch: int = BATCH) -> int:
    total = 0
    while rebuilt := index_new_events(desk, tracker, low_confidence, batch):
        total += rebuilt
    return total


def summarise(
    desk: Session,
    sender_id: str,
    events: list[StoredEvent],
    low_confidence: float,
    row: Conversation | None = None,
) -> None:
    """Writes the conversation's row and intents (the caller has removed its old intents)."""
    if not events:
        return
    read = turns(events, low_confidence)
    members = [t for t in read if t.kind == "member"]
    slots = [e.data for e in events if e.kind == "slot"]
    member_number = None
    handed_off = False
    for slot in slots:
        if slot.get("name") == IDENTITY_SLOT:
            member_number = member_of_token(slot.get("value")) or member_number
        elif slot.get("name") == HANDOFF_SLOT and slot.get("value"):
            handed_off = True
    channel = next((t.channel for t in reversed(members) if t.channel), None)
    if row is None:
        row = Conversation(sender_id=sender_id)
        desk.add(row)
    row.channel = channel
    row.started_at = events[0].at
    row.last_event_at = events[-1].at
    row.member_number = member_number
    row.handed_off = handed_off
    row.member_turns = len(members)
    row.fallback_count = sum(1 for t in members if t.fallback)
    row.low_confidence_count = sum(1 for t in members if t.low_confidence)
    row.last_event_id = events[-1].id
    row.search_text = "\n".join(t.text for t in read if t.is_message and t.text).lower()
    for intent in sorted({t.intent for t in members if t.intent}):
        desk.add(ConversationIntent(sender_id=sender_id, intent=intent[:120]))
