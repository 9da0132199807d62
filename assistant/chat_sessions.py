"""Website chat sessions: an unguessable conversation id, signed by the website with its own secret
(CHAT_SESSION_SECRET), optionally bound to the signed-in member. The socket.io channel accepts a
conversation only with this token, so another browser cannot continue a conversation by sending its
id; signing out revokes the token (assistant/chat_session_revocations.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

import jwt

AUDIENCE = "chat-session"
ALGORITHM = "HS256"
LIFETIME = dt.timedelta(hours=12)
CONVERSATION_PREFIX = "web-"


class ChatSession(NamedTuple):
    conversation_id: str
    member_number: str | None
    expires_at: dt.datetime
    display_name: str | None = None  # what the website shows after "Signed in as"


def new_session_token(
    secret: str,
    member_number: str | None = None,
    *,
    display_name: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    if not secret:
        raise ValueError("CHAT_SESSION_SECRET is needed to sign chat sessions")
    now = now or dt.datetime.now(dt.timezone.utc)
    claims = {
        "sid": CONVERSATION_PREFIX + secrets.token_hex(16),
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + LIFETIME,
    }
    if member_number:
        claims["sub"] = member_number
        claims["name"] = display_name or member_number
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_session_token(token: str, secret: str) -> ChatSession | None:
    """The session the token names when its signature and lifetime hold (revocation is checked apart)."""
    if not token or not secret or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "sid", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    if not str(claims["sid"]).startswith(CONVERSATION_PREFIX):
        return None
    return ChatSession(
        claims["sid"],
        claims.get("sub"),
        dt.datetime.fromtimestamp(claims["exp"], dt.timezone.utc),
        claims.get("name"),
    )
