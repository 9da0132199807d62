"""Signed tokens naming a signed-in member, issued by the website and checked by the assistant.

A token is bound to the conversation it was issued for (the `cid` claim) and lives a few minutes, so a
leaked token verifies no other conversation: not a REST conversation, not a new website session.
"""

from __future__ import annotations

import datetime as dt

import jwt

AUDIENCE = "billing-assistant"
ISSUER = "member-website"
ALGORITHM = "HS256"
LIFETIME_SECONDS = 300


def issue_member_token(
    member_number: str,
    secret: str,
    *,
    conversation_id: str,
    ttl_seconds: int = LIFETIME_SECONDS,
    now: dt.datetime | None = None,
) -> str:
    if not secret or not conversation_id:
        raise ValueError("a member token needs a secret and the conversation it is for")
    now = now or dt.datetime.now(dt.timezone.utc)
    claims = {
        "sub": member_number,
        "cid": conversation_id,
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + dt.timedelta(seconds=ttl_seconds),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def member_from_token(token: str, secret: str, *, conversation_id: str) -> str | None:
    """The member the token names, or None when it is forged, expired, malformed or issued for
    another conversation."""
    if not token or not secret or not conversation_id:
        return None
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "sub", "aud", "iss", "cid"]},
        )
    except jwt.PyJWTError:
        return None
    if claims["cid"] != conversation_id or not isinstance(claims["sub"], str):
        return None
    return claims["sub"]
