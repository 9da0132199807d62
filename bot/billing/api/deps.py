"""Request-scoped dependencies: the database session, the clock, settings and processor."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Iterator, Optional

from typing_extensions import Annotated

from fastapi import Header, Path, Request
from sqlalchemy.orm import Session

from ..errors import BillingError
from ..processor import PaymentProcessor
from ..schemas import IDENTIFIER_PATTERN
from ..settings import BillingSettings

# Path parameters: account, member and confirmation numbers are short and alphanumeric.
AccountNumber = Annotated[str, Path(regex=IDENTIFIER_PATTERN, description="Account number")]
MemberNumber = Annotated[str, Path(regex=IDENTIFIER_PATTERN, description="Member number")]
ConfirmationNumber = Annotated[str, Path(regex=IDENTIFIER_PATTERN, description="Payment confirmation number")]
StatementId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LinkToken = Annotated[str, Path(regex=r"^[A-Za-z0-9_-]{1,64}$")]


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
