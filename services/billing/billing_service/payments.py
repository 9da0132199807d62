"""One-time payments: idempotent, never above what is owed, serialised per account.

A payment is recorded "pending" under the account lock (its amount counts against the balance, so
concurrent payments still cannot overpay), committed, sent to the processor with no lock held, and
settled in a second short transaction. A payment left pending by a crash keeps its amount reserved
until someone settles it with the processor; a retry with the same key gets it back, never a new charge.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import schemas
from .accounts import get_account, method_display, not_found
from .errors import Conflict, NotFound, Unprocessable
from .ledger import balance_cents, payable_cents, record_payment
from .models import Account, Member, Payment, PaymentMethod
from .processor import ChargeResult, PaymentProcessor

# Keys the service makes itself; a caller may not pre-use them (e.g. to make a cycle's autopay fail).
RESERVED_KEY_PREFIXES = ("autopay:", "link:", "seed:")


def fingerprint(**fields: object) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def scoped_key(caller: str, account_id: int, idempotency_key: str) -> str:
    """Keys live per caller and account: the same key elsewhere is a different key."""
    return hashlib.sha256(f"{caller}\x1f{account_id}\x1f{idempotency_key}".encode()).hexdigest()


def pay(
    session: Session,
    processor: PaymentProcessor,
    now: dt.datetime,
    *,
    account_number: str,
    payment_method_id: int,
    amount_cents: int,
    idempotency_key: str,
    source: str = "member",
    member: Member | None = None,
) -> tuple[Payment, bool]:
    """Charges a saved method. Returns (payment, replayed). `member` is who a member payment acts for."""
    if source == "member" and idempotency_key.lower().startswith(RESERVED_KEY_PREFIXES):
        raise Unprocessable(
            "idempotency_key_reserved", "That idempotency key prefix is reserved for the service."
        )
    caller = f"member:{member.id}" if member is not None else source
    request_fingerprint = fingerprint(
        account=account_number.upper(), method=payment_method_id, amount=amount_cents, source=source
    )
    payment, created = _record_pending(
        session,
        now,
        caller=caller,
        member=member,
        account_number=account_number,
        payment_method_id=payment_method_id,
        amount_cents=amount_cents,
        idempotency_key=idempotency_key,
        source=source,
        request_fingerprint=request_fingerprint,
    )
    if not created:
        return payment, True
    # No transaction is open here: the processor may take its time without holding any lock.
    result = processor.charge(
        session, payment.payment_method.processor_token, amount_cents, payment.idempotency_key
    )
    session.commit()  # ends whatever the processor itself read
    return _settle(session, now, payment.id, result), False


def _record_pending(
    session: Session,
    now: dt.datetime,
    *,
    caller: str,
    member: Member | None,
    account_number: str,
    payment_method_id: int,
    amount_cents: int,
    idempotency_key: str,
    source: str,
    request_fingerprint: str,
) -> tuple[Payment, bool]:
    """Returns (payment, created): a payment this call recorded, or the one the key already names."""
    try:
        account = get_account(session, account_number, for_update=True)
    except NotFound:
        raise not_found() if member is not None else _unknown_account() from None
    if member is not None and account.member_id != member.id:
        session.rollback()
        raise not_found()
    key = scoped_key(caller, account.id, idempotency_key)
    # Checked under the account lock, so a retry racing its original sees the first result.
    existing = _by_key(session, key)
    if existing is not None:
        session.rollback()
        if existing.request_fingerprint != request_fingerprint:
            raise _key_reused()
        return existing, False

    method = session.get(PaymentMethod, payment_method_id)
    if method is None or method.removed_at is not None or not _may_use(method, account, source):
        session.rollback()
        raise (
            not_found()
            if member is not None
            else Unprocessable(
                "unknown_payment_method", "That payment method is not on file for this member."
            )
        )
    owed = payable_cents(session, account.id)
    if owed <= 0:
        session.rollback()
        raise Unprocessable("nothing_owed", "This account has no balance to pay.")
    if amount_cents > owed:
        session.rollback()
        raise Unprocessable(
            "amount_exceeds_balance", f"The most that can be paid on this account now is {owed} cents."
        )
    # The method is attached now: reading it after the commit would open a transaction during the charge.
    payment = Payment(
        account_id=account.id,
        payment_method=method,
        amount_cents=amount_cents,
        status="pending",
        confirmation_number=new_confirmation_number(),
        idempotency_key=key,
        request_fingerprint=request_fingerprint,
        source=source,
        created_at=now,
    )
    session.add(payment)
    try:
        session.commit()
    except IntegrityError:
        # Another transaction stored this key first (possible only without row locks).
        session.rollback()
        existing = _by_key(session, key)
        session.rollback()
        if existing is None:
            raise
        if existing.request_fingerprint != request_fingerprint:
            raise _key_reused() from None
        return existing, False
    return payment, True


def _by_key(session: Session, key: str) -> Payment | None:
    return session.execute(select(Payment).where(Payment.idempotency_key == key)).scalar_one_or_none()


def _settle(session: Session, now: dt.datetime, payment_id: int, result: ChargeResult) -> Payment:
    payment = session.get_one(Payment, payment_id)  # recorded and committed by this request
    # The account lock keeps "ledger less pending" consistent for a payment being checked meanwhile.
    session.execute(select(Account.id).where(Account.id == payment.account_id).with_for_update())
    payment.status = result.status
    payment.failure_reason = result.reason
    payment.processor_reference = result.reference
    if result.status == "succeeded":
        record_payment(session, payment.account_id, payment.amount_cents, payment.id, now)
    session.commit()
    return payment


def _key_reused() -> Conflict:
    return Conflict("idempotency_key_reused", "That idempotency key was used for a different payment.")


def _unknown_account() -> NotFound:
    return NotFound("unknown_account", "No account has that number.")


def _may_use(method: PaymentMethod, account: Account, source: str) -> bool:
    if source == "guest":
        return method.member_id is None
    return method.member_id == account.member_id


def new_confirmation_number() -> str:
    return "KP" + secrets.token_hex(5).upper()


def payment_out(session: Session, payment: Payment) -> schemas.PaymentOut:
    return schemas.PaymentOut(
        confirmation_number=payment.confirmation_number,
        account_number=payment.account.account_number,
        amount_cents=payment.amount_cents,
        status=payment.status,
        failure_reason=payment.failure_reason,
        payment_method=method_display(payment.payment_method),
        source=payment.source,
        created_at=payment.created_at,
        balance_after_cents=balance_cents(session, payment.account_id),
    )


def history(session: Session, account: Account) -> list[schemas.PaymentOut]:
    payments = session.execute(
        select(Payment)
        .where(Payment.account_id == account.id)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
    ).scalars()
    return [payment_out(session, p) for p in payments]


def receipt(session: Session, account: Account, confirmation_number: str) -> schemas.ReceiptOut:
    payment = session.execute(
        select(Payment).where(
            Payment.confirmation_number == confirmation_number.upper(), Payment.account_id == account.id
        )
    ).scalar_one_or_none()
    if payment is None:
        raise not_found()
    member = payment.account.member
    return schemas.ReceiptOut(
        **dataclasses.asdict(payment_out(session, payment)),
        member_name=f"{member.first_name} {member.last_name}",
        email=member.email,
    )
