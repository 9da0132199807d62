"""The website's socket.io channel.

Like Rasa's socket.io channel with session persistence, with three differences:
- the conversation id comes from a session token the website signed, never from the browser, so a
  conversation cannot be joined by knowing its id;
- a member token is passed on only when it names the member the session is bound to;
- only the configured website origins may connect (WEBSITE_ORIGINS, comma-separated).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from socketio import AsyncServer

from ..chat_sessions import read_session_token
from ..member_tokens import member_from_token

log = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


class WebsiteInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "website"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: Text = "/socket.io"):
        self.socketio_path = socketio_path
        self.sio: Optional[AsyncServer] = None

    def get_output_channel(self):
        """For messages pushed from outside a conversation turn (HTTP API, agents)."""
        return SocketIOOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = [o.strip() for o in os.environ.get("WEBSITE_ORIGINS", DEFAULT_ORIGINS).split(",") if o.strip()]
        secret = os.environ.get("MEMBER_TOKEN_SECRET", "")
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins)
        blueprint = SocketBlueprint(sio, self.socketio_path, "website_webhook", __name__)
        self.sio = sio

        @blueprint.route("/", methods=["GET"])
        async def health(_request):
            return response.json({"status": "ok"})

        @sio.on("session_request")
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            session = read_session_token((data or {}).get("session_token", ""), secret)
            if session is None:
                await sio.emit("session_rejected", {"reason": "invalid session token"}, room=sid)
                await sio.disconnect(sid)
                return
            await sio.save_session(sid, {"conversation_id": session.conversation_id,
                                         "member_number": session.member_number})
            sio.enter_room(sid, session.conversation_id)
            await sio.emit("session_confirm", session.conversation_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: Text, data: Dict) -> None:
            session = await sio.get_session(sid)
            if not session or not session.get("conversation_id"):
                log.warning("message from a socket without a confirmed session ignored")
                return
            metadata = {}
            custom = (data or {}).get("customData") or {}
            token = custom.get("member_token") if isinstance(custom, dict) else None
            if token and session.get("member_number") and member_from_token(token, secret) == session["member_number"]:
                metadata["member_token"] = token
            message = UserMessage(str((data or {}).get("message", ""))[:2000], SocketIOOutput(sio, "bot_uttered"),
                                  session["conversation_id"], input_channel=self.name(), metadata=metadata)
            await on_new_message(message)

        return blueprint
