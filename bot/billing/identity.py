"""Identity verification with a per-account lockout after repeated failures."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import TooManyAttempts, VerificationFailed
from .models import Account, Lockout, Member, VerificationAttempt
from .settings import BillingSettings


def verify_member(session: Session, settings: BillingSettings, now: dt.datetime, *, account_number: Optional[str],
                  medical_record_number: Optional[str], date_of_birth: dt.date, zip_code: str) -> Member:
    """Account or record number + date of birth + ZIP. A miss never says which factor failed."""
    subject = (account_number or medical_record_number).upper()
    member = _member_by_identifier(session, account_number, medical_record_number)
    return check_factors(session, settings, now, subject, member,
                         lambda m: m.date_of_birth == date_of_birth and m.zip_code[:5] == zip_code[:5])


def check_factors(session: Session, settings: BillingSettings, now: dt.datetime, subject: str,
                  member: Optional[Member], matches: Callable[[Member], bool]) -> Member:
    """Counts the attempt against `subject`, enforcing the lockout; returns the member on a match."""
    _refuse_if_locked(session, subject, now)
    ok = member is not None and matches(member)
    session.add(VerificationAttempt(subject=subject, succeeded=ok, created_at=now))
    if ok:
        session.commit()
        return member
    if _recent_failures(session, settings, subject, now) >= settings.verify_max_failures:
        until = now + dt.timedelta(minutes=settings.verify_lockout_minutes)
        session.add(Lockout(subject=subject, locked_at=now, locked_until=until))
        session.commit()
        raise _locked(until, now)
    session.commit()
    raise VerificationFailed()


def _member_by_identifier(session, account_number, medical_record_number) -> Optional[Member]:
    if account_number:
        account = session.execute(
            select(Account).where(func.upper(Account.account_number) == account_number.upper())
        ).scalar_one_or_none()
        return account.member if account else None
    return session.execute(
        select(Member).where(func.upper(Member.medical_record_number) == medical_record_number.upper())
    ).scalar_one_or_none()


def _refuse_if_locked(session: Session, subject: str, now: dt.datetime) -> None:
    until = session.execute(
        select(func.max(Lockout.locked_until)).where(Lockout.subject == subject)
    ).scalar_one()
    if until is not None and until > now:
        raise _locked(until, now)


def _recent_failures(session: Session, settings: BillingSettings, subject: str, now: dt.datetime) -> int:
    since = now - dt.timedelta(minutes=settings.verify_window_minutes)
    last_lock_end = session.execute(
        select(func.max(Lockout.locked_until)).where(Lockout.subject == subject)
    ).scalar_one()
    if last_lock_end is not None and last_lock_end > since:
        since = last_lock_end
    last_success = session.execute(
        select(func.max(VerificationAttempt.created_at)).where(
            VerificationAttempt.subject == subject, VerificationAttempt.succeeded.is_(True))
    ).scalar_one()
    if last_success is not None and last_success > since:
        since = last_success
    return session.execute(
        select(func.count()).select_from(VerificationAttempt).where(
            VerificationAttempt.subject == subject,
            VerificationAttempt.succeeded.is_(False),
            VerificationAttempt.created_at >= since,
        )
    ).scalar_one()


def _locked(until: dt.datetime, now: dt.datetime) -> TooManyAttempts:
    seconds = max(1, int((until - now).total_seconds()))
    return TooManyAttempts("verification_locked",
                           "Too many unsuccessful attempts. Verification is paused for this account; "
                           "try again later or call the billing line.", seconds)
