"""Headers on every response the website serves: a strict Content-Security-Policy (our scripts and
styles only, no inline code; the socket may reach only the chat server; no framing), no referrer to
other sites (not no-referrer: browsers would then send `Origin: null` and the form guard needs ours),
no MIME sniffing. The app adds Cache-Control: no-store to everything but static files."""

from __future__ import annotations

from urllib.parse import urlsplit


def websocket_origin(http_origin: str) -> str:
    parts = urlsplit(http_origin)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


def security_headers(chat_url: str) -> dict[str, str]:
    parts = urlsplit(chat_url)
    chat_origin = f"{parts.scheme}://{parts.netloc}"
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {chat_origin} {websocket_origin(chat_origin)}",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
