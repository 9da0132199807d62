"""Request-scoped dependencies: the database session, the clock, settings and processor."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from ..accounts import get_member
from ..errors import BillingError, NotFound
from ..models import Member
from ..processor import PaymentProcessor
from ..schemas import IDENTIFIER_PATTERN
from ..settings import BillingSettings

# Path parameters: account, member and confirmation numbers are short and alphanumeric.
AccountNumber = Annotated[str, Path(pattern=IDENTIFIER_PATTERN, description="Account number")]
MemberNumber = Annotated[str, Path(pattern=IDENTIFIER_PATTERN, description="Member number")]
ConfirmationNumber = Annotated[
    str, Path(pattern=IDENTIFIER_PATTERN, description="Payment confirmation number")
]
StatementId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LinkToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_session(request: Request) -> Iterator[Session]:
    """Reads get a session that does not take SQLite's write lock; writes one that takes it up front."""
    factory = (
        request.app.state.read_session_factory
        if request.method in SAFE_METHODS
        else request.app.state.session_factory
    )
    session = factory()
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


def require_api_token(request: Request, authorization: str | None = Header(None)) -> None:
    """Service-to-service auth for the API, on when BILLING_API_TOKEN is set."""
    expected = request.app.state.settings.api_token
    if not expected:
        return
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("unauthorized", "A valid API token is required.")


class MemberRequired(BillingError):
    status_code = 403


def acting_member(
    x_member_number: str | None = Header(
        None,
        description="Required: the verified member the assistant acts for. Anything that is not "
        "that member's is answered 404 not_found.",
    ),
    session: Session = Depends(get_session),
) -> Member:
    """The member a member-scoped request acts for; the routes check that what they touch is theirs."""
    if not x_member_number:
        raise MemberRequired("member_required", "Send X-Member-Number naming the verified member.")
    if not re.fullmatch(IDENTIFIER_PATTERN, x_member_number):
        raise NotFound("not_found", "Nothing was found for this member.")
    return get_member(session, x_member_number)


def client_id(
    request: Request,
    x_client_id: str | None = Header(
        None,
        description="Who is typing (the assistant sends the conversation id); limits are counted per "
        "client. Without it, the peer address is the client.",
    ),
) -> str:
    if x_client_id:
        return "id:" + x_client_id[:200]
    return "ip:" + (request.client.host if request.client else "unknown")
