"""Keeps the `conversations` summary rows in step with Rasa's events table, incrementally by event id.

A conversation with new events is rebuilt from all of its events: the tracker store rewrites earlier
rows when it masks something late (a card number split over two messages, verification answers), so a
row is never summarised from a version that has since been masked."""

from __future__ import annotations

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from .member_identity import IDENTITY_SLOT, member_of_token
from .models import Conversation, ConversationIntent, IndexCursor
from .tracker_events import StoredEvent, conversation_events, senders_after
from .transcript import turns

CURSOR = "tracker_events"
HANDOFF_SLOT = "handoff_case"
BATCH = 2000


def index_new_events(desk: Session, tracker: Engine, low_confidence: float, batch: int = BATCH) -> int:
    """Indexes up to `batch` new events; returns how many conversations were rebuilt."""
    cursor = desk.get(IndexCursor, CURSOR) or IndexCursor(name=CURSOR, last_event_id=0)
    with tracker.connect() as connection:
        senders, last_id = senders_after(connection, cursor.last_event_id, batch)
        for sender_id in senders:
            summarise(desk, sender_id, conversation_events(connection, sender_id), low_confidence)
    cursor.last_event_id = last_id
    desk.merge(cursor)
    desk.commit()
    return len(senders)


def index_everything(desk: Session, tracker: Engine, low_confidence: float) -> int:
    total = 0
    while rebuilt := index_new_events(desk, tracker, low_confidence):
        total += rebuilt
    return total


def summarise(desk: Session, sender_id: str, events: list[StoredEvent], low_confidence: float) -> None:
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
    row = desk.get(Conversation, sender_id) or Conversation(sender_id=sender_id)
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
    desk.merge(row)
    desk.flush()
    desk.execute(delete(ConversationIntent).where(ConversationIntent.sender_id == sender_id))
    for intent in sorted({t.intent for t in members if t.intent}):
        desk.add(ConversationIntent(sender_id=sender_id, intent=intent[:120]))
