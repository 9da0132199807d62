from __future__ import annotations

import datetime as dt
from typing import List

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import active_methods, get_account, get_member, member_out
from ..errors import NotFound
from ..payment_links import create_link
from ..settings import BillingSettings
from .deps import MemberNumber, get_now, get_session, get_settings

router = APIRouter(prefix="/members", tags=["members"], responses={404: {"model": schemas.ErrorBody}})


@router.get("/{member_number}", response_model=schemas.MemberOut)
def member(member_number: MemberNumber, session: Session = Depends(get_session)):
    """A verified member's profile and every account with what is owed on it."""
    return member_out(session, get_member(session, member_number))


@router.get("/{member_number}/payment-methods", response_model=List[schemas.PaymentMethodOut])
def payment_methods(member_number: MemberNumber, session: Session = Depends(get_session)):
    return active_methods(get_member(session, member_number))


@router.post("/{member_number}/payment-links", response_model=schemas.PaymentLinkOut, status_code=201)
def payment_link(member_number: MemberNumber, body: schemas.PaymentLinkRequest, session: Session = Depends(get_session),
                 settings: BillingSettings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    """A one-time, expiring link where the member adds a card or bank account outside the chat."""
    found = get_member(session, member_number)
    account = get_account(session, body.account_number) if body.account_number else None
    if account is not None and account.member_id != found.id:
        raise NotFound("unknown_account", "No account has that number.")
    return create_link(session, settings, now, purpose="save_method", member=found, account=account)
