from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import owned_account
from ..models import Member
from ..plans import create_plan, eligibility, plan_out
from ..settings import BillingSettings
from .deps import AccountNumber, acting_member, get_now, get_session, get_settings

router = APIRouter(
    prefix="/accounts/{account_number}", tags=["payment plans"], responses={404: {"model": schemas.ErrorBody}}
)


@router.get("/payment-plan-eligibility", response_model=schemas.PlanEligibilityOut)
def plan_eligibility(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.PlanEligibilityOut:
    """Whether the account can start a plan, and the terms offered, each with its first due date."""
    return eligibility(session, settings, owned_account(session, member, account_number), now)


@router.post(
    "/payment-plans",
    response_model=schemas.PlanOut,
    status_code=201,
    responses={409: {"model": schemas.ErrorBody}, 422: {"model": schemas.ErrorBody}},
)
def new_plan(
    account_number: AccountNumber,
    body: schemas.PlanRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.PlanOut:
    """Creates a 0% plan over one of the offered terms and records its schedule."""
    account = owned_account(session, member, account_number)
    return plan_out(create_plan(session, settings, account, now, body.months), account)
