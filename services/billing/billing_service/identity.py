"""Identity verification, limited per member and per client.

Per member: account number and medical record number count together; too many failures lock the
member (verification_locked). Per client (the conversation, else the peer address): too many failures,
or for guests too many look-ups, refuse that client for a while (too_many_attempts). Each check and its
record run under locks on the counters (PostgreSQL advisory locks), so parallel attempts cannot exceed them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .advisory_locks import lock_names
from .errors import TooManyAttempts, Unprocessable, VerificationFailed
from .models import Account, Lockout, Member, VerificationAttempt
from .settings import BillingSettings


@dataclasses.dataclass(frozen=True)
class ClientLimit:
    """At most `most` attempts (failures only, unless `counts_successes`) per `minutes` for one client."""

    subject: str
    most: int
    minutes: int
    counts_successes: bool = False


def verification_limits(settings: BillingSettings, client: str) -> list[ClientLimit]:
    return [
        ClientLimit(
            client_subject("verify", client),
            settings.verify_client_max_failures,
            settings.verify_client_window_minutes,
        )
    ]


def client_subject(purpose: str, client: str) -> str:
    """Client ids are conversation ids or addresses: only a digest of them is stored."""
    return "c:" + hashlib.sha256(f"{purpose}\x1f{client}".encode()).hexdigest()[:32]


def member_subject(member: Member | None, identifier: str) -> str:
    """One counter per member, whichever identifier was typed; unknown identifiers get their own."""
    return f"member:{member.id}" if member is not None else f"unknown:{identifier.upper()}"


def verify_member(
    session: Session,
    settings: BillingSettings,
    now: dt.datetime,
    *,
    account_number: str | None,
    medical_record_number: str | None,
    date_of_birth: dt.date,
    zip_code: str,
    client: str = "",
) -> Member:
    """Account or record number + date of birth + ZIP. A miss never says which factor failed."""
    identifier = account_number or medical_record_number
    if not identifier:  # the request schema requires one; a caller in code gets the same answer
        raise Unprocessable("missing_identifier", "Give an account number or a medical record number.")
    member = _member_by_identifier(session, account_number, medical_record_number)
    return check_factors(
        session,
        settings,
        now,
        member_subject(member, identifier),
        member,
        lambda m: m.date_of_birth == date_of_birth and m.zip_code[:5] == zip_code[:5],
        verification_limits(settings, client),
    )


def check_factors(
    session: Session,
    settings: BillingSettings,
    now: dt.datetime,
    subject: str,
    member: Member | None,
    matches: Callable[[Member], bool],
    client_limits: list[ClientLimit],
) -> Member:
    """Counts the attempt against `subject` and the client's limits; returns the member on a match."""
    lock_names(session, [subject] + [limit.subject for limit in client_limits])
    _refuse_if_locked(session, subject, now)
    for limit in client_limits:
        if _count(session, limit, now) >= limit.most:
            error = _too_many(session, limit, now)
            session.rollback()
            raise error
    matched = member if member is not None and matches(member) else None
    ok = matched is not None
    for recorded in {subject, *(limit.subject for limit in client_limits)}:
        session.add(VerificationAttempt(subject=recorded, succeeded=ok, created_at=now))
    session.flush()
    if matched is not None:
        session.commit()
        return matched
    if _recent_failures(session, settings, subject, now) >= settings.verify_max_failures:
        until = now + dt.timedelta(minutes=settings.verify_lockout_minutes)
        session.add(Lockout(subject=subject, locked_at=now, locked_until=until))
        session.commit()
        raise _locked(until, now)
    reached = [
        limit
        for limit in client_limits
        if not limit.counts_successes and _count(session, limit, now) >= limit.most
    ]
    if reached:
        error = _too_many(session, reached[0], now)
        session.commit()
        raise error
    session.commit()
    raise VerificationFailed()


def _member_by_identifier(
    session: Session, account_number: str | None, medical_record_number: str | None
) -> Member | None:
    if account_number:
        account = session.execute(
            select(Account).where(func.upper(Account.account_number) == account_number.upper())
        ).scalar_one_or_none()
        return account.member if account else None
    if medical_record_number:
        return session.execute(
            select(Member).where(func.upper(Member.medical_record_number) == medical_record_number.upper())
        ).scalar_one_or_none()
    return None


def _refuse_if_locked(session: Session, subject: str, now: dt.datetime) -> None:
    until = session.execute(
        select(func.max(Lockout.locked_until)).where(Lockout.subject == subject)
    ).scalar_one()
    if until is not None and until > now:
        session.rollback()
        raise _locked(until, now)


def _counted(limit: ClientLimit, now: dt.datetime) -> list[ColumnElement[bool]]:
    conditions = [
        VerificationAttempt.subject == limit.subject,
        VerificationAttempt.created_at > now - dt.timedelta(minutes=limit.minutes),
    ]
    if not limit.counts_successes:
        conditions.append(VerificationAttempt.succeeded.is_(False))
    return conditions


def _count(session: Session, limit: ClientLimit, now: dt.datetime) -> int:
    return session.execute(
        select(func.count()).select_from(VerificationAttempt).where(*_counted(limit, now))
    ).scalar_one()


def _too_many(session: Session, limit: ClientLimit, now: dt.datetime) -> TooManyAttempts:
    oldest = session.execute(
        select(func.min(VerificationAttempt.created_at)).where(*_counted(limit, now))
    ).scalar_one()
    free_at = (oldest or now) + dt.timedelta(minutes=limit.minutes)
    return TooManyAttempts(
        "too_many_attempts",
        "Too many attempts from here. Try again later or call the billing line.",
        max(1, int((free_at - now).total_seconds())),
    )


def _recent_failures(session: Session, settings: BillingSettings, subject: str, now: dt.datetime) -> int:
    since = now - dt.timedelta(minutes=settings.verify_window_minutes)
    last_lock_end = session.execute(
        select(func.max(Lockout.locked_until)).where(Lockout.subject == subject)
    ).scalar_one()
    if last_lock_end is not None and last_lock_end > since:
        since = last_lock_end
    last_success = session.execute(
        select(func.max(VerificationAttempt.created_at)).where(
            VerificationAttempt.subject == subject, VerificationAttempt.succeeded.is_(True)
        )
    ).scalar_one()
    if last_success is not None and last_success > since:
        since = last_success
    return session.execute(
        select(func.count())
        .select_from(VerificationAttempt)
        .where(
            VerificationAttempt.subject == subject,
            VerificationAttempt.succeeded.is_(False),
            VerificationAttempt.created_at >= since,
        )
    ).scalar_one()


def _locked(until: dt.datetime, now: dt.datetime) -> TooManyAttempts:
    seconds = max(1, int((until - now).total_seconds()))
    return TooManyAttempts(
        "verification_locked",
        "Too many unsuccessful attempts. Verification is paused for this account; "
        "try again later or call the billing line.",
        seconds,
    )
