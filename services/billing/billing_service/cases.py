"""Cases for people to work: handoffs from the chat, disputed charges, due-date extension requests.

Free text is masked again here: a number typed into the chat must not land in this database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billing_contract.redaction import mask

from . import schemas
from .accounts import get_member, not_found
from .errors import Conflict, NotFound, Unprocessable
from .ledger import balance_cents
from .models import Account, Case, Member, StatementLine


def open_handoff(session: Session, now: dt.datetime, request: schemas.HandoffRequest) -> schemas.CaseOut:
    member = get_member(session, request.member_number) if request.member_number else None
    case = _add(
        session,
        now,
        kind="handoff",
        reason=request.reason,
        summary=request.summary,
        conversation_id=request.conversation_id,
        member=member,
    )
    return case_out(session, case)


def close_handoff(session: Session, case_id: int) -> schemas.CaseOut:
    """A specialist finished with a handoff (the agent desk's "resolve"); closing twice changes nothing."""
    case = session.get(Case, case_id)
    if case is None or case.kind != "handoff":
        raise NotFound("not_found", "There is no handoff with this number.")
    case.status = "closed"
    session.commit()
    return case_out(session, case)


def list_cases(session: Session, kind: str, status: str | None) -> list[schemas.CaseOut]:
    query = select(Case).where(Case.kind == kind).order_by(Case.created_at, Case.id)
    if status:
        query = query.where(Case.status == status)
    return [case_out(session, case) for case in session.execute(query).scalars()]


def open_dispute(
    session: Session, now: dt.datetime, account: Account, request: schemas.DisputeRequest
) -> schemas.CaseOut:
    line = session.get(StatementLine, request.statement_line_id)
    if line is None or line.statement.account_id != account.id:
        raise not_found()
    summary = (
        f"Disputed charge: {line.procedure} ({line.procedure_code}) on {line.service_date.isoformat()} "
        f"at {line.provider}, member owes {line.member_owes_cents} cents. Member says: {request.reason}"
    )
    case = _add(
        session,
        now,
        kind="dispute",
        reason="disputed_charge",
        summary=summary,
        conversation_id=request.conversation_id,
        member=account.member,
        account=account,
        line=line,
    )
    return case_out(session, case)


def request_extension(
    session: Session, now: dt.datetime, account: Account, request: schemas.ExtensionRequest
) -> schemas.CaseOut:
    if balance_cents(session, account.id) <= 0:
        raise Unprocessable("nothing_owed", "This account has no balance, so there is no due date to move.")
    pending = session.execute(
        select(Case.id).where(
            Case.kind == "due_date_extension", Case.status == "open", Case.account_id == account.id
        )
    ).first()
    if pending:
        raise Conflict("extension_pending", "A due-date extension request is already open for this account.")
    case = _add(
        session,
        now,
        kind="due_date_extension",
        reason="due_date_extension",
        summary=request.reason or "Member asked for more time to pay.",
        conversation_id=request.conversation_id,
        member=account.member,
        account=account,
    )
    return case_out(session, case)


def _add(
    session: Session,
    now: dt.datetime,
    *,
    kind: str,
    reason: str,
    summary: str,
    conversation_id: str | None,
    member: Member | None = None,
    account: Account | None = None,
    line: StatementLine | None = None,
) -> Case:
    case = Case(
        kind=kind,
        status="open",
        reason=reason,
        summary=mask(summary),
        conversation_id=conversation_id,
        member_id=member.id if member else None,
        account_id=account.id if account else None,
        statement_line_id=line.id if line else None,
        created_at=now,
    )
    session.add(case)
    session.commit()
    return case


def case_out(session: Session, case: Case) -> schemas.CaseOut:
    ahead = 0
    if case.kind == "handoff" and case.status == "open":
        ahead = session.execute(
            select(func.count())
            .select_from(Case)
            .where(Case.kind == "handoff", Case.status == "open", Case.id < case.id)
        ).scalar_one()
    member = session.get(Member, case.member_id) if case.member_id else None
    account = session.get(Account, case.account_id) if case.account_id else None
    return schemas.CaseOut(
        id=case.id,
        kind=case.kind,
        status=case.status,
        reason=case.reason,
        summary=case.summary,
        conversation_id=case.conversation_id,
        member_number=member.member_number if member else None,
        account_number=account.account_number if account else None,
        created_at=case.created_at,
        open_ahead=ahead,
    )
