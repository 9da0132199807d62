"""The Rasa server's HTTP API (RASA_URL), with a short-lived HS256 JWT signed with RASA_JWT_SECRET.

An agent's reply is a `bot` event appended with `output_channel=latest&execute_side_effects=true`: Rasa
stores it in the tracker and sends it through the channel of the member's last message (the website
widget's socket room, or an SMS, which the SMS channel never sends to a number that opted out). A text the
SMS channel did not send fails the whole call: Rasa stores nothing and answers 500 with the channel's
"Not delivered by SMS: <reason>" in its message (assistant/channels/twilio_sms.py), which becomes
ReplyNotDelivered here. A website member who closed the page is not something the desk can learn."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import httpx
import jwt

from .transcript import AGENT_KEY

TIMEOUT = httpx.Timeout(10.0)
HANDOFF_SLOT = "handoff_case"
# How the SMS channel's refusal to text starts (assistant/channels/twilio_sms.py).
NOT_DELIVERED = "Not delivered by SMS: "


class RasaUnreachable(Exception):
    """The Rasa server did not take the events."""


class ReplyNotDelivered(Exception):
    """The member's channel did not take the reply (an SMS member who opted out); nothing was stored."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _not_delivered_reason(answer: httpx.Response) -> str | None:
    try:
        message = str(answer.json().get("message", ""))
    except (ValueError, AttributeError):
        return None
    _, found, reason = message.partition(NOT_DELIVERED)
    return reason.strip() if found else None


class RasaConversations:
    def __init__(self, base_url: str, jwt_secret: str, transport: httpx.AsyncBaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.jwt_secret = jwt_secret
        self.transport = transport

    def _headers(self, agent_email: str) -> dict[str, str]:
        now = dt.datetime.now(dt.timezone.utc)
        claims = {
            "user": {"username": f"desk:{agent_email}", "role": "admin"},
            "iat": now,
            "exp": now + dt.timedelta(seconds=60),
        }
        return {"Authorization": f"Bearer {jwt.encode(claims, self.jwt_secret, algorithm='HS256')}"}

    async def _append(
        self, conversation_id: str, events: list[dict[str, Any]], agent_email: str, *, send: bool
    ) -> None:
        params = {"output_channel": "latest", "execute_side_effects": "true"} if send else {}
        url = f"/conversations/{quote(conversation_id, safe='')}/tracker/events"
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=TIMEOUT, transport=self.transport
        ) as client:
            try:
                answer = await client.post(
                    url, params=params, json=events, headers=self._headers(agent_email)
                )
            except httpx.HTTPError as error:
                raise RasaUnreachable(str(error)) from error
        if answer.is_success:
            return
        reason = _not_delivered_reason(answer) if answer.status_code == 500 else None
        if reason:
            raise ReplyNotDelivered(reason)
        raise RasaUnreachable(f"{answer.status_code} from the Rasa server")

    async def send_reply(self, conversation_id: str, text: str, agent_email: str, *, pause: bool) -> None:
        """`pause` on the agent's first reply: from then on Rasa stores the member's messages (the agent
        reads them live) but the assistant stays quiet instead of answering each with "still in the queue"."""
        reply: dict[str, Any] = {
            "event": "bot",
            "text": text,
            "timestamp": dt.datetime.now(dt.timezone.utc).timestamp(),
            "metadata": {AGENT_KEY: agent_email},
        }
        events = [{"event": "pause"}, reply] if pause else [reply]
        await self._append(conversation_id, events, agent_email, send=True)

    async def resume(self, conversation_id: str, agent_email: str) -> None:
        """The assistant answers again (released to the queue: the queue policy speaks once more)."""
        await self._append(conversation_id, [{"event": "resume"}], agent_email, send=False)

    async def hand_back(self, conversation_id: str, agent_email: str) -> None:
        """Resumes the assistant and clears handoff_case: the queue policy lets go, and the assistant
        answers the member's next message."""
        events: list[dict[str, Any]] = [
            {"event": "resume"},
            {"event": "slot", "name": HANDOFF_SLOT, "value": None},
        ]
        await self._append(conversation_id, events, agent_email, send=False)
