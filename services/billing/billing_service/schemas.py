"""Request bodies of the billing API, validated here; the response bodies are the shared contract's
(billing_contract.responses), re-exported so the service names every body through this module."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from billing_contract.money import MAX_CENTS
from billing_contract.responses import (  # noqa: F401  (re-exported)
    AccountSummary,
    AssistancePrescreenOut,
    AutopayOut,
    AutopayRunResult,
    CaseOut,
    ErrorBody,
    GuestAmountOut,
    InstallmentOut,
    MemberOut,
    PaymentLinkOut,
    PaymentMethodOut,
    PaymentOut,
    PlanEligibilityOut,
    PlanOption,
    PlanOut,
    ReceiptOut,
    StatementLineOut,
    StatementOut,
)

Cents = Annotated[int, Field(strict=True, gt=0, le=MAX_CENTS)]
MAX_INCOME_CENTS = 100_000_000_00  # a hundred million dollars a year: anything above is a typing slip
RowId = Annotated[int, Field(strict=True, gt=0, le=2**31 - 1)]
IDENTIFIER_PATTERN = r"^[A-Za-z0-9-]{1,20}$"
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, pattern=IDENTIFIER_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^\x00-\x1f]{1,80}$")]
ZipCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{5}(-\d{4})?$")]
IdempotencyKey = Annotated[str, StringConstraints(min_length=8, max_length=200)]
ConversationId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:@+-]{1,80}$")]
FreeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- identity -------------------------------------------------------------------------


class VerifyRequest(Request):
    account_number: Identifier | None = None
    medical_record_number: Identifier | None = None
    date_of_birth: dt.date
    zip_code: ZipCode

    @model_validator(mode="after")
    def one_identifier(self) -> VerifyRequest:
        if bool(self.account_number) == bool(self.medical_record_number):
            raise ValueError("give exactly one of account_number or medical_record_number")
        return self


class PaperlessRequest(Request):
    enabled: bool


class PaymentLinkRequest(Request):
    account_number: Identifier | None = None


class PaymentRequest(Request):
    account_number: Identifier
    payment_method_id: RowId
    amount_cents: Cents


class AutopayRequest(Request):
    payment_method_id: RowId
    day_of_month: Annotated[int, Field(strict=True, ge=1, le=31)]
    amount_rule: Literal["statement_balance", "fixed"]
    fixed_amount_cents: Cents | None = None
    enabled: bool = True

    @model_validator(mode="after")
    def fixed_needs_amount(self) -> AutopayRequest:
        if (self.amount_rule == "fixed") != (self.fixed_amount_cents is not None):
            raise ValueError("fixed_amount_cents is required for the fixed rule and only for it")
        return self


class AutopayRunRequest(Request):
    run_date: dt.date


class PlanRequest(Request):
    months: Annotated[int, Field(strict=True, ge=1, le=60)]


class GuestRequest(Request):
    account_number: Identifier
    last_name: Name | None = None
    date_of_birth: dt.date | None = None

    @model_validator(mode="after")
    def one_factor(self) -> GuestRequest:
        if (self.last_name is None) == (self.date_of_birth is None):
            raise ValueError("give exactly one of last_name or date_of_birth")
        return self


class AssistancePrescreenRequest(Request):
    household_size: Annotated[int, Field(strict=True, ge=1, le=20)]
    annual_income_cents: Annotated[int, Field(strict=True, ge=0, le=MAX_INCOME_CENTS)]


class HandoffRequest(Request):
    conversation_id: ConversationId
    member_number: Identifier | None = None
    reason: Literal["requested", "misunderstood", "payment_failed", "billing_unavailable", "other"]
    summary: FreeText


class DisputeRequest(Request):
    statement_line_id: RowId
    reason: FreeText
    conversation_id: ConversationId | None = None


class ExtensionRequest(Request):
    reason: FreeText | None = None
    conversation_id: ConversationId | None = None
