from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..errors import Unprocessable
from ..guest import amount_due, find_guest_account
from ..ledger import payable_cents
from ..payment_links import create_link
from ..settings import BillingSettings
from .deps import client_id, get_now, get_session, get_settings

router = APIRouter(prefix="/guest", tags=["guest payment"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.ErrorBody},
    429: {"model": schemas.ErrorBody},
}


@router.post("/lookup", response_model=schemas.GuestAmountOut, responses=ERRORS)
def lookup(
    body: schemas.GuestRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    client: str = Depends(client_id),
) -> schemas.GuestAmountOut:
    """The amount due on an account, for a payer who knows its number and the patient's last name
    or birth date."""
    return amount_due(session, settings, find_guest_account(session, settings, now, body, client))


@router.post(
    "/payment-links",
    response_model=schemas.PaymentLinkOut,
    status_code=201,
    responses={**ERRORS, 422: {"model": schemas.ErrorBody}},
)
def guest_link(
    body: schemas.GuestRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    client: str = Depends(client_id),
) -> schemas.PaymentLinkOut:
    """A one-time link to the secure page where the guest pays with a card or bank account."""
    account = find_guest_account(session, settings, now, body, client)
    if payable_cents(session, account.id) <= 0:
        raise Unprocessable("nothing_owed", "This account has no balance to pay.")
    return create_link(
        session, settings, now, purpose="guest_payment", member=account.member, account=account
    )
