"""Stand-ins for what the desk talks to: the billing service's handoff cases, Rasa's HTTP API (recording
every call, so a test can say what reached the member), Rasa's events table, and a clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import httpx
import jwt
from sqlalchemy import Engine, insert

from agent_desk.tracker_events import events


class MovableClock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class FakeBilling:
    """GET /handoffs?status=open and POST /handoffs/{id}/close, like the billing service."""

    def __init__(self) -> None:
        self.cases: dict[int, dict[str, Any]] = {}
        self.down = False
        self.closed: list[int] = []
        self.transport = httpx.MockTransport(self._handle)

    def open_case(
        self,
        case_id: int,
        conversation_id: str,
        *,
        reason: str = "requested",
        summary: str = "",
        member_number: str | None = None,
        created_at: dt.datetime | None = None,
    ) -> None:
        self.cases[case_id] = {
            "id": case_id,
            "kind": "handoff",
            "status": "open",
            "reason": reason,
            "summary": summary or "Unverified visitor. Last messages:\n- I want a person",
            "conversation_id": conversation_id,
            "member_number": member_number,
            "account_number": None,
            "created_at": (created_at or dt.datetime(2026, 12, 4, 14, 50)).isoformat(),
            "open_ahead": 0,
        }

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503, json={"detail": "down"})
        if request.method == "GET" and request.url.path == "/handoffs":
            return httpx.Response(200, json=[c for c in self.cases.values() if c["status"] == "open"])
        parts = request.url.path.strip("/").split("/")
        if request.method == "POST" and len(parts) == 3 and parts[2] == "close":
            case = self.cases.get(int(parts[1]))
            if case is None:
                return httpx.Response(404, json={"detail": "not found"})
            case["status"] = "closed"
            self.closed.append(case["id"])
            return httpx.Response(200, json=case)
        return httpx.Response(404)


@dataclasses.dataclass
class RasaCall:
    path: str
    params: dict[str, str]
    events: list[dict[str, Any]]
    claims: dict[str, Any]


class FakeRasa:
    """POST /conversations/{id}/tracker/events, checking the JWT as the Rasa server would."""

    def __init__(self, secret: str = "test-secret-for-the-desk-tests-32-bytes") -> None:
        self.secret = secret
        self.calls: list[RasaCall] = []
        self.down = False
        self.channel_refusal: str | None = None  # what the member's channel raised, as Rasa reports it
        self.tracker: Tracker | None = None  # when set, sent events are stored there as Rasa would
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(500, json={"message": "ConversationError"})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            return httpx.Response(401)
        call = RasaCall(request.url.path, dict(request.url.params), json.loads(request.content), claims)
        self.calls.append(call)
        if self.channel_refusal and call.params.get("execute_side_effects") == "true":
            # Rasa's append-events endpoint when the output channel raises: nothing is stored.
            message = f"An unexpected error occurred. Error: {self.channel_refusal}"
            return httpx.Response(
                500,
                json={"status": "failure", "reason": "ConversationError", "message": message, "code": 500},
            )
        if self.tracker is not None:
            conversation = request.url.path.split("/")[2]
            self.tracker.add(conversation, *call.events)
        return httpx.Response(200, json={"events": []})

    def sent_texts(self, conversation_id: str) -> list[str]:
        return [
            event["text"]
            for call in self.calls
            if call.path == f"/conversations/{conversation_id}/tracker/events"
            and call.params.get("execute_side_effects") == "true"
            for event in call.events
            if event.get("event") == "bot"
        ]


class Tracker:
    """Writes events into Rasa's events table as the SQL tracker store does."""

    def __init__(self, engine: Engine, start: dt.datetime):
        self.engine = engine
        self.at = start.replace(tzinfo=dt.timezone.utc).timestamp() - 3600

    def add(self, sender_id: str, *event_list: dict[str, Any]) -> None:
        with self.engine.begin() as connection:
            for event in event_list:
                self.at += 5
                data = {"timestamp": self.at, **event}
                connection.execute(
                    insert(events).values(
                        sender_id=sender_id,
                        type_name=data["event"],
                        timestamp=data["timestamp"],
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )


def user(text: str, intent: str, confidence: float, channel: str = "website") -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "input_channel": channel,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "text": text},
    }


def bot(text: str, **metadata: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": metadata}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def identity_token(member_number: str) -> str:
    return jwt.encode(
        {"sub": member_number, "cid": "x"}, "action-server-secret-for-tests-32-bytes", algorithm="HS256"
    )
