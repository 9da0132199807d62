"""Automatic payments: the member's standing instruction and the runner that charges it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import schemas
from .accounts import latest_statement, method_out, owned_method
from .calendar_days import add_months, day_in_month
from .errors import BillingError, NotFound, Unprocessable
from .ledger import payable_cents
from .models import Account, Autopay, AutopayRun, Payment, PaymentPlan
from .payments import pay
from .plans import active_plan
from .processor import PaymentProcessor


def get_autopay(session: Session, account: Account) -> Autopay:
    autopay = session.execute(select(Autopay).where(Autopay.account_id == account.id)).scalar_one_or_none()
    if autopay is None:
        raise NotFound("no_autopay", "Automatic payments are not set up on this account.")
    return autopay


def set_autopay(
    session: Session, account: Account, now: dt.datetime, request: schemas.AutopayRequest
) -> Autopay:
    method = owned_method(session, account.member_id, request.payment_method_id)
    autopay = session.execute(select(Autopay).where(Autopay.account_id == account.id)).scalar_one_or_none()
    if autopay is None:
        autopay = Autopay(account_id=account.id)
        session.add(autopay)
    autopay.payment_method_id = method.id
    autopay.day_of_month = request.day_of_month
    autopay.amount_rule = request.amount_rule
    autopay.fixed_amount_cents = request.fixed_amount_cents
    autopay.enabled = request.enabled
    autopay.updated_at = now
    session.commit()
    return autopay


def cancel_autopay(session: Session, account: Account, now: dt.datetime) -> Autopay:
    autopay = get_autopay(session, account)
    autopay.enabled = False
    autopay.updated_at = now
    session.commit()
    return autopay


def next_run_date(session: Session, autopay: Autopay, today: dt.date) -> dt.date | None:
    if not autopay.enabled:
        return None
    candidate = day_in_month(today.year, today.month, autopay.day_of_month)
    ran_this_cycle = session.execute(
        select(AutopayRun.id).where(
            AutopayRun.account_id == autopay.account_id, AutopayRun.cycle == _cycle(today)
        )
    ).first()
    if candidate < today or ran_this_cycle:
        year, month = add_months(today.year, today.month, 1)
        candidate = day_in_month(year, month, autopay.day_of_month)
    return candidate


def autopay_out(session: Session, autopay: Autopay, today: dt.date) -> schemas.AutopayOut:
    return schemas.AutopayOut(
        account_number=autopay.account.account_number,
        enabled=autopay.enabled,
        payment_method=method_out(autopay.payment_method),
        day_of_month=autopay.day_of_month,
        amount_rule=autopay.amount_rule,
        fixed_amount_cents=autopay.fixed_amount_cents,
        next_run_date=next_run_date(session, autopay, today),
    )


def run_autopay(
    session: Session, processor: PaymentProcessor, now: dt.datetime, run_date: dt.date
) -> list[schemas.AutopayRunResult]:
    """Charges every enabled autopay due on run_date, once per account and monthly cycle.

    Only today or earlier: a run for a future date would use up that cycle before its statement."""
    if run_date > now.date():
        raise Unprocessable("future_run_date", "Autopay runs only for today or an earlier date.")
    due = [
        a
        for a in session.execute(select(Autopay).where(Autopay.enabled.is_(True))).scalars()
        if day_in_month(run_date.year, run_date.month, a.day_of_month) == run_date
    ]
    return [result for autopay in due if (result := _run_one(session, processor, now, run_date, autopay))]


def _run_one(
    session: Session, processor: PaymentProcessor, now: dt.datetime, run_date: dt.date, autopay: Autopay
) -> schemas.AutopayRunResult | None:
    cycle = _cycle(run_date)
    account = autopay.account
    if session.execute(
        select(AutopayRun.id).where(AutopayRun.account_id == account.id, AutopayRun.cycle == cycle)
    ).first():
        return None
    owed = payable_cents(session, account.id)
    plan = active_plan(session, account.id)
    payment: Payment | None = None
    reason: str | None
    try:
        amount = _plan_amount(plan, run_date, owed) if plan is not None else _amount(session, autopay, owed)
        if owed <= 0:
            status, reason = "skipped", "nothing_owed"
        elif amount <= 0:
            status, reason = "skipped", "no_installment_due"
        else:
            # The key makes a crashed run's retry find its payment instead of charging again.
            payment, _ = pay(
                session,
                processor,
                now,
                account_number=account.account_number,
                payment_method_id=autopay.payment_method_id,
                amount_cents=amount,
                idempotency_key=f"autopay:{account.account_number}:{cycle}",
                source="autopay",
            )
            status, reason = payment.status, payment.failure_reason
    except BillingError as error:
        status, reason = "failed", error.reason
    run = AutopayRun(
        account_id=account.id,
        cycle=cycle,
        run_date=run_date,
        status=status,
        reason=reason,
        payment_id=payment.id if payment else None,
        created_at=now,
    )
    session.add(run)
    try:
        session.commit()
    except IntegrityError:  # a concurrent runner recorded this cycle first
        session.rollback()
        return None
    return schemas.AutopayRunResult(
        account_number=account.account_number,
        cycle=cycle,
        status=status,
        reason=reason,
        amount_cents=payment.amount_cents if payment else None,
        confirmation_number=payment.confirmation_number if payment else None,
    )


def _plan_amount(plan: PaymentPlan, run_date: dt.date, owed: int) -> int:
    """With an active plan autopay pays the plan: the instalment due in the run's month, whatever the
    rule (statement balance or fixed), capped at what is owed; a month without one is skipped."""
    due = sum(
        i.amount_cents
        for i in plan.installments
        if (i.due_date.year, i.due_date.month) == (run_date.year, run_date.month)
    )
    return min(due, owed)


def _amount(session: Session, autopay: Autopay, owed: int) -> int:
    if owed <= 0:
        return 0
    if autopay.amount_rule == "fixed":
        if autopay.fixed_amount_cents is None:  # the API requires it; a row without one is not guessed at
            raise Unprocessable("fixed_amount_missing", "The fixed autopay amount is missing.")
        return min(autopay.fixed_amount_cents, owed)
    statement = latest_statement(session, autopay.account_id)
    return min(statement.balance_due_cents if statement else owed, owed)


def _cycle(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
