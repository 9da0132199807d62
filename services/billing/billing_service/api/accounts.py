from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import get_statement, list_statements, owned_account, set_paperless, statement_out, summarise
from ..models import Member
from ..payments import history, receipt
from ..settings import BillingSettings
from .deps import AccountNumber, ConfirmationNumber, StatementId, acting_member, get_session, get_settings

router = APIRouter(prefix="/accounts", tags=["accounts"], responses={404: {"model": schemas.ErrorBody}})


@router.get("/{account_number}", response_model=schemas.AccountSummary)
def account(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    member: Member = Depends(acting_member),
) -> schemas.AccountSummary:
    """Balance (derived from the ledger), due date, minimum due, and what can be started on it."""
    return summarise(session, settings, owned_account(session, member, account_number))


@router.get("/{account_number}/statements", response_model=list[schemas.StatementOut])
def statements(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    member: Member = Depends(acting_member),
) -> list[schemas.StatementOut]:
    """Statements, newest first, each with its line items."""
    return list_statements(session, owned_account(session, member, account_number))


@router.get("/{account_number}/statements/{statement_id}", response_model=schemas.StatementOut)
def statement(
    account_number: AccountNumber,
    statement_id: StatementId,
    session: Session = Depends(get_session),
    member: Member = Depends(acting_member),
) -> schemas.StatementOut:
    return statement_out(get_statement(session, owned_account(session, member, account_number), statement_id))


@router.put("/{account_number}/paperless", response_model=schemas.AccountSummary)
def paperless(
    account_number: AccountNumber,
    body: schemas.PaperlessRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    member: Member = Depends(acting_member),
) -> schemas.AccountSummary:
    return set_paperless(session, settings, owned_account(session, member, account_number), body.enabled)


@router.get("/{account_number}/payments", response_model=list[schemas.PaymentOut])
def payment_history(
    account_number: AccountNumber,
    session: Session = Depends(get_session),
    member: Member = Depends(acting_member),
) -> list[schemas.PaymentOut]:
    """Every payment attempt on the account, newest first."""
    return history(session, owned_account(session, member, account_number))


@router.get("/{account_number}/payments/{confirmation_number}", response_model=schemas.ReceiptOut)
def payment_receipt(
    account_number: AccountNumber,
    confirmation_number: ConfirmationNumber,
    session: Session = Depends(get_session),
    member: Member = Depends(acting_member),
) -> schemas.ReceiptOut:
    return receipt(session, owned_account(session, member, account_number), confirmation_number)
