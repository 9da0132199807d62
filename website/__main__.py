"""python -m website: the demo website on WEBSITE_HOST:WEBSITE_PORT (default 127.0.0.1:8080).

WEBSITE_SECURE_COOKIES=1 marks the session cookie Secure: set it whenever the site is served over HTTPS
(off by default so the cookie works on http://localhost)."""

import os

import uvicorn

from assistant.local_secrets import local_secret

from .app import create_app

if __name__ == "__main__":
    app = create_app(
        session_secret=local_secret("CHAT_SESSION_SECRET"),
        member_token_secret=local_secret("MEMBER_TOKEN_SECRET"),
        secure_cookies=os.environ.get("WEBSITE_SECURE_COOKIES", "") == "1",
    )
    uvicorn.run(
        app,
        host=os.environ.get("WEBSITE_HOST", "127.0.0.1"),
        port=int(os.environ.get("WEBSITE_PORT", "8080")),
        log_level="info",
    )
