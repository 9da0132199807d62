"""Looking up members and accounts and summarising what is owed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import schemas
from .errors import NotFound
from .ledger import balance_cents, payable_cents
from .models import Account, Autopay, Member, PaymentMethod, Statement, StatementLine
from .plans import ineligible_reason
from .settings import BillingSettings


def get_member(session: Session, member_number: str) -> Member:
    member = session.execute(
        select(Member).where(func.upper(Member.member_number) == member_number.upper())
    ).scalar_one_or_none()
    if member is None:
        raise not_found()
    return member


def not_found() -> NotFound:
    """One answer for "does not exist" and "is not yours", so nobody learns which numbers exist."""
    return NotFound("not_found", "Nothing was found for this member.")


def member_itself(member: Member, member_number: str) -> Member:
    if member.member_number.upper() != member_number.upper():
        raise not_found()
    return member


def owned_account(
    session: Session, member: Member, account_number: str, *, for_update: bool = False
) -> Account:
    """The account if it belongs to the member the request acts for."""
    try:
        account = get_account(session, account_number, for_update=for_update)
    except NotFound:
        raise not_found() from None
    if account.member_id != member.id:
        raise not_found()
    return account


def owned_method(session: Session, member_id: int, payment_method_id: int) -> PaymentMethod:
    method = session.get(PaymentMethod, payment_method_id)
    if method is None or method.removed_at is not None or method.member_id != member_id:
        raise not_found()
    return method


def get_account(session: Session, account_number: str, *, for_update: bool = False) -> Account:
    query = select(Account).where(func.upper(Account.account_number) == account_number.upper())
    if for_update:
        # Serialises payments on one account (PostgreSQL row lock; SQLite's write lock is
        # already held by BEGIN IMMEDIATE).
        query = query.with_for_update()
    account = session.execute(query).scalar_one_or_none()
    if account is None:
        raise NotFound("unknown_account", "No account has that number.")
    return account


def latest_statement(session: Session, account_id: int) -> Statement | None:
    return session.execute(
        select(Statement)
        .where(Statement.account_id == account_id)
        .order_by(Statement.statement_date.desc(), Statement.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def summarise(session: Session, settings: BillingSettings, account: Account) -> schemas.AccountSummary:
    """What is owed, and what the member can start on the account (pay, a payment plan)."""
    balance = balance_cents(session, account.id)
    plan_refusal = ineligible_reason(session, settings, account.id, balance)
    statement = latest_statement(session, account.id)
    owing = balance > 0
    autopay = session.execute(select(Autopay).where(Autopay.account_id == account.id)).scalar_one_or_none()
    return schemas.AccountSummary(
        account_number=account.account_number,
        kind=account.kind,
        region=account.region,
        coverage_type=account.coverage_type,
        balance_cents=balance,
        minimum_due_cents=min(statement.minimum_due_cents, balance) if (statement and owing) else 0,
        due_date=statement.due_date if (statement and owing) else None,
        statement_balance_cents=statement.balance_due_cents if statement else 0,
        paperless=account.paperless,
        autopay_enabled=bool(autopay and autopay.enabled),
        can_pay=payable_cents(session, account.id) > 0,
        plan_eligible=plan_refusal is None,
        plan_ineligible_reason=plan_refusal,
    )


def member_out(session: Session, settings: BillingSettings, member: Member) -> schemas.MemberOut:
    return schemas.MemberOut(
        member_number=member.member_number,
        first_name=member.first_name,
        last_name=member.last_name,
        region=member.region,
        email=member.email,
        phone=member.phone,
        accounts=[summarise(session, settings, account) for account in member.accounts],
    )


def statement_out(statement: Statement) -> schemas.StatementOut:
    return schemas.StatementOut(
        id=statement.id,
        account_number=statement.account.account_number,
        statement_date=statement.statement_date,
        due_date=statement.due_date,
        balance_due_cents=statement.balance_due_cents,
        minimum_due_cents=statement.minimum_due_cents,
        lines=[_line_out(line) for line in statement.lines],
    )


def list_statements(session: Session, account: Account) -> list[schemas.StatementOut]:
    statements = session.execute(
        select(Statement)
        .where(Statement.account_id == account.id)
        .order_by(Statement.statement_date.desc(), Statement.id.desc())
    ).scalars()
    return [statement_out(s) for s in statements]


def get_statement(session: Session, account: Account, statement_id: int) -> Statement:
    statement = session.get(Statement, statement_id)
    if statement is None or statement.account_id != account.id:
        raise not_found()
    return statement


def set_paperless(
    session: Session, settings: BillingSettings, account: Account, enabled: bool
) -> schemas.AccountSummary:
    account.paperless = enabled
    session.commit()
    return summarise(session, settings, account)


def method_display(method: PaymentMethod) -> str:
    name = method.brand if method.kind == "card" else (method.bank_name or "Bank account")
    return f"{name} ending {method.last4}"


def method_out(method: PaymentMethod) -> schemas.PaymentMethodOut:
    return schemas.PaymentMethodOut(
        id=method.id,
        kind=method.kind,
        brand=method.brand,
        bank_name=method.bank_name,
        last4=method.last4,
        exp_month=method.exp_month,
        exp_year=method.exp_year,
        display=method_display(method),
    )


def active_methods(member: Member) -> list[schemas.PaymentMethodOut]:
    return [method_out(m) for m in member.payment_methods if m.removed_at is None]


def _line_out(line: StatementLine) -> schemas.StatementLineOut:
    return schemas.StatementLineOut(
        id=line.id,
        service_date=line.service_date,
        provider=line.provider,
        procedure=line.procedure,
        procedure_code=line.procedure_code,
        charges_cents=line.charges_cents,
        plan_paid_cents=line.plan_paid_cents,
        adjustments_cents=line.adjustments_cents,
        member_owes_cents=line.member_owes_cents,
    )
