"""Tables of the billing service.

Money is integer cents everywhere. Balances are never stored: they are the sum of the
append-only ledger (charges positive, payments negative).
"""
from __future__ import annotations

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
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy import Column

Base = declarative_base()


class Member(Base):
    __tablename__ = "members"

    id = Column(Integer, primary_key=True)
    member_number = Column(String(20), unique=True, nullable=False)
    first_name = Column(String(80), nullable=False)
    last_name = Column(String(80), nullable=False)
    date_of_birth = Column(Date, nullable=False)
    zip_code = Column(String(10), nullable=False)
    phone = Column(String(20), index=True)
    email = Column(String(200))
    region = Column(String(40), nullable=False)
    medical_record_number = Column(String(20), unique=True, nullable=False)

    accounts = relationship("Account", back_populates="member", order_by="Account.id")
    payment_methods = relationship("PaymentMethod", back_populates="member", order_by="PaymentMethod.id")


class Account(Base):
    __tablename__ = "accounts"

    id = Column(Integer, primary_key=True)
    account_number = Column(String(20), unique=True, nullable=False)
    member_id = Column(ForeignKey("members.id"), nullable=False, index=True)
    kind = Column(String(10), nullable=False)  # medical | premium
    region = Column(String(40), nullable=False)
    coverage_type = Column(String(30))  # premium accounts only
    paperless = Column(Boolean, nullable=False, default=False)

    member = relationship("Member", back_populates="accounts")
    statements = relationship("Statement", back_populates="account", order_by="Statement.statement_date.desc()")


class Statement(Base):
    __tablename__ = "statements"

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), nullable=False, index=True)
    statement_date = Column(Date, nullable=False)
    due_date = Column(Date, nullable=False)
    balance_due_cents = Column(Integer, nullable=False)
    minimum_due_cents = Column(Integer, nullable=False)

    account = relationship("Account", back_populates="statements")
    lines = relationship("StatementLine", back_populates="statement", order_by="StatementLine.id")


class StatementLine(Base):
    __tablename__ = "statement_lines"

    id = Column(Integer, primary_key=True)
    statement_id = Column(ForeignKey("statements.id"), nullable=False, index=True)
    service_date = Column(Date, nullable=False)
    provider = Column(String(120), nullable=False)
    procedure = Column(String(200), nullable=False)
    procedure_code = Column(String(20), nullable=False)
    diagnosis_code = Column(String(20))
    charges_cents = Column(Integer, nullable=False)
    plan_paid_cents = Column(Integer, nullable=False)
    adjustments_cents = Column(Integer, nullable=False)
    member_owes_cents = Column(Integer, nullable=False)

    statement = relationship("Statement", back_populates="lines")


class LedgerEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "ledger_entries"

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), nullable=False, index=True)
    kind = Column(String(12), nullable=False)  # charge | payment
    amount_cents = Column(Integer, nullable=False)
    description = Column(String(200), nullable=False)
    statement_id = Column(ForeignKey("statements.id"))
    payment_id = Column(ForeignKey("payments.id"))
    created_at = Column(DateTime, nullable=False)


class PaymentMethod(Base):
    __tablename__ = "payment_methods"

    id = Column(Integer, primary_key=True)
    # None for a guest payer's one-off method: it never joins the member's wallet.
    member_id = Column(ForeignKey("members.id"), index=True)
    processor_token = Column(String(64), unique=True, nullable=False)
    kind = Column(String(10), nullable=False)  # card | bank
    brand = Column(String(30))  # card brand, e.g. Visa
    bank_name = Column(String(80))
    last4 = Column(String(4), nullable=False)
    exp_month = Column(Integer)
    exp_year = Column(Integer)
    created_at = Column(DateTime, nullable=False)
    removed_at = Column(DateTime)

    member = relationship("Member", back_populates="payment_methods")


class Payment(Base):
    __tablename__ = "payments"

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), nullable=False, index=True)
    payment_method_id = Column(ForeignKey("payment_methods.id"), nullable=False)
    amount_cents = Column(Integer, nullable=False)
    status = Column(String(12), nullable=False)  # pending | succeeded | declined | failed
    failure_reason = Column(String(40))
    confirmation_number = Column(String(20), unique=True, nullable=False)
    processor_reference = Column(String(64))
    # sha256 of (caller, account, the caller's key): keys are scoped per caller and account.
    idempotency_key = Column(String(200), unique=True, nullable=False)
    request_fingerprint = Column(String(64), nullable=False)
    source = Column(String(12), nullable=False)  # member | autopay | guest
    created_at = Column(DateTime, nullable=False)

    account = relationship("Account")
    payment_method = relationship("PaymentMethod")


