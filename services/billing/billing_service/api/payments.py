from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Response
from sqlalchemy.orm import Session

from .. import schemas
from ..errors import BillingError
from ..models import Member
from ..payments import pay, payment_out
from ..processor import PaymentProcessor
from .deps import acting_member, get_now, get_processor, get_session

router = APIRouter(tags=["payments"])


class MissingIdempotencyKey(BillingError):
    status_code = 400


@router.post(
    "/payments",
    response_model=schemas.PaymentOut,
    status_code=201,
    responses={
        200: {"model": schemas.PaymentOut, "description": "A replay of an earlier request"},
        400: {"model": schemas.ErrorBody},
        403: {"model": schemas.ErrorBody},
        404: {"model": schemas.ErrorBody},
        409: {"model": schemas.ErrorBody},
        422: {"model": schemas.ErrorBody},
    },
)
def create_payment(
    body: schemas.PaymentRequest,
    response: Response,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    session: Session = Depends(get_session),
    processor: PaymentProcessor = Depends(get_processor),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.PaymentOut:
    """Charges a saved payment method. The same Idempotency-Key with the same body returns the first
    result (200); with a different body it is refused (409). Keys are scoped to the member and the account:
    the same key elsewhere is a different key. Keys starting with an internal prefix are refused (422).
    A declined charge is a 201 whose status says so: it is a recorded outcome, not a malformed request."""
    if not idempotency_key or not 8 <= len(idempotency_key) <= 200:
        raise MissingIdempotencyKey(
            "missing_idempotency_key", "Send an Idempotency-Key header of 8 to 200 characters."
        )
    payment, replayed = pay(
        session,
        processor,
        now,
        member=member,
        account_number=body.account_number,
        payment_method_id=body.payment_method_id,
        amount_cents=body.amount_cents,
        idempotency_key=idempotency_key,
    )
    if replayed:
        response.status_code = 200
    return payment_out(session, payment)
