from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import active_methods, member_itself, member_out, owned_account
from ..models import Member
from ..payment_links import create_link
from ..settings import BillingSettings
from .deps import MemberNumber, acting_member, get_now, get_session, get_settings

router = APIRouter(
    prefix="/members",
    tags=["members"],
    responses={403: {"model": schemas.ErrorBody}, 404: {"model": schemas.ErrorBody}},
)


@router.get("/{member_number}", response_model=schemas.MemberOut)
def member(
    member_number: MemberNumber,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    acting: Member = Depends(acting_member),
) -> schemas.MemberOut:
    """A verified member's profile and every account with what is owed on it and what can be started."""
    return member_out(session, settings, member_itself(acting, member_number))


@router.get("/{member_number}/payment-methods", response_model=list[schemas.PaymentMethodOut])
def payment_methods(
    member_number: MemberNumber, acting: Member = Depends(acting_member)
) -> list[schemas.PaymentMethodOut]:
    return active_methods(member_itself(acting, member_number))


@router.post("/{member_number}/payment-links", response_model=schemas.PaymentLinkOut, status_code=201)
def payment_link(
    member_number: MemberNumber,
    body: schemas.PaymentLinkRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    acting: Member = Depends(acting_member),
) -> schemas.PaymentLinkOut:
    """A one-time, expiring link where the member adds a card or bank account outside the chat."""
    found = member_itself(acting, member_number)
    account = owned_account(session, found, body.account_number) if body.account_number else None
    return create_link(session, settings, now, purpose="save_method", member=found, account=account)
