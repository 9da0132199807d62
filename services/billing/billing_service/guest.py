"""Guest payers: someone paying a member's bill learns the amount due and nothing else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from . import schemas
from .accounts import get_account, summarise
from .errors import NotFound, VerificationFailed
from .identity import ClientLimit, check_factors, client_subject, member_subject
from .ledger import payable_cents
from .models import Account, Member
from .settings import BillingSettings


def guest_limits(settings: BillingSettings, client: str) -> list[ClientLimit]:
    """Look-ups per client, found or not (walking account numbers), and failures per client."""
    subject = client_subject("guest", client)
    return [
        ClientLimit(
            subject,
            settings.guest_client_max_lookups,
            settings.guest_client_lookup_window_minutes,
            counts_successes=True,
        ),
        ClientLimit(
            subject, settings.guest_client_max_failures, settings.guest_client_failure_window_minutes
        ),
    ]


def find_guest_account(
    session: Session,
    settings: BillingSettings,
    now: dt.datetime,
    request: schemas.GuestRequest,
    client: str = "",
) -> Account:
    """Account number + the patient's last name or birth date; failures count toward the member's lockout."""
    try:
        account = get_account(session, request.account_number)
    except NotFound:
        account = None
    member = account.member if account else None

    def matches(m: Member) -> bool:
        if request.last_name is not None:
            return m.last_name.casefold() == request.last_name.casefold()
        return m.date_of_birth == request.date_of_birth

    check_factors(
        session,
        settings,
        now,
        member_subject(member, request.account_number),
        member,
        matches,
        guest_limits(settings, client),
    )
    if account is None:  # check_factors refuses an unknown account; this says so to the type checker too
        raise VerificationFailed()
    return account


def amount_due(session: Session, settings: BillingSettings, account: Account) -> schemas.GuestAmountOut:
    summary = summarise(session, settings, account)
    return schemas.GuestAmountOut(
        account_number=account.account_number,
        amount_due_cents=max(payable_cents(session, account.id), 0),
        due_date=summary.due_date,
    )
