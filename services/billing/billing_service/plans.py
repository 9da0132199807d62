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


def eligibility(session: Session, settings: BillingSettings, account: Account) -> schemas.PlanEligibilityOut:
    balance = balance_cents(session, account.id)
    reason = None
    if active_plan(session, account.id) is not None:
        reason = "plan_exists"
    elif balance < settings.plan_min_balance_cents:
        reason = "balance_below_minimum"
    options = [] if reason else [
        schemas.PlanOption(months=m, monthly_cents=_first_installment(balance, m))
        for m in range(settings.plan_min_months, settings.plan_max_months + 1)
        if balance // m >= settings.plan_min_monthly_cents
    ]
    if reason is None and not options:
        reason = "balance_below_minimum"
    return schemas.PlanEligibilityOut(eligible=reason is None, reason=reason, balance_cents=balance,
                                      min_balance_cents=settings.plan_min_balance_cents, options=options)


def create_plan(session: Session, settings: BillingSettings, account: Account, now: dt.datetime,
                months: int) -> PaymentPlan:
    offer = eligibility(session, settings, account)
    if not offer.eligible:
        if offer.reason == "plan_exists":
            raise _plan_exists()
        raise Unprocessable(offer.reason, "This balance is too small for a payment plan.")
    if months not in {o.months for o in offer.options}:
        raise Unprocessable("invalid_term", "Choose a term from the offered options.")
    plan = PaymentPlan(account_id=account.id, total_cents=offer.balance_cents, months=months, status="active",
                       created_at=now)
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request made the account's active plan first
        session.rollback()
        raise _plan_exists() from None
    base, remainder = divmod(offer.balance_cents, months)
    for index in range(months):
        year, month = add_months(now.year, now.month, index + 1)
        amount = base + (1 if index < remainder else 0)
        session.add(PlanInstallment(plan_id=plan.id, due_date=day_in_month(year, month, now.day), amount_cents=amount))
    session.commit()
    session.refresh(plan)
    return plan


def _plan_exists() -> Conflict:
    return Conflict("plan_exists", "This account already has an active payment plan.")


def active_plan(session: Session, account_id: int):
    return session.execute(
        select(PaymentPlan).where(PaymentPlan.account_id == account_id, PaymentPlan.status == "active")
    ).scalars().first()


def plan_out(plan: PaymentPlan, account: Account) -> schemas.PlanOut:
    return schemas.PlanOut(
        id=plan.id, account_number=account.account_number, total_cents=plan.total_cents, months=plan.months,
        status=plan.status,
        installments=[schemas.InstallmentOut(due_date=i.due_date, amount_cents=i.amount_cents)
                      for i in plan.installments],
    )


def _first_installment(balance: int, months: int) -> int:
    return -(-balance // months)
