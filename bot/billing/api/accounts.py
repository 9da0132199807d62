from __future__ import annotations

from typing import List

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import get_account, get_statement, list_statements, set_paperless, statement_out, summarise
from ..payments import history, receipt
from .deps import AccountNumber, StatementId, ConfirmationNumber, get_session

router = APIRouter(prefix="/accounts", tags=["accounts"], responses={404: {"model": schemas.ErrorBody}})


@router.get("/{account_number}", response_model=schemas.AccountSummary)
def account(account_number: AccountNumber, session: Session = Depends(get_session)):
    """Balance (derived from the ledger), due date and minimum due."""
    return summarise(session, get_account(session, account_number))


@router.get("/{account_number}/statements", response_model=List[schemas.StatementOut])
def statements(account_number: AccountNumber, session: Session = Depends(get_session)):
    """Statements, newest first, each with its line items."""
    return list_statements(session, get_account(session, account_number))


@router.get("/{account_number}/statements/{statement_id}", response_model=schemas.StatementOut)
def statement(account_number: AccountNumber, statement_id: StatementId, session: Session = Depends(get_session)):
    return statement_out(get_statement(session, get_account(session, account_number), statement_id))


@router.put("/{account_number}/paperless", response_model=schemas.AccountSummary)
def paperless(account_number: AccountNumber, body: schemas.PaperlessRequest, session: Session = Depends(get_session)):
    return set_paperless(session, get_account(session, account_number), body.enabled)


@router.get("/{account_number}/payments", response_model=List[schemas.PaymentOut])
def payment_history(account_number: AccountNumber, session: Session = Depends(get_session)):
    """Every payment attempt on the account, newest first."""
    return history(session, get_account(session, account_number))


@router.get("/{account_number}/payments/{confirmation_number}", response_model=schemas.ReceiptOut)
def payment_receipt(account_number: AccountNumber, confirmation_number: ConfirmationNumber, session: Session = Depends(get_session)):
    return receipt(session, get_account(session, account_number), confirmation_number)
