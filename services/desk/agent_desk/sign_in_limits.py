"""After 5 failed sign-ins for one email within 15 minutes, that email is refused until the window
passes, right password or not: guessing an agent's password online stays slow."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import FailedSignIn

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)


def locked_out(session: Session, email: str, now: dt.datetime) -> bool:
    failures = session.execute(
        select(func.count())
        .select_from(FailedSignIn)
        .where(FailedSignIn.email == email.strip().lower()[:254], FailedSignIn.at > now - WINDOW)
    ).scalar_one()
    return failures >= LIMIT


def record_failure(session: Session, email: str, now: dt.datetime) -> None:
    session.execute(delete(FailedSignIn).where(FailedSignIn.at <= now - WINDOW))  # nothing older counts
    session.add(FailedSignIn(email=email.strip().lower()[:254], at=now))
    session.commit()
