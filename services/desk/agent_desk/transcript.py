"""A conversation's events as the turns an agent reads: member, assistant and agent messages in order,
each member turn with its intent and confidence and flagged when the assistant struggled; actions, slot
changes, pauses and resumes as quieter lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from billing_contract.redaction import mask

from .tracker_events import StoredEvent

# What the assistant runs when it did not understand (Rasa's own and this project's).
FALLBACK_ACTIONS = {"action_default_fallback", "action_two_stage_fallback", "action_misunderstood"}
FALLBACK_INTENT = "nlu_fallback"
AGENT_KEY = "desk_agent"  # bot events the desk sends carry the agent's email in their metadata
# Slot values never shown: a bearer token proves identity to the action server.
HIDDEN_SLOTS = {"identity_token"}
MARKERS = {
    "pause": "assistant paused: an agent is answering",
    "resume": "assistant resumed",
    "session_started": "session started",
    "restart": "restarted",
}


@dataclasses.dataclass
class Turn:
    event_id: int
    at: dt.datetime
    kind: str  # member | assistant | agent | action | slot | marker
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    channel: str | None = None
    fallback: bool = False
    low_confidence: bool = False
    agent: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.fallback or self.low_confidence

    @property
    def is_message(self) -> bool:
        return self.kind in ("member", "assistant", "agent")


def turns(events: Sequence[StoredEvent], low_confidence: float) -> list[Turn]:
    found: list[Turn] = []
    last_member: Turn | None = None
    for event in events:
        turn = _turn(event, low_confidence)
        if turn is None:
            continue
        if turn.kind == "member":
            last_member = turn
        elif turn.kind == "action" and turn.text in FALLBACK_ACTIONS and last_member is not None:
            last_member.fallback = True  # the answer to that message was a fallback
        found.append(turn)
    return found


def _turn(event: StoredEvent, low_confidence: float) -> Turn | None:
    data = event.data
    kind = event.kind
    if kind == "user":
        parse_data = data.get("parse_data") or {}
        intent = parse_data.get("intent") or {}
        confidence = intent.get("confidence")
        confidence = float(confidence) if isinstance(confidence, int | float) else None
        name = _retrieval_intent(parse_data, intent.get("name"))
        return Turn(
            event.id,
            event.at,
            "member",
            text=mask(str(data.get("text") or "")),
            intent=name,
            confidence=confidence,
            channel=data.get("input_channel"),
            fallback=name == FALLBACK_INTENT,
            low_confidence=confidence is not None and confidence < low_confidence,
        )
    if kind == "bot":
        agent = (data.get("metadata") or {}).get(AGENT_KEY)
        return Turn(
            event.id,
            event.at,
            "agent" if agent else "assistant",
            text=mask(str(data.get("text") or "")),
            agent=agent,
            details={"buttons": [b.get("title") for b in (data.get("data") or {}).get("buttons") or []]},
        )
    if kind == "action":
        if data.get("name") == "action_listen":
            return None
        return Turn(event.id, event.at, "action", text=str(data.get("name")), details=_policy(data))
    if kind == "slot":
        name = str(data.get("name"))
        value = "[hidden]" if name in HIDDEN_SLOTS and data.get("value") else data.get("value")
        shown = mask(str(value)) if isinstance(value, str) else value
        return Turn(event.id, event.at, "slot", text=name, details={"value": shown})
    if kind == "active_loop":
        return Turn(event.id, event.at, "marker", text=f"form {data.get('name') or 'ended'}")
    if kind in MARKERS:
        return Turn(event.id, event.at, "marker", text=MARKERS[kind])
    return None


def _retrieval_intent(parse_data: dict[str, Any], name: Any) -> str | None:
    """`faq` says little: the ResponseSelector's pick (`faq/why_bill`) is what an agent needs to see."""
    if not isinstance(name, str):
        return None
    selected = (parse_data.get("response_selector") or {}).get(name) or {}
    key = (selected.get("response") or {}).get("intent_response_key")
    return key if isinstance(key, str) and key.startswith(name + "/") else name


def _policy(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("policy", "confidence") if data.get(key) is not None}


@dataclasses.dataclass
class Block:
    """What the transcript page shows as one piece: a message, a marker, or folded steps between them."""

    kind: str  # message | marker | steps
    turns: list[Turn]

    @property
    def label(self) -> str:
        """'2 actions, 1 slot change' for folded steps."""
        actions = sum(1 for t in self.turns if t.kind == "action")
        slots = sum(1 for t in self.turns if t.kind == "slot")
        parts = [f"{actions} action{'s' * (actions != 1)}"] if actions else []
        parts += [f"{slots} slot change{'s' * (slots != 1)}"] if slots else []
        return ", ".join(parts)


def blocks(read: Sequence[Turn]) -> list[Block]:
    found: list[Block] = []
    for turn in read:
        if turn.is_message:
            found.append(Block("message", [turn]))
        elif turn.kind == "marker":
            found.append(Block("marker", [turn]))
        elif found and found[-1].kind == "steps":
            found[-1].turns.append(turn)
        else:
            found.append(Block("steps", [turn]))
    return found
