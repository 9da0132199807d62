"""Whether agents are at the desk, for the assistant (a service call with DESK_API_TOKEN, no session):
during business hours with nobody here, a member who asks for a person gets the phone line instead."""

from __future__ import annotations

import datetime as dt
import secrets

from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from ..sessions import agents_present
from ..settings import DeskSettings
from .deps import Refused, get_db, get_now, get_settings

router = APIRouter()


def service_token(
    authorization: str | None = Header(None), settings: DeskSettings = Depends(get_settings)
) -> None:
    scheme, _, token = (authorization or "").partition(" ")
    expected = settings.api_token
    if (
        not expected
        or scheme.lower() != "bearer"
        or not secrets.compare_digest(token.encode(), expected.encode())
    ):
        raise Refused(401, "A valid desk API token is required.")


@router.get("/availability", dependencies=[Depends(service_token)])
def availability(
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
    settings: DeskSettings = Depends(get_settings),
) -> dict[str, int]:
    """How many agents had the desk open within DESK_PRESENCE_MINUTES (5)."""
    return {"agents_available": agents_present(db, now, dt.timedelta(minutes=settings.presence_minutes))}
