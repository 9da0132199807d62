"""Demo website: guest or "signed in" as a demo member, with the chat widget.

The browser holds a chat session token (cookie) naming an unguessable conversation id, bound to the
member when signed in; the page hands the widget that token and a short-lived member token.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from ..billing.seed import DEMO_MEMBERS
from ..chat_sessions import new_session_token, read_session_token
from ..member_tokens import issue_member_token

HERE = Path(__file__).resolve().parent
SOCKET_IO_CLIENT = HERE.parents[1] / "website" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
COOKIE = "chat_session"
MEMBERS = {m.member_number: f"{m.first_name} {m.last_name}" for m in DEMO_MEMBERS}


def create_app(secret: Optional[str] = None, chat_url: Optional[str] = None, secure_cookies: bool = False) -> FastAPI:
    secret = secret or os.environ["MEMBER_TOKEN_SECRET"]
    chat_url = chat_url or os.environ.get("CHAT_SOCKET_URL", "http://localhost:5005")
    app = FastAPI(title="Demo billing website", docs_url=None, redoc_url=None, openapi_url=None)
    page = (HERE / "page.html").read_text()

    def session_of(request: Request):
        return read_session_token(request.cookies.get(COOKIE, ""), secret)

    def with_session(response: Response, member: Optional[str]) -> Response:
        response.set_cookie(COOKIE, new_session_token(secret, member), httponly=True, samesite="lax",
                            secure=secure_cookies, max_age=12 * 3600)
        return response

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        session = session_of(request)
        member = session.member_number if session else None
        options = "".join(f'<option value="{html.escape(n)}">{html.escape(name)} ({n})</option>'
                          for n, name in MEMBERS.items())
        signed_in = (f'<p>Signed in as <strong>{html.escape(MEMBERS.get(member, member))}</strong>.</p>'
                     '<form method="post" action="/sign-out"><button type="submit">Sign out</button></form>'
                     if member else
                     '<form method="post" action="/sign-in"><label for="member">Demo member</label> '
                     f'<select id="member" name="member">{options}</select> '
                     '<button type="submit">Sign in</button></form><p>Or chat as a guest below.</p>')
        body = page.replace("{{account}}", signed_in)
        response = HTMLResponse(body)
        return response if session else with_session(response, None)

    @app.post("/sign-in")
    def sign_in(member: str = Form(...)):
        if member not in MEMBERS:
            return JSONResponse({"reason": "unknown_member", "message": "No demo member has that number."}, 400)
        return with_session(RedirectResponse("/", status_code=303), member)

    @app.post("/sign-out")
    def sign_out():
        return with_session(RedirectResponse("/", status_code=303), None)

    @app.get("/api/chat-session")
    def chat_session(request: Request):
        token = request.cookies.get(COOKIE, "")
        session = read_session_token(token, secret)
        if session is None:
            return JSONResponse({"reason": "no_session", "message": "Reload the page to start a chat."}, 401)
        member_token = issue_member_token(session.member_number, secret) if session.member_number else None
        return {"session_token": token, "member_token": member_token, "socket_url": chat_url,
                "conversation_id": session.conversation_id}

    @app.get("/static/socket.io.min.js")
    def socket_io_client():
        return FileResponse(SOCKET_IO_CLIENT, media_type="application/javascript")

    @app.get("/static/{name}")
    def static(name: str):
        path = HERE / "static" / name
        if name not in {"widget.js", "widget.css"}:
            return JSONResponse({"reason": "not_found", "message": "No such file."}, 404)
        return FileResponse(path)

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
