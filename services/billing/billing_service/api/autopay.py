from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import owned_account
from ..autopay import autopay_out, cancel_autopay, get_autopay, run_autopay, set_autopay
from ..models import Member
from ..processor import PaymentProcessor
from .deps import AccountNumber, acting_member, get_now, get_processor, get_session

router = APIRouter(tags=["autopay"], responses={404: {"model": schemas.ErrorBody}})


@router.get("/accounts/{account_number}/autopay", response_model=schemas.AutopayOut)
def read_autopay(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.AutopayOut:
    return autopay_out(
        session, get_autopay(session, owned_account(session, member, account_number)), now.date()
    )


@router.put(
    "/accounts/{account_number}/autopay",
    response_model=schemas.AutopayOut,
    responses={422: {"model": schemas.ErrorBody}},
)
def write_autopay(
    account_number: AccountNumber,
    body: schemas.AutopayRequest,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.AutopayOut:
    """Sets up or changes autopay. A day past a month's end runs on that month's last day."""
    autopay = set_autopay(session, owned_account(session, member, account_number), now, body)
    return autopay_out(session, autopay, now.date())


@router.delete("/accounts/{account_number}/autopay", response_model=schemas.AutopayOut)
def delete_autopay(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.AutopayOut:
    """Turns autopay off; the instruction is kept so it can be turned on again."""
    autopay = cancel_autopay(session, owned_account(session, member, account_number), now)
    return autopay_out(session, autopay, now.date())


@router.post("/autopay/runs", response_model=list[schemas.AutopayRunResult])
def autopay_run(
    body: schemas.AutopayRunRequest,
    session: Session = Depends(get_session),
    processor: PaymentProcessor = Depends(get_processor),
    now: dt.datetime = Depends(get_now),
) -> list[schemas.AutopayRunResult]:
    """Charges what is due on run_date, once per account and monthly cycle (the scheduler calls this)."""
    return run_autopay(session, processor, now, body.run_date)
