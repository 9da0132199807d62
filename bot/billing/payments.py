"""One-time payments: idempotent, never above what is owed, serialised per account."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import schemas
from .accounts import get_account, method_display
from .errors import Conflict, NotFound, Unprocessable
from .ledger import balance_cents, record_payment
from .models import Account, Payment, PaymentMethod
from .processor import PaymentProcessor


def fingerprint(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def pay(session: Session, processor: PaymentProcessor, now: dt.datetime, *, account_number: str,
        payment_method_id: int, amount_cents: int, idempotency_key: str, source: str = "member") -> tuple:
    """Charges a saved method. Returns (payment, replayed)."""
    request_fingerprint = fingerprint(account=account_number.upper(), method=payment_method_id,
                                      amount=amount_cents, source=source)
    account = get_account(session, account_number, for_update=True)
    # Checked under the account lock, so a retry racing its original sees the first result.
    existing = session.execute(select(Payment).where(Payment.idempotency_key == idempotency_key)).scalar_one_or_none()
    if existing is not None:
        if existing.request_fingerprint != request_fingerprint:
            session.rollback()
            raise Conflict("idempotency_key_reused", "That idempotency key was used for a different payment.")
        session.rollback()
        return existing, True

    method = session.get(PaymentMethod, payment_method_id)
    if method is None or method.removed_at is not None or not _may_use(method, account, source):
        session.rollback()
        raise Unprocessable("unknown_payment_method", "That payment method is not on file for this member.")
    owed = balance_cents(session, account.id)
    if owed <= 0:
        session.rollback()
        raise Unprocessable("nothing_owed", "This account has no balance to pay.")
    if amount_cents > owed:
        session.rollback()
        raise Unprocessable("amount_exceeds_balance",
                            f"The most that can be paid on this account now is {owed} cents.")

    result = processor.charge(session, method.processor_token, amount_cents, idempotency_key)
    payment = Payment(
        account_id=account.id, payment_method_id=method.id, amount_cents=amount_cents, status=result.status,
        failure_reason=result.reason, confirmation_number=_confirmation_number(),
        processor_reference=result.reference, idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint, source=source, created_at=now,
    )
    session.add(payment)
    session.flush()
    if result.status == "succeeded":
        record_payment(session, account.id, amount_cents, payment.id, now)
    try:
        session.commit()
    except IntegrityError:
        # Another transaction stored this key first (possible only without row locks).
        session.rollback()
        return pay(session, processor, now, account_number=account_number, payment_method_id=payment_method_id,
                   amount_cents=amount_cents, idempotency_key=idempotency_key, source=source)
    return payment, False


def _may_use(method: PaymentMethod, account: Account, source: str) -> bool:
    if source == "guest":
        return method.member_id is None
    return method.member_id == account.member_id


def _confirmation_number() -> str:
    return "KP" + secrets.token_hex(5).upper()


def payment_out(session: Session, payment: Payment) -> schemas.PaymentOut:
    return schemas.PaymentOut(
        confirmation_number=payment.confirmation_number, account_number=payment.account.account_number,
        amount_cents=payment.amount_cents, status=payment.status, failure_reason=payment.failure_reason,
        payment_method=method_display(payment.payment_method), source=payment.source,
        created_at=payment.created_at, balance_after_cents=balance_cents(session, payment.account_id),
    )


def history(session: Session, account: Account) -> list:
    payments = session.execute(
        select(Payment).where(Payment.account_id == account.id).order_by(Payment.created_at.desc(), Payment.id.desc())
    ).scalars()
    return [payment_out(session, p) for p in payments]


def receipt(session: Session, account: Account, confirmation_number: str) -> schemas.ReceiptOut:
    payment = session.execute(
        select(Payment).where(Payment.confirmation_number == confirmation_number.upper(),
                              Payment.account_id == account.id)
    ).scalar_one_or_none()
    if payment is None:
        raise NotFound("unknown_payment", "This account has no payment with that confirmation number.")
    member = payment.account.member
    return schemas.ReceiptOut(**payment_out(session, payment).dict(),
                              member_name=f"{member.first_name} {member.last_name}", email=member.email)
