"""Which member a conversation verified as, read from the `identity_token` slot the action server sets.

The token's signature is the action server's business (IDENTITY_TOKEN_SECRET stays there); the desk
only labels conversations with the `sub` the action server itself wrote into the tracker."""

from __future__ import annotations

from typing import Any

import jwt

IDENTITY_SLOT = "identity_token"


def member_of_token(token: Any) -> str | None:
    if not isinstance(token, str) or not token:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    sub = claims.get("sub")
    return sub[:40] if isinstance(sub, str) else None
