"""The billing service's FastAPI application."""
from __future__ import annotations

import logging
from typing import Optional

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .api import accounts, autopay, cases, guest, identity, members, pages, payments, plans
from .api.deps import require_api_token
from .body_limit import BodySizeLimit
from .clock import Clock, system_clock
from .db import make_engine, make_session_factory
from .errors import BillingError, TooManyAttempts
from .processor import PaymentProcessor, SandboxProcessor
from .settings import BillingSettings

log = logging.getLogger(__name__)


def create_app(settings: Optional[BillingSettings] = None, *, processor: Optional[PaymentProcessor] = None,
               clock: Clock = system_clock) -> FastAPI:
    settings = settings or BillingSettings()
    app = FastAPI(
        title="Health-plan billing service",
        version="1.0.0",
        description="Members, accounts, statements, payments, autopay, payment plans and guest payment. "
                    "Money is integer cents. Errors carry a machine-readable `reason`.",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = make_session_factory(app.state.engine)
    app.state.processor = processor or SandboxProcessor()
    app.state.clock = clock

    protected = [Depends(require_api_token)]
    for module in (identity, members, accounts, payments, autopay, plans, guest, cases):
        app.include_router(module.router, dependencies=protected)
    app.include_router(pages.router)

    @app.get("/health", tags=["health"])
    def health():
        return {"status": "ok"}

    _install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BillingError)
    async def billing_error(_request: Request, error: BillingError):
        headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, TooManyAttempts) else None
        return JSONResponse({"reason": error.reason, "message": error.message}, error.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError):
        problems = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in error.errors()]
        return JSONResponse({"reason": "invalid_request", "message": "The request is not valid.",
                             "problems": problems}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException):
        reason = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse({"reason": reason, "message": str(error.detail)}, error.status_code)
