"""Tables of the billing service.

Money is integer cents everywhere. Balances are never stored: they are the sum of the
append-only ledger (charges positive, payments negative).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    first_name: Mapped[str] = mapped_column(String(80), nullable=False)
    last_name: Mapped[str] = mapped_column(String(80), nullable=False)
    date_of_birth: Mapped[dt.date] = mapped_column(Date, nullable=False)
    zip_code: Mapped[str] = mapped_column(String(10), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(40), nullable=False)
    medical_record_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)

    accounts: Mapped[list[Account]] = relationship("Account", back_populates="member", order_by="Account.id")
    payment_methods: Mapped[list[PaymentMethod]] = relationship(
        "PaymentMethod", back_populates="member", order_by="PaymentMethod.id"
    )


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # medical | premium
    region: Mapped[str] = mapped_column(String(40), nullable=False)
    coverage_type: Mapped[str | None] = mapped_column(String(30))  # premium accounts only
    paperless: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    member: Mapped[Member] = relationship("Member", back_populates="accounts")
    statements: Mapped[list[Statement]] = relationship(
        "Statement", back_populates="account", order_by="Statement.statement_date.desc()"
    )


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False, index=True)
    statement_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    balance_due_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    minimum_due_cents: Mapped[int] = mapped_column(Integer, nullable=False)

    account: Mapped[Account] = relationship("Account", back_populates="statements")
    lines: Mapped[list[StatementLine]] = relationship(
        "StatementLine", back_populates="statement", order_by="StatementLine.id"
    )


class StatementLine(Base):
    __tablename__ = "statement_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), nullable=False, index=True)
    service_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    provider: Mapped[str] = mapped_column(String(120), nullable=False)
    procedure: Mapped[str] = mapped_column(String(200), nullable=False)
    procedure_code: Mapped[str] = mapped_column(String(20), nullable=False)
    diagnosis_code: Mapped[str | None] = mapped_column(String(20))
    charges_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    plan_paid_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    adjustments_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    member_owes_cents: Mapped[int] = mapped_column(Integer, nullable=False)

    statement: Mapped[Statement] = relationship("Statement", back_populates="lines")


class LedgerEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # charge | payment
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class PaymentMethod(Base):
    __tablename__ = "payment_methods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for a guest payer's one-off method: it never joins the member's wallet.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    processor_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # card | bank
    brand: Mapped[str | None] = mapped_column(String(30))  # card brand, e.g. Visa
    bank_name: Mapped[str | None] = mapped_column(String(80))
    last4: Mapped[str] = mapped_column(String(4), nullable=False)
    exp_month: Mapped[int | None] = mapped_column(Integer)
    exp_year: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    member: Mapped[Member | None] = relationship("Member", back_populates="payment_methods")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False, index=True)
    payment_method_id: Mapped[int] = mapped_column(ForeignKey("payment_methods.id"), nullable=False)
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # pending | succeeded | declined | failed
    failure_reason: Mapped[str | None] = mapped_column(String(40))
    confirmation_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    processor_reference: Mapped[str | None] = mapped_column(String(64))
    # sha256 of (caller, account, the caller's key): keys are scoped per caller and account.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    request_fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str] = mapped_column(String(12), nullable=False)  # member | autopay | guest
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    account: Mapped[Account] = relationship("Account")
    payment_method: Mapped[PaymentMethod] = relationship("PaymentMethod")


class VerificationAttempt(Base):
    __tablename__ = "verification_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(
        String(40), nullable=False, index=True
    )  # the account or record number tried
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Lockout(Base):
    __tablename__ = "lockouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    locked_until: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class PaymentLink(Base):
    __tablename__ = "payment_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)  # save_method | guest_payment
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), nullable=False)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    payment_method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    # Declined or failed payments made through the link; a few burn it (card testing).
    declined_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")


class Autopay(Base):
    __tablename__ = "autopay"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True, nullable=False)
    payment_method_id: Mapped[int] = mapped_column(ForeignKey("payment_methods.id"), nullable=False)
    day_of_month: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_rule: Mapped[str] = mapped_column(String(20), nullable=False)  # statement_balance | fixed
    fixed_amount_cents: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    payment_method: Mapped[PaymentMethod] = relationship("PaymentMethod")
    account: Mapped[Account] = relationship("Account")


class AutopayRun(Base):
    """One row per account and monthly cycle: the unique key makes a cycle run once."""

    __tablename__ = "autopay_runs"
    __table_args__ = (UniqueConstraint("account_id", "cycle", name="uq_autopay_run_cycle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False)
    cycle: Mapped[str] = mapped_column(String(7), nullable=False)  # YYYY-MM
    run_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # succeeded | declined | failed | skipped
    reason: Mapped[str | None] = mapped_column(String(80))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class PaymentPlan(Base):
    __tablename__ = "payment_plans"
    # One active plan per account, whatever races the API.
    __table_args__ = (
        Index(
            "uq_one_active_plan_per_account",
            "account_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), nullable=False, index=True)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    months: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # active | cancelled
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)

    installments: Mapped[list[PlanInstallment]] = relationship(
        "PlanInstallment", order_by="PlanInstallment.due_date"
    )


class PlanInstallment(Base):
    __tablename__ = "plan_installments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("payment_plans.id"), nullable=False, index=True)
    due_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)


class SandboxVaultEntry(Base):
    """What the sandbox processor remembers about a token; a real processor keeps this."""

    __tablename__ = "sandbox_vault"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str] = mapped_column(
        String(20), nullable=False
    )  # succeeded | declined | insufficient_funds | failed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Case(Base):
    """Work for a person: a handoff from the chat, a disputed charge, a due-date extension request."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(20), nullable=False, index=True
    )  # handoff | dispute | due_date_extension
    status: Mapped[str] = mapped_column(String(12), nullable=False)  # open | closed
    reason: Mapped[str] = mapped_column(String(40), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    conversation_id: Mapped[str | None] = mapped_column(String(80), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    statement_line_id: Mapped[int | None] = mapped_column(ForeignKey("statement_lines.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
