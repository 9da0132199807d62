"""Demo website: guest or "signed in" as a demo member, with the chat widget.

The browser holds a chat session token (cookie, signed with CHAT_SESSION_SECRET) naming an unguessable
conversation id, bound to the member when signed in; the page hands the widget that token and a
short-lived member token (MEMBER_TOKEN_SECRET) bound to the same conversation. Signing in or out starts
a new conversation and revokes the old session token, so an old cookie cannot continue it.
"""

from __future__ import annotations

import html
import os
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.billing_client import BillingClient, BillingRefused, BillingUnavailable
from assistant.chat_session_revocations import ChatSessionRevocations
from assistant.chat_sessions import LIFETIME, ChatSession, new_session_token, read_session_token
from assistant.member_tokens import issue_member_token

from .demo_members import DemoChoice, demo_choices, verified_member_number
from .forgery import form_token, same_origin, valid_form_token
from .security_headers import security_headers

HERE = Path(__file__).resolve().parent
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
STATIC_FILES = {"widget.js", "widget.css", "site.css"}
COOKIE = "chat_session"
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


def create_app(
    *,
    session_secret: str | None = None,
    member_token_secret: str | None = None,
    chat_url: str | None = None,
    secure_cookies: bool = False,
    own_origins: Iterable[str] | None = None,
    revocations: ChatSessionRevocations | None = None,
    billing: Callable[[], BillingClient] | None = None,
) -> FastAPI:
    session_secret = session_secret or os.environ["CHAT_SESSION_SECRET"]
    member_token_secret = member_token_secret or os.environ["MEMBER_TOKEN_SECRET"]
    if session_secret == member_token_secret:
        raise ValueError("CHAT_SESSION_SECRET and MEMBER_TOKEN_SECRET must differ")
    chat_url = chat_url or os.environ.get("CHAT_SOCKET_URL", "http://localhost:5005")
    own_origins = list(
        own_origins
        or [o.strip() for o in os.environ.get("WEBSITE_ORIGINS", DEFAULT_ORIGINS).split(",") if o.strip()]
    )
    revocations = revocations or ChatSessionRevocations()
    billing = billing or BillingClient.from_env
    choices = demo_choices()
    headers = security_headers(chat_url)
    page = (HERE / "page.html").read_text()
    app = FastAPI(title="Demo billing website", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def with_security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(headers)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # pages carry form tokens, the API chat tokens
        return response

    def live_session(request: Request) -> ChatSession | None:
        session = read_session_token(request.cookies.get(COOKIE, ""), session_secret)
        if session is None or revocations.is_revoked(session.conversation_id):
            return None
        return session

    def new_session(member: str | None = None, name: str | None = None) -> tuple[str, ChatSession]:
        token = new_session_token(session_secret, member, display_name=name)
        session = read_session_token(token, session_secret)
        if session is None:  # a token made a line above with our own secret always reads back
            raise RuntimeError("a new chat session token did not read back")
        return token, session

    def with_cookie(response: Response, token: str) -> Response:
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=secure_cookies,
            max_age=int(LIFETIME.total_seconds()),
            path="/",
        )
        return response

    def own_form(
        request: Request, session: ChatSession | None, submitted: str | None
    ) -> ChatSession | Response:
        """The session posting one of our own forms, or the refusal for a post another site could make."""
        if (
            session is None
            or not same_origin(request.headers, own_origins)
            or not valid_form_token(session_secret, session.conversation_id, submitted)
        ):
            return JSONResponse(
                {"reason": "forbidden_form", "message": "Reload the page and try again."}, 403
            )
        return session

    def account_section(session: ChatSession) -> str:
        token = html.escape(form_token(session_secret, session.conversation_id))
        hidden = f'<input type="hidden" name="form_token" value="{token}">'
        if session.member_number:
            name = html.escape(session.display_name or "")
            return (
                f"<p>Signed in as <strong>{name}</strong>.</p>"
                f'<form method="post" action="/sign-out">{hidden}'
                '<button type="submit">Sign out</button></form>'
            )
        options = "".join(
            f'<option value="{html.escape(c.key)}">{html.escape(c.name)}</option>' for c in choices.values()
        )
        return (
            '<form method="post" action="/sign-in"><label for="member">Sign in as demo member</label> '
            f'<select id="member" name="member">{options}</select> {hidden}'
            '<button type="submit">Sign in</button></form><p>Or chat as a guest below.</p>'
        )

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        session, token = live_session(request), None
        if session is None:
            token, session = new_session()
        response = HTMLResponse(page.replace("{{account}}", account_section(session)))
        return with_cookie(response, token) if token else response

    @app.post("/sign-in")
    async def sign_in(
        request: Request, member: str = Form(...), submitted: str = Form("", alias="form_token")
    ) -> Response:
        session = own_form(request, await run_in_threadpool(live_session, request), submitted)
        if isinstance(session, Response):
            return session
        choice: DemoChoice | None = choices.get(member)
        if choice is None:
            return JSONResponse({"reason": "unknown_member", "message": "No demo member has that name."}, 400)
        client = billing()
        try:
            number = await verified_member_number(
                client, choice, request.client.host if request.client else None
            )
        except (
            BillingRefused
        ) as error:  # the README's answers refused: a misconfigured demo, or too many tries
            return JSONResponse(
                {"reason": "not_verified", "message": f"The billing service refused: {error.message}"},
                429 if error.status_code == 429 else 502,
            )
        except BillingUnavailable:
            return JSONResponse(
                {
                    "reason": "billing_unavailable",
                    "message": "The billing service is not answering; try again shortly.",
                },
                503,
            )
        finally:
            await client.aclose()
        await run_in_threadpool(revocations.revoke, session.conversation_id, session.expires_at)
        token, _ = new_session(number, choice.name)
        return with_cookie(RedirectResponse("/", status_code=303), token)

    @app.post("/sign-out")
    def sign_out(request: Request, submitted: str = Form("", alias="form_token")) -> Response:
        session = own_form(request, live_session(request), submitted)
        if isinstance(session, Response):
            return session
        revocations.revoke(session.conversation_id, session.expires_at)
        token, _ = new_session()
        return with_cookie(RedirectResponse("/", status_code=303), token)

    @app.get("/api/chat-session", response_model=None)
    def chat_session(request: Request) -> Response | dict[str, str | None]:
        session = live_session(request)
        if session is None:
            return JSONResponse({"reason": "no_session", "message": "Reload the page to start a chat."}, 401)
        member_token = (
            issue_member_token(
                session.member_number, member_token_secret, conversation_id=session.conversation_id
            )
            if session.member_number
            else None
        )
        return {
            "session_token": request.cookies[COOKIE],
            "member_token": member_token,
            "socket_url": chat_url,
            "conversation_id": session.conversation_id,
        }

    @app.get("/static/socket.io.min.js")
    def socket_io_client() -> FileResponse:
        return FileResponse(SOCKET_IO_CLIENT, media_type="application/javascript")

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            return JSONResponse({"reason": "not_found", "message": "No such file."}, 404)
        return FileResponse(HERE / "static" / name)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
