"""Signed tokens naming a signed-in member, issued by the website and checked by the assistant."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import jwt

AUDIENCE = "billing-assistant"
ISSUER = "member-website"
ALGORITHM = "HS256"


def issue_member_token(member_number: str, secret: str, *, ttl_seconds: int = 900,
                       now: Optional[dt.datetime] = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    claims = {"sub": member_number, "aud": AUDIENCE, "iss": ISSUER, "iat": now,
              "exp": now + dt.timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def member_from_token(token: str, secret: str) -> Optional[str]:
    """The member the token names, or None when it is forged, expired or malformed."""
    if not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                            options={"require": ["exp", "sub", "aud", "iss"]})
    except jwt.PyJWTError:
        return None
    return claims["sub"]
