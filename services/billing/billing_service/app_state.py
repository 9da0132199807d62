"""What the API app and the payment-page app share: database, clock, processor, host check, error answers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .admission import Admission
from .body_limit import BodySizeLimit
from .clock import Clock
from .db import make_engine, make_session_factory
from .errors import BillingError, TooManyAttempts
from .processor import PaymentProcessor
from .settings import BillingSettings

logger = logging.getLogger(__name__)


def attach_state(app: FastAPI, settings: BillingSettings, processor: PaymentProcessor, clock: Clock) -> None:
    app.state.settings = settings
    app.state.engine = make_engine(
        settings.database_url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )
    app.state.session_factory = make_session_factory(app.state.engine)
    # GET requests read without SQLite's write lock.
    app.state.read_session_factory = make_session_factory(app.state.engine, read_only=True)
    app.state.processor = processor
    app.state.clock = clock

    # response_model=None: the health answer stays outside the documented billing contract
    @app.get("/health", tags=["health"], response_model=None)
    def health() -> dict[str, str]:
        return {"status": "ok"}


def install_guards(app: FastAPI, settings: BillingSettings, allowed_hosts: list[str]) -> None:
    """Errors as 4xx with a reason, bodies limited, and only the expected Host headers (DNS rebinding)."""
    _install_error_handlers(app)
    # Added first, so it runs innermost: requests refused by the guards below never wait for a turn.
    app.add_middleware(Admission, concurrent_requests=settings.concurrent_requests)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BillingError)
    async def billing_error(_request: Request, error: BillingError) -> JSONResponse:
        headers = (
            {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, TooManyAttempts) else None
        )
        return JSONResponse(
            {"reason": error.reason, "message": error.message}, error.status_code, headers=headers
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def database_unavailable(_request: Request, _error: Exception) -> JSONResponse:
        # The database is restarting, unreachable or (SQLite) locked too long: the open transaction is
        # rolled back. 503 says try again; a payment retried with its Idempotency-Key is never charged twice.
        logger.exception("database unavailable")
        return JSONResponse(
            {"reason": "database_unavailable", "message": "The billing database is unavailable; try again."},
            503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in error.errors()
        ]
        return JSONResponse(
            {"reason": "invalid_request", "message": "The request is not valid.", "problems": problems}, 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        reason = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse({"reason": reason, "message": str(error.detail)}, error.status_code)
