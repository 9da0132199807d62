"""The desk's FastAPI app: routers, error pages, and the clients and engines it holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..billing_api import BillingCases, BillingUnreachable
from ..db import make_engine, session_factory
from ..handoffs import HandoffError
from ..rasa_api import RasaConversations, RasaUnreachable, ReplyNotDelivered
from ..schema import migrate
from ..settings import DeskSettings
from . import audit_routes, auth_routes, availability_routes, conversation_routes, queue_routes
from .deps import NotSignedIn, Refused
from .pages import render
from .security_headers import add_security_headers

STATIC = Path(__file__).resolve().parent.parent / "static"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def create_app(
    settings: DeskSettings,
    *,
    clock: Callable[[], dt.datetime] = utc_now,
    billing_transport: httpx.AsyncBaseTransport | None = None,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
    migrate_schema: bool = True,
) -> FastAPI:
    app = FastAPI(title="Agent desk", docs_url=None, redoc_url=None, openapi_url=None)
    if migrate_schema:  # tests migrate one database and copy it
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.clock = clock
    app.state.desk_engine = engine
    app.state.desk_sessions = session_factory(engine)
    app.state.tracker_engine = make_engine(settings.tracker_database_url)
    app.state.billing = BillingCases(settings.billing_url, settings.billing_api_token, billing_transport)
    app.state.rasa = RasaConversations(settings.rasa_url, settings.rasa_jwt_secret, rasa_transport)
    app.state.sse_interval = 2.0
    app.state.sse_ticks = None  # forever; tests stop the stream after a few
    app.state.queue_sync_seconds = 1.5
    app.state.queue_synced_at = float("-inf")

    app.include_router(auth_routes.router)
    app.include_router(queue_routes.router)
    app.include_router(conversation_routes.router)
    app.include_router(audit_routes.router)
    app.include_router(availability_routes.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.middleware("http")(add_security_headers)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/queue", status_code=303)

    _error_pages(app)
    return app


def _wants_page(request: Request) -> bool:
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and not request.headers.get("HX-Request")
    )


def _error(request: Request, status_code: int, message: str) -> Response:
    if "text/html" in request.headers.get("accept", "") or request.headers.get("HX-Request"):
        return render(request, "error.html", None, status_code, message=message)
    return JSONResponse({"detail": message}, status_code=status_code)


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error_: NotSignedIn) -> Response:
        if _wants_page(request):
            return RedirectResponse("/login", status_code=303)
        return _error(request, 401, "Sign in to the desk first.")

    @app.exception_handler(Refused)
    async def refused(request: Request, error: Refused) -> Response:
        return _error(request, error.status_code, error.message)

    @app.exception_handler(HandoffError)
    async def handoff_error(request: Request, error: HandoffError) -> Response:
        return _error(request, error.status_code, str(error))

    @app.exception_handler(RasaUnreachable)
    async def rasa_unreachable(request: Request, _error_: RasaUnreachable) -> Response:
        return _error(request, 502, "The assistant's server did not take this; nothing changed. Try again.")

    @app.exception_handler(ReplyNotDelivered)
    async def reply_not_delivered(request: Request, error: ReplyNotDelivered) -> Response:
        return _error(
            request,
            409,
            f"Your reply was not delivered: {error.reason} Nothing was sent or added to the conversation; "
            "the case stays claimed by you.",
        )

    @app.exception_handler(BillingUnreachable)
    async def billing_unreachable(request: Request, _error_: BillingUnreachable) -> Response:
        return _error(request, 502, "The billing service did not answer; the case is still open. Try again.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in error.errors())
        return _error(request, 422, f"The request could not be read: {problems}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404:
            return _error(request, 404, "There is no such page.")
        return _error(request, error.status_code, str(error.detail))
