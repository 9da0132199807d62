"""Guest payers: someone paying a member's bill learns the amount due and nothing else."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from . import schemas
from .accounts import get_account, summarise
from .errors import NotFound
from .identity import check_factors
from .models import Account
from .settings import BillingSettings


def find_guest_account(session: Session, settings: BillingSettings, now: dt.datetime,
                       request: schemas.GuestRequest) -> Account:
    """Account number + the patient's last name or date of birth; counts toward the same lockout."""
    try:
        account = get_account(session, request.account_number)
    except NotFound:
        account = None
    member = account.member if account else None

    def matches(m) -> bool:
        if request.last_name is not None:
            return m.last_name.casefold() == request.last_name.casefold()
        return m.date_of_birth == request.date_of_birth

    check_factors(session, settings, now, request.account_number.upper(), member, matches)
    return account


def amount_due(session: Session, account: Account) -> schemas.GuestAmountOut:
    summary = summarise(session, account)
    return schemas.GuestAmountOut(account_number=account.account_number,
                                  amount_due_cents=max(summary.balance_cents, 0), due_date=summary.due_date)
