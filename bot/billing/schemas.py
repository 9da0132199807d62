"""Request and response bodies of the billing API: the contract in /openapi.json."""
from __future__ import annotations

import datetime as dt
from typing import List, Optional

from pydantic import BaseModel, Extra, Field, conint, constr, root_validator

Cents = conint(strict=True, gt=0, le=100_000_000)
RowId = conint(strict=True, gt=0, le=2**31 - 1)
IDENTIFIER_PATTERN = r"^[A-Za-z0-9-]{1,20}$"
Identifier = constr(strip_whitespace=True, regex=IDENTIFIER_PATTERN)
Name = constr(strip_whitespace=True, regex=r"^[^\x00-\x1f]{1,80}$")
ZipCode = constr(strip_whitespace=True, regex=r"^\d{5}(-\d{4})?$")
IdempotencyKey = constr(min_length=8, max_length=200)


class Request(BaseModel):
    class Config:
        extra = Extra.forbid


class ErrorBody(BaseModel):
    reason: str = Field(..., description="Machine-readable reason, e.g. amount_exceeds_balance")
    message: str


# --- identity -------------------------------------------------------------------------

class VerifyRequest(Request):
    account_number: Optional[Identifier] = None
    medical_record_number: Optional[Identifier] = None
    date_of_birth: dt.date
    zip_code: ZipCode

    @root_validator(skip_on_failure=True)
    def one_identifier(cls, values):
        if bool(values.get("account_number")) == bool(values.get("medical_record_number")):
            raise ValueError("give exactly one of account_number or medical_record_number")
        return values


class AccountSummary(BaseModel):
    account_number: str
    kind: str = Field(..., description="medical or premium")
    region: str
    coverage_type: Optional[str]
    balance_cents: int
    minimum_due_cents: int
    due_date: Optional[dt.date]
    statement_balance_cents: int
    paperless: bool
    autopay_enabled: bool


class MemberOut(BaseModel):
    member_number: str
    first_name: str
    last_name: str
    region: str
    email: Optional[str]
    phone: Optional[str]
    accounts: List[AccountSummary]


# --- statements -----------------------------------------------------------------------

class StatementLineOut(BaseModel):
    class Config:
        orm_mode = True

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


class StatementOut(BaseModel):
    id: int
    account_number: str
    statement_date: dt.date
    due_date: dt.date
    balance_due_cents: int
    minimum_due_cents: int
    lines: List[StatementLineOut]


class PaperlessRequest(Request):
    enabled: bool


# --- payment methods and links --------------------------------------------------------

class PaymentMethodOut(BaseModel):
    id: int
    kind: str = Field(..., description="card or bank")
    brand: Optional[str]
    bank_name: Optional[str]
    last4: str
    exp_month: Optional[int]
    exp_year: Optional[int]
    display: str = Field(..., description='How to say it, e.g. "Visa ending 4242"')


class PaymentLinkRequest(Request):
    account_number: Optional[Identifier] = None


class PaymentLinkOut(BaseModel):
    url: str
    expires_at: dt.datetime


# --- payments -------------------------------------------------------------------------

class PaymentRequest(Request):
    account_number: Identifier
    payment_method_id: RowId
    amount_cents: Cents


class PaymentOut(BaseModel):
    confirmation_number: str
    account_number: str
    amount_cents: int
    status: str = Field(..., description="succeeded, declined or failed; pending while the processor is "
                                         "being asked (a replay may see it)")
    failure_reason: Optional[str] = Field(None, description="card_declined, insufficient_funds or processing_error")
    payment_method: str
    source: str
    created_at: dt.datetime
    balance_after_cents: Optional[int] = Field(None, description="The account balance now")


class ReceiptOut(PaymentOut):
    member_name: str
    email: Optional[str]


# --- autopay --------------------------------------------------------------------------

class AutopayRequest(Request):
    payment_method_id: RowId
    day_of_month: conint(strict=True, ge=1, le=31)
    amount_rule: constr(regex=r"^(statement_balance|fixed)$")
    fixed_amount_cents: Optional[Cents] = None
    enabled: bool = True

    @root_validator(skip_on_failure=True)
    def fixed_needs_amount(cls, values):
        fixed = values.get("amount_rule") == "fixed"
        if fixed != (values.get("fixed_amount_cents") is not None):
            raise ValueError("fixed_amount_cents is required for the fixed rule and only for it")
        return values


class AutopayOut(BaseModel):
    account_number: str
    enabled: bool
    payment_method: PaymentMethodOut
    day_of_month: int
    amount_rule: str
    fixed_amount_cents: Optional[int]
    next_run_date: Optional[dt.date]


class AutopayRunRequest(Request):
    run_date: dt.date


class AutopayRunResult(BaseModel):
    account_number: str
    cycle: str
    status: str = Field(..., description="succeeded, declined, failed or skipped")
    reason: Optional[str]
    amount_cents: Optional[int]
    confirmation_number: Optional[str]


# --- payment plans --------------------------------------------------------------------

class PlanOption(BaseModel):
    months: int
    monthly_cents: int


class PlanEligibilityOut(BaseModel):
    eligible: bool
    reason: Optional[str]
    balance_cents: int
    min_balance_cents: int
    interest_rate_percent: int = 0
    options: List[PlanOption]


class PlanRequest(Request):
    months: conint(strict=True, ge=1, le=60)


class InstallmentOut(BaseModel):
    due_date: dt.date
    amount_cents: int


class PlanOut(BaseModel):
    id: int
    account_number: str
    total_cents: int
    months: int
    status: str
    interest_rate_percent: int = 0
    installments: List[InstallmentOut]


# --- guest ----------------------------------------------------------------------------

class GuestRequest(Request):
    account_number: Identifier
    last_name: Optional[Name] = None
    date_of_birth: Optional[dt.date] = None

    @root_validator(skip_on_failure=True)
    def one_factor(cls, values):
        if (values.get("last_name") is None) == (values.get("date_of_birth") is None):
            raise ValueError("give exactly one of last_name or date_of_birth")
        return values


class GuestAmountOut(BaseModel):
    account_number: str
    amount_due_cents: int
    due_date: Optional[dt.date]


# --- cases: handoffs, disputes, due-date extensions -------------------------------------

ConversationId = constr(regex=r"^[A-Za-z0-9_.:@+-]{1,80}$")
FreeText = constr(strip_whitespace=True, min_length=1, max_length=2000)


class HandoffRequest(Request):
    conversation_id: ConversationId
    member_number: Optional[Identifier] = None
    reason: constr(regex=r"^(requested|misunderstood|payment_failed|billing_unavailable|other)$")
    summary: FreeText


class DisputeRequest(Request):
    statement_line_id: RowId
    reason: FreeText
    conversation_id: Optional[ConversationId] = None


class ExtensionRequest(Request):
    reason: Optional[FreeText] = None
    conversation_id: Optional[ConversationId] = None


class CaseOut(BaseModel):
    id: int
    kind: str = Field(..., description="handoff, dispute or due_date_extension")
    status: str
    reason: str
    summary: str
    conversation_id: Optional[str]
    member_number: Optional[str]
    account_number: Optional[str]
    created_at: dt.datetime
    open_ahead: int = Field(0, description="Open handoffs created before this one")
