"""Calling the Rasa server's HTTP API from outside a conversation (agent pushes, the agent desk, tests).

The API takes a short-lived JWT in the Authorization header, signed with RASA_JWT_SECRET, never a token
in the query string (query strings end up in access logs and browser histories). Role "admin" may read and
write any conversation; Rasa's role "user" only the conversation named by the username.
"""

from __future__ import annotations

import datetime as dt

import jwt

ALGORITHM = "HS256"


def api_headers(
    secret: str, *, username: str = "billing-admin", role: str = "admin", ttl_seconds: int = 300
) -> dict[str, str]:
    now = dt.datetime.now(dt.timezone.utc)
    claims = {
        "user": {"username": username, "role": role},
        "iat": now,
        "exp": now + dt.timedelta(seconds=ttl_seconds),
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm=ALGORITHM)}"}
