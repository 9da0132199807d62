"""Website chat sessions: an unguessable conversation id, signed by the website, optionally bound
to the signed-in member. The socket.io channel accepts a conversation only with this token, so
another browser cannot continue a conversation by sending its id."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple, Optional

import jwt

AUDIENCE = "chat-session"
ALGORITHM = "HS256"
LIFETIME = dt.timedelta(hours=12)


class ChatSession(NamedTuple):
    conversation_id: str
    member_number: Optional[str]


def new_session_token(secret: str, member_number: Optional[str] = None) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    claims = {"sid": "web-" + secrets.token_hex(16), "aud": AUDIENCE, "iat": now, "exp": now + LIFETIME}
    if member_number:
        claims["sub"] = member_number
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_session_token(token: str, secret: str) -> Optional[ChatSession]:
    if not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE,
                            options={"require": ["exp", "sid", "aud"]})
    except jwt.PyJWTError:
        return None
    return ChatSession(claims["sid"], claims.get("sub"))
