"""Request-scoped dependencies: the database session, the clock, settings and processor."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Iterator, Optional

from fastapi import Header, Request
from sqlalchemy.orm import Session

from ..errors import BillingError
from ..processor import PaymentProcessor
from ..settings import BillingSettings


def get_session(request: Request) -> Iterator[Session]:
    session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def get_now(request: Request) -> dt.datetime:
    return request.app.state.clock()


def get_settings(request: Request) -> BillingSettings:
    return request.app.state.settings


def get_processor(request: Request) -> PaymentProcessor:
    return request.app.state.processor


class Unauthorized(BillingError):
    status_code = 401


def require_api_token(request: Request, authorization: Optional[str] = Header(None)) -> None:
    """Service-to-service auth for the API, on when BILLING_API_TOKEN is set."""
    expected = request.app.state.settings.api_token
    if not expected:
        return
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("unauthorized", "A valid API token is required.")
