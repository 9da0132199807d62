"""Cross-site request forgery guard for the website's forms (sign in, sign out).

Two locks: a form token bound to the chat session (an HMAC of its conversation id, so a page on another
site cannot know it), and the Origin (or Referer) header, when the browser sends one, must be one of the
website's own origins. The session cookie is SameSite=Lax as well, so a cross-site POST carries no session.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit


def form_token(secret: str, conversation_id: str) -> str:
    return hmac.new(secret.encode(), f"form:{conversation_id}".encode(), hashlib.sha256).hexdigest()


def valid_form_token(secret: str, conversation_id: str, submitted: str | None) -> bool:
    return submitted is not None and hmac.compare_digest(form_token(secret, conversation_id), submitted)


def same_origin(headers: Mapping[str, str], own_origins: Iterable[str]) -> bool:
    """False when the request says it comes from another site; True when it names one of ours or
    says nothing (then the form token decides)."""
    origin = headers.get("origin")
    if not origin:
        referer = headers.get("referer")
        if not referer:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin.rstrip("/") in {o.rstrip("/") for o in own_origins}
