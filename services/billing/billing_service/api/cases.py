from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import owned_account
from ..cases import close_handoff, list_cases, open_dispute, open_handoff, request_extension
from ..models import Member
from .deps import AccountNumber, acting_member, get_now, get_session

router = APIRouter(tags=["cases"], responses={404: {"model": schemas.ErrorBody}})


@router.post("/handoffs", response_model=schemas.CaseOut, status_code=201)
def handoff(
    body: schemas.HandoffRequest, session: Session = Depends(get_session), now: dt.datetime = Depends(get_now)
) -> schemas.CaseOut:
    """Records a conversation handed to a human, with a short summary for the agent."""
    return open_handoff(session, now, body)


@router.post("/handoffs/{case_id}/close", response_model=schemas.CaseOut)
def close(
    case_id: int = Path(ge=1, le=2**31 - 1), session: Session = Depends(get_session)
) -> schemas.CaseOut:
    """Closes a handoff a specialist has finished (the agent desk's resolve); the queue no longer lists it."""
    return close_handoff(session, case_id)


@router.get("/handoffs", response_model=list[schemas.CaseOut])
def handoffs(
    status: str | None = Query(None, pattern=r"^(open|closed)$"), session: Session = Depends(get_session)
) -> list[schemas.CaseOut]:
    """The handoff queue, oldest first."""
    return list_cases(session, "handoff", status)


@router.post("/accounts/{account_number}/disputes", response_model=schemas.CaseOut, status_code=201)
def dispute(
    account_number: AccountNumber,
    body: schemas.DisputeRequest,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.CaseOut:
    """Records a dispute of one statement line for a billing representative."""
    return open_dispute(session, now, owned_account(session, member, account_number), body)


@router.post(
    "/accounts/{account_number}/due-date-extensions",
    response_model=schemas.CaseOut,
    status_code=201,
    responses={409: {"model": schemas.ErrorBody}, 422: {"model": schemas.ErrorBody}},
)
def extension(
    account_number: AccountNumber,
    body: schemas.ExtensionRequest,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    member: Member = Depends(acting_member),
) -> schemas.CaseOut:
    """Records a request for more time to pay, for a billing specialist to decide."""
    return request_extension(session, now, owned_account(session, member, account_number), body)
