"""A conversation as JSON or CSV: its turns, flags and the agents' suggested better answers."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .models import TurnNote
from .transcript import Turn

CSV_COLUMNS = [
    "event_id",
    "at",
    "kind",
    "text",
    "intent",
    "confidence",
    "fallback",
    "low_confidence",
    "agent",
    "suggestions",
]


def _turn_dict(turn: Turn, notes: list[tuple[TurnNote, str]]) -> dict[str, Any]:
    return {
        "event_id": turn.event_id,
        "at": turn.at.isoformat() + "Z",
        "kind": turn.kind,
        "text": turn.text,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "fallback": turn.fallback,
        "low_confidence": turn.low_confidence,
        "agent": turn.agent,
        "details": turn.details,
        "suggestions": [
            {"by": email, "text": note.text, "at": note.created_at.isoformat() + "Z"} for note, email in notes
        ],
    }


def as_json(conversation_id: str, turns: list[Turn], notes: dict[int, list[tuple[TurnNote, str]]]) -> str:
    body = {
        "conversation_id": conversation_id,
        "turns": [_turn_dict(turn, notes.get(turn.event_id, [])) for turn in turns],
    }
    return json.dumps(body, indent=2, default=str)


def as_csv(turns: list[Turn], notes: dict[int, list[tuple[TurnNote, str]]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for turn in turns:
        row = _turn_dict(turn, notes.get(turn.event_id, []))
        row["text"] = _no_formula(row["text"])
        row["suggestions"] = " | ".join(_no_formula(s["text"]) for s in row["suggestions"])
        writer.writerow(row)
    return out.getvalue()


def _no_formula(text: str) -> str:
    """A cell starting with = + - @ runs as a formula in a spreadsheet: member text must stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
