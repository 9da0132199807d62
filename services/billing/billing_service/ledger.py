"""Balances derived from the append-only ledger."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import LedgerEntry, Payment


def balance_cents(session: Session, account_id: int) -> int:
    total = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
            LedgerEntry.account_id == account_id
        )
    ).scalar_one()
    return int(total)


def payable_cents(session: Session, account_id: int) -> int:
    """What may still be paid: the balance less payments sent to the processor and not yet settled.

    One statement, so both sums come from the same snapshot."""
    ledger = (
        select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0))
        .where(LedgerEntry.account_id == account_id)
        .scalar_subquery()
    )
    pending = (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.account_id == account_id, Payment.status == "pending")
        .scalar_subquery()
    )
    return int(session.execute(select(ledger - pending)).scalar_one())


def record_charge(
    session: Session,
    account_id: int,
    amount_cents: int,
    description: str,
    at: dt.datetime,
    statement_id: int | None = None,
) -> None:
    session.add(
        LedgerEntry(
            account_id=account_id,
            kind="charge",
            amount_cents=amount_cents,
            description=description,
            statement_id=statement_id,
            created_at=at,
        )
    )


def record_payment(
    session: Session, account_id: int, amount_cents: int, payment_id: int, at: dt.datetime
) -> None:
    session.add(
        LedgerEntry(
            account_id=account_id,
            kind="payment",
            amount_cents=-amount_cents,
            description="Payment",
            payment_id=payment_id,
            created_at=at,
        )
    )
