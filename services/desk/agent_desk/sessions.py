"""Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in desk_sessions, an expiry,
and a CSRF token per session that every POST must echo."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .models import Agent, DeskSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, agent: Agent, now: dt.datetime, minutes: int) -> tuple[str, DeskSession]:
    token = secrets.token_urlsafe(32)
    row = DeskSession(
        token_hash=_digest(token),
        agent_id=agent.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
        last_seen_at=now,
    )
    # Expired rows are of no use to anyone: cleared whenever someone signs in.
    session.execute(delete(DeskSession).where(DeskSession.expires_at <= now))
    session.add(row)
    session.commit()
    return token, row


def live_session(session: Session, token: str | None, now: dt.datetime) -> tuple[DeskSession, Agent] | None:
    if not token or len(token) > 100:
        return None
    found = session.execute(
        select(DeskSession, Agent)
        .join(Agent, Agent.id == DeskSession.agent_id)
        .where(DeskSession.token_hash == _digest(token), DeskSession.expires_at > now, Agent.active.is_(True))
    ).first()
    return (found[0], found[1]) if found else None


SEEN_EVERY = dt.timedelta(seconds=60)  # written at most this often: presence needs no finer grain


def mark_seen(session: Session, row: DeskSession, now: dt.datetime) -> None:
    """Notes that the browser is still there; a write only once a minute, not on every request."""
    if row.last_seen_at is not None and row.last_seen_at > now - SEEN_EVERY:
        return
    session.execute(
        update(DeskSession).where(DeskSession.token_hash == row.token_hash).values(last_seen_at=now)
    )
    session.commit()
    row.last_seen_at = now


def agents_present(session: Session, now: dt.datetime, within: dt.timedelta) -> int:
    """Agents with a live session whose browser asked for something within `within`."""
    return int(
        session.execute(
            select(func.count(func.distinct(DeskSession.agent_id))).where(
                DeskSession.expires_at > now, DeskSession.last_seen_at > now - within
            )
        ).scalar_one()
    )


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(DeskSession).where(DeskSession.token_hash == _digest(token)))
        session.commit()


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(expected.encode(), (given or "").encode())