class VerificationAttempt(Base):
    __tablename__ = "verification_attempts"

    id = Column(Integer, primary_key=True)
    subject = Column(String(40), nullable=False, index=True)  # the account or record number tried
    succeeded = Column(Boolean, nullable=False)
    created_at = Column(DateTime, nullable=False)


class Lockout(Base):
    __tablename__ = "lockouts"

    id = Column(Integer, primary_key=True)
    subject = Column(String(40), nullable=False, index=True)
    locked_at = Column(DateTime, nullable=False)
    locked_until = Column(DateTime, nullable=False)


class PaymentLink(Base):
    __tablename__ = "payment_links"

    id = Column(Integer, primary_key=True)
    token = Column(String(64), unique=True, nullable=False)
    purpose = Column(String(20), nullable=False)  # save_method | guest_payment
    member_id = Column(ForeignKey("members.id"), nullable=False)
    account_id = Column(ForeignKey("accounts.id"))
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime)
    payment_method_id = Column(ForeignKey("payment_methods.id"))
    payment_id = Column(ForeignKey("payments.id"))
    # Declined or failed payments made through the link; a few burn it (card testing).
    declined_count = Column(Integer, nullable=False, default=0, server_default="0")


class Autopay(Base):
    __tablename__ = "autopay"

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), unique=True, nullable=False)
    payment_method_id = Column(ForeignKey("payment_methods.id"), nullable=False)
    day_of_month = Column(Integer, nullable=False)
    amount_rule = Column(String(20), nullable=False)  # statement_balance | fixed
    fixed_amount_cents = Column(Integer)
    enabled = Column(Boolean, nullable=False, default=True)
    updated_at = Column(DateTime, nullable=False)

    payment_method = relationship("PaymentMethod")
    account = relationship("Account")


class AutopayRun(Base):
    """One row per account and monthly cycle: the unique key makes a cycle run once."""

    __tablename__ = "autopay_runs"
    __table_args__ = (UniqueConstraint("account_id", "cycle", name="uq_autopay_run_cycle"),)

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), nullable=False)
    cycle = Column(String(7), nullable=False)  # YYYY-MM
    run_date = Column(Date, nullable=False)
    status = Column(String(12), nullable=False)  # succeeded | declined | failed | skipped
    reason = Column(String(80))
    payment_id = Column(ForeignKey("payments.id"))
    created_at = Column(DateTime, nullable=False)


class PaymentPlan(Base):
    __tablename__ = "payment_plans"
    # One active plan per account, whatever races the API.
    __table_args__ = (Index("uq_one_active_plan_per_account", "account_id", unique=True,
                            sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),)

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("accounts.id"), nullable=False, index=True)
    total_cents = Column(Integer, nullable=False)
    months = Column(Integer, nullable=False)
    status = Column(String(12), nullable=False)  # active | cancelled
    created_at = Column(DateTime, nullable=False)

    installments = relationship("PlanInstallment", order_by="PlanInstallment.due_date")


class PlanInstallment(Base):
    __tablename__ = "plan_installments"

    id = Column(Integer, primary_key=True)
    plan_id = Column(ForeignKey("payment_plans.id"), nullable=False, index=True)
    due_date = Column(Date, nullable=False)
    amount_cents = Column(Integer, nullable=False)


class SandboxVaultEntry(Base):
    """What the sandbox processor remembers about a token; a real processor keeps this."""

    __tablename__ = "sandbox_vault"

    token = Column(String(64), primary_key=True)
    outcome = Column(String(20), nullable=False)  # succeeded | declined | insufficient_funds | failed
    created_at = Column(DateTime, nullable=False)



class Case(Base):
    """Work for a person: a handoff from the chat, a disputed charge, a due-date extension request."""

    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False, index=True)  # handoff | dispute | due_date_extension
    status = Column(String(12), nullable=False)  # open | closed
    reason = Column(String(40), nullable=False)
    summary = Column(Text, nullable=False)
    conversation_id = Column(String(80), index=True)
    member_id = Column(ForeignKey("members.id"))
    account_id = Column(ForeignKey("accounts.id"))
    statement_line_id = Column(ForeignKey("statement_lines.id"))
    created_at = Column(DateTime, nullable=False)
