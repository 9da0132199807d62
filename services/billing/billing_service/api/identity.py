from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import schemas
from ..accounts import member_out
from ..identity import verify_member
from ..settings import BillingSettings
from .deps import client_id, get_now, get_session, get_settings

router = APIRouter(tags=["identity"])


@router.post(
    "/verify",
    response_model=schemas.MemberOut,
    responses={401: {"model": schemas.ErrorBody}, 429: {"model": schemas.ErrorBody}},
)
def verify(
    body: schemas.VerifyRequest,
    session: Session = Depends(get_session),
    settings: BillingSettings = Depends(get_settings),
    now: dt.datetime = Depends(get_now),
    client: str = Depends(client_id),
) -> schemas.MemberOut:
    """Checks account or medical record number + date of birth + ZIP; returns the member on a match."""
    member = verify_member(
        session,
        settings,
        now,
        account_number=body.account_number,
        medical_record_number=body.medical_record_number,
        date_of_birth=body.date_of_birth,
        zip_code=body.zip_code,
        client=client,
    )
    return member_out(session, settings, member)
