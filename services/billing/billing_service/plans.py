"""Payment plans: 0% interest instalments within the configured limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import schemas
from .calendar_days import add_months, day_in_month
from .errors import Conflict, Unprocessable
from .ledger import balance_cents
from .models import Account, PaymentPlan, PlanInstallment
from .settings import BillingSettings


def eligibility(
    session: Session, settings: BillingSettings, account: Account, now: dt.datetime
) -> schemas.PlanEligibilityOut:
    balance = balance_cents(session, account.id)
    reason = ineligible_reason(session, settings, account.id, balance)
    # The first instalment falls due a month from today, as the plan created today schedules it.
    first_due = installment_due_date(now, 0)
    options = (
        []
        if reason
        else [
            schemas.PlanOption(
                months=m, monthly_cents=_first_installment(balance, m), first_due_date=first_due
            )
            for m in offered_terms(settings, balance)
        ]
    )
    return schemas.PlanEligibilityOut(
        eligible=reason is None,
        reason=reason,
        balance_cents=balance,
        min_balance_cents=settings.plan_min_balance_cents,
        options=options,
    )


def ineligible_reason(
    session: Session, settings: BillingSettings, account_id: int, balance: int
) -> str | None:
    """Why the account cannot start a plan now (plan_exists, balance_below_minimum), or None when it can."""
    if active_plan(session, account_id) is not None:
        return "plan_exists"
    if balance < settings.plan_min_balance_cents or not offered_terms(settings, balance):
        return "balance_below_minimum"
    return None


def offered_terms(settings: BillingSettings, balance: int) -> list[int]:
    """The terms, in months, whose monthly payment is at least the plan's minimum."""
    return [
        m
        for m in range(settings.plan_min_months, settings.plan_max_months + 1)
        if balance // m >= settings.plan_min_monthly_cents
    ]


def installment_due_date(now: dt.datetime, index: int) -> dt.date:
    """When instalment `index` (0: the first) of a plan created at `now` is due: that day of a later month."""
    year, month = add_months(now.year, now.month, index + 1)
    return day_in_month(year, month, now.day)


def create_plan(
    session: Session, settings: BillingSettings, account: Account, now: dt.datetime, months: int
) -> PaymentPlan:
    offer = eligibility(session, settings, account, now)
    if offer.reason is not None:  # not eligible
        if offer.reason == "plan_exists":
            raise _plan_exists()
        raise Unprocessable(offer.reason, "This balance is too small for a payment plan.")
    if months not in {o.months for o in offer.options}:
        raise Unprocessable("invalid_term", "Choose a term from the offered options.")
    plan = PaymentPlan(
        account_id=account.id, total_cents=offer.balance_cents, months=months, status="active", created_at=now
    )
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request made the account's active plan first
        session.rollback()
        raise _plan_exists() from None
    base, remainder = divmod(offer.balance_cents, months)
    for index in range(months):
        amount = base + (1 if index < remainder else 0)
        session.add(
            PlanInstallment(plan_id=plan.id, due_date=installment_due_date(now, index), amount_cents=amount)
        )
    session.commit()
    session.refresh(plan)
    return plan


def _plan_exists() -> Conflict:
    return Conflict("plan_exists", "This account already has an active payment plan.")


def active_plan(session: Session, account_id: int) -> PaymentPlan | None:
    return (
        session.execute(
            select(PaymentPlan).where(PaymentPlan.account_id == account_id, PaymentPlan.status == "active")
        )
        .scalars()
        .first()
    )


def plan_out(plan: PaymentPlan, account: Account) -> schemas.PlanOut:
    return schemas.PlanOut(
        id=plan.id,
        account_number=account.account_number,
        total_cents=plan.total_cents,
        months=plan.months,
        status=plan.status,
        installments=[
            schemas.InstallmentOut(due_date=i.due_date, amount_cents=i.amount_cents)
            for i in plan.installments
        ],
    )


def _first_installment(balance: int, months: int) -> int:
    return -(-balance // months)
