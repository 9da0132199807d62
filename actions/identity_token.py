"""Who the member is, in a form a forged tracker cannot claim.

A successful verification (or a website sign-in) puts a signed, expiring token in the slot
`identity_token`, bound to the conversation id. Every account action reads the member from that token,
never from the `verified` / `member_number` slots, which anyone able to write events could set. Only the
action server holds IDENTITY_TOKEN_SECRET.
"""

from __future__ import annotations

import datetime as dt
import os

import jwt
from rasa_sdk import Tracker

SLOT = "identity_token"
ISSUER = "billing-action-server"
AUDIENCE = "billing-conversation"
ALGORITHM = "HS256"


def _secret() -> str:
    secret = os.environ.get("IDENTITY_TOKEN_SECRET", "")
    if len(secret) < 16:
        # Without a real secret no identity can be trusted: refuse rather than sign with a guessable key.
        raise RuntimeError("IDENTITY_TOKEN_SECRET is missing or shorter than 16 characters")
    return secret


def _lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=int(os.environ.get("IDENTITY_TOKEN_MINUTES", "120")))


def issue_identity(member_number: str, conversation_id: str, *, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    claims = {
        "sub": member_number,
        "cid": conversation_id,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + _lifetime(),
    }
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM)


def verified_member(tracker: Tracker) -> str | None:
    """The member this conversation verified as, or None (no token, forged, expired, other conversation)."""
    token = tracker.get_slot(SLOT)
    if not token or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(
            token,
            _secret(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "sub", "cid"]},
        )
    except jwt.PyJWTError:
        return None
    if claims["cid"] != tracker.sender_id:
        return None
    return claims["sub"]
