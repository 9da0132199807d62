"""'Suggest a better answer' notes on a turn, exported with the conversation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing_contract.redaction import mask

from .models import Agent, TurnNote

MAX_LENGTH = 2000


def add_note(
    session: Session, conversation_id: str, event_id: int, agent: Agent, text: str, now: dt.datetime
) -> TurnNote:
    note = TurnNote(
        conversation_id=conversation_id, event_id=event_id, agent_id=agent.id, text=mask(text), created_at=now
    )
    session.add(note)
    session.commit()
    return note


def notes_by_event(session: Session, conversation_id: str) -> dict[int, list[tuple[TurnNote, str]]]:
    rows = session.execute(
        select(TurnNote, Agent.email)
        .join(Agent, Agent.id == TurnNote.agent_id)
        .where(TurnNote.conversation_id == conversation_id)
        .order_by(TurnNote.created_at, TurnNote.id)
    ).all()
    found: dict[int, list[tuple[TurnNote, str]]] = {}
    for note, email in rows:
        found.setdefault(note.event_id, []).append((note, email))
    return found
