"""Headers on every answer: the desk runs only its own scripts (htmx and desk.js, no inline script), is
never framed (clickjacking), and pages with conversations are not cached or leaked through referrers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

HEADERS = {
    # htmx adds a small <style> for its request indicators, hence inline styles only.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


async def add_security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.update(HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
