"""The website's socket.io channel.

Like Rasa's socket.io channel with session persistence, with these differences:
- the conversation id comes from a session token the website signed (CHAT_SESSION_SECRET), never from
  the browser, so a conversation cannot be joined by knowing its id; a token revoked by signing out
  is refused on session_request and on every message;
- the text is masked (billing_contract.redaction.mask) before the message is handled;
- metadata carries only the member token, and only when it names the member the session is bound to
  and this conversation (MEMBER_TOKEN_SECRET); nothing else the browser sends is passed on;
- only the configured website origins may connect (WEBSITE_ORIGINS, comma-separated);
- with several Rasa replicas (SOCKETIO_REDIS_URL set), what any replica sends to a conversation goes
  through Redis to the replica holding the member's socket (a reply pushed by the agent desk through
  another replica still reaches the widget). SOCKETIO_REDIS_CHANNEL names the Redis channel.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncManager, AsyncRedisManager, AsyncServer

from billing_contract.redaction import mask

from ..chat_session_revocations import ChatSessionRevocations
from ..chat_sessions import ChatSession, read_session_token
from ..member_tokens import member_from_token

log = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"
MESSAGE_LIMIT = 2000


def socket_manager() -> AsyncManager | None:
    """Where emits go: this process's sockets only (None: socket.io's default), or every replica's."""
    url = os.environ.get("SOCKETIO_REDIS_URL")
    if not url:
        return None
    channel = os.environ.get("SOCKETIO_REDIS_CHANNEL", "billing-assistant-socketio")
    return AsyncRedisManager(url, channel=channel)


class WebsiteInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "website"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: str = "/socket.io", revocations: ChatSessionRevocations | None = None):
        self.socketio_path = socketio_path
        self.sio: AsyncServer | None = None
        self.revocations = revocations or ChatSessionRevocations()
        self.session_secret = os.environ.get("CHAT_SESSION_SECRET", "")
        self.member_token_secret = os.environ.get("MEMBER_TOKEN_SECRET", "")
        if not self.session_secret:
            log.error("CHAT_SESSION_SECRET is not set: the website channel refuses every chat session")

    def get_output_channel(self) -> OutputChannel | None:
        """For messages pushed from outside a conversation turn (HTTP API, agents)."""
        return SocketIOOutput(self.sio, "bot_uttered") if self.sio else None

    async def live_session(self, token: Any) -> ChatSession | None:
        """The session a token names, unless it is forged, expired or signed out."""
        session = read_session_token(token if isinstance(token, str) else "", self.session_secret)
        if session is None or await asyncio.to_thread(self.revocations.is_revoked, session.conversation_id):
            return None
        return session

    def metadata_for(self, session: ChatSession, data: dict) -> dict[str, str]:
        custom = data.get("customData")
        token = custom.get("member_token") if isinstance(custom, dict) else None
        if not (isinstance(token, str) and session.member_number):
            return {}
        member = member_from_token(token, self.member_token_secret, conversation_id=session.conversation_id)
        return {"member_token": token} if member == session.member_number else {}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = [
            o.strip() for o in os.environ.get("WEBSITE_ORIGINS", DEFAULT_ORIGINS).split(",") if o.strip()
        ]
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins, client_manager=socket_manager())
        blueprint = SocketBlueprint(sio, self.socketio_path, "website_webhook", __name__)
        self.sio = sio

        @blueprint.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def reject(sid: str, reason: str) -> None:
            await sio.emit("session_rejected", {"reason": reason}, room=sid)
            await sio.disconnect(sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: dict | None) -> None:
            token = data.get("session_token") if isinstance(data, dict) else None
            session = await self.live_session(token)
            if session is None:
                await reject(sid, "invalid session token")
                return
            await sio.save_session(sid, {"session_token": token})
            sio.enter_room(sid, session.conversation_id)
            await sio.emit("session_confirm", session.conversation_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict | None) -> None:
            saved = await sio.get_session(sid)
            # Checked again on every message: signing out in another tab ends this socket's conversation too.
            session = await self.live_session((saved or {}).get("session_token"))
            if session is None:
                log.warning("message from a socket without a live session refused")
                await reject(sid, "chat session ended")
                return
            data = data if isinstance(data, dict) else {}
            text = mask(str(data.get("message") or ""))[:MESSAGE_LIMIT]
            message = UserMessage(
                text,
                SocketIOOutput(sio, "bot_uttered"),
                session.conversation_id,
                input_channel=self.name(),
                metadata=self.metadata_for(session, data),
            )
            await on_new_message(message)

        return blueprint
