"""Response bodies of the billing API, declared once: the service answers with them (FastAPI validates and
documents them in /openapi.json) and the assistant's client reads its answers into them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Every body is @dataclass(frozen=True, kw_only=True): keyword-only, so a response gains fields without
# breaking callers that build it and a subclass may add required fields after defaulted ones (ReceiptOut).


@dataclass(frozen=True, kw_only=True)
class AccountSummary:
    account_number: str
    kind: str  # medical or premium
    region: str
    coverage_type: str | None
    balance_cents: int
    minimum_due_cents: int
    due_date: dt.date | None
    statement_balance_cents: int
    paperless: bool
    autopay_enabled: bool
    # What the member can start on this account, by the service's rules, so the assistant offers only that.
    can_pay: bool  # something is payable now (the balance, less payments still with the processor)
    plan_eligible: bool
    plan_ineligible_reason: str | None = None  # plan_exists or balance_below_minimum


@dataclass(frozen=True, kw_only=True)
class MemberOut:
    member_number: str
    first_name: str
    last_name: str
    region: str
    email: str | None
    phone: str | None
    accounts: list[AccountSummary]


@dataclass(frozen=True, kw_only=True)
class StatementLineOut:
    id: int
    service_date: dt.date
    provider: str
    procedure: str
    procedure_code: str
    # No diagnosis code: the chat never needs it, so it is not sent (data minimisation).
    charges_cents: int
    plan_paid_cents: int
    adjustments_cents: int
    member_owes_cents: int


@dataclass(frozen=True, kw_only=True)
class StatementOut:
    id: int
    account_number: str
    statement_date: dt.date
    due_date: dt.date
    balance_due_cents: int
    minimum_due_cents: int
    lines: list[StatementLineOut]


@dataclass(frozen=True, kw_only=True)
class PaymentMethodOut:
    id: int
    kind: str  # card or bank
    brand: str | None
    bank_name: str | None
    last4: str
    exp_month: int | None
    exp_year: int | None
    display: str  # how to say it, e.g. "Visa ending 4242"


@dataclass(frozen=True, kw_only=True)
class PaymentLinkOut:
    url: str
    expires_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class PaymentOut:
    confirmation_number: str
    account_number: str
    amount_cents: int
    # succeeded, declined or failed; pending while the processor is being asked (a replay may see it)
    status: str
    failure_reason: str | None = None  # card_declined, insufficient_funds or processing_error
    payment_method: str
    source: str
    created_at: dt.datetime
    balance_after_cents: int | None = None  # the account balance now


@dataclass(frozen=True, kw_only=True)
class ReceiptOut(PaymentOut):
    member_name: str
    email: str | None


@dataclass(frozen=True, kw_only=True)
class AutopayOut:
    account_number: str
    enabled: bool
    payment_method: PaymentMethodOut
    day_of_month: int
    amount_rule: str  # statement_balance or fixed
    fixed_amount_cents: int | None
    next_run_date: dt.date | None


@dataclass(frozen=True, kw_only=True)
class AutopayRunResult:
    account_number: str
    cycle: str
    status: str  # succeeded, declined, failed or skipped
    reason: str | None
    amount_cents: int | None
    confirmation_number: str | None


@dataclass(frozen=True, kw_only=True)
class PlanOption:
    months: int
    monthly_cents: int
    first_due_date: dt.date  # of the plan created today on this term


@dataclass(frozen=True, kw_only=True)
class PlanEligibilityOut:
    eligible: bool
    reason: str | None
    balance_cents: int
    min_balance_cents: int
    interest_rate_percent: int = 0
    options: list[PlanOption] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class InstallmentOut:
    due_date: dt.date
    amount_cents: int


@dataclass(frozen=True, kw_only=True)
class PlanOut:
    id: int
    account_number: str
    total_cents: int
    months: int
    status: str
    interest_rate_percent: int = 0
    installments: list[InstallmentOut]


@dataclass(frozen=True, kw_only=True)
class GuestAmountOut:
    account_number: str
    amount_due_cents: int
    due_date: dt.date | None


@dataclass(frozen=True, kw_only=True)
class AssistancePrescreenOut:
    """A non-binding financial-assistance pre-screen: household income against the plan's income limit."""

    household_size: int
    annual_income_cents: int
    income_limit_cents: int
    within_guideline: bool


@dataclass(frozen=True, kw_only=True)
class CaseOut:
    id: int
    kind: str  # handoff, dispute or due_date_extension
    status: str
    reason: str
    summary: str
    conversation_id: str | None
    member_number: str | None
    account_number: str | None
    created_at: dt.datetime
    open_ahead: int = 0  # open handoffs created before this one


@dataclass(frozen=True, kw_only=True)
class ErrorBody:
    reason: str  # machine-readable, e.g. amount_exceeds_balance
    message: str
