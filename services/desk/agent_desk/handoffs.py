"""The handoff queue. The billing service's open handoff cases are the source of truth for what is
waiting (the assistant opens them there); the desk mirrors them into `handoffs` and owns who claimed
which: a claim is one conditional UPDATE, so of two agents claiming at once exactly one row changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing_contract.redaction import mask

from .billing_api import HandoffCase
from .models import Agent, Conversation, Handoff


class HandoffError(Exception):
    status_code = 409

    def __init__(self, message: str, status_code: int = 409):
        super().__init__(message)
        self.status_code = status_code


def sync_open_cases(session: Session, cases: list[HandoffCase]) -> None:
    """Adds newly opened cases; a waiting or claimed case the billing service no longer lists as open has
    been closed there. Only those rows are read, not every handoff the desk has ever seen."""
    listed = {case.id: case for case in cases if case.conversation_id}
    active = select(Handoff).where(Handoff.status.in_(("open", "claimed")))
    known = {row.case_id: row for row in session.execute(active).scalars()}
    if listed:
        seen = select(Handoff.case_id).where(Handoff.case_id.in_(list(listed)))
        known_ids = set(known) | set(session.execute(seen).scalars())
    else:
        known_ids = set(known)
    for case in listed.values():
        if case.id not in known_ids:
            session.add(
                Handoff(
                    case_id=case.id,
                    conversation_id=case.conversation_id,
                    reason=case.reason,
                    summary=mask(case.summary),
                    member_number=case.member_number,
                    opened_at=case.created_at.replace(tzinfo=None),
                    status="open",
                )
            )
    for case_id, row in known.items():
        if case_id not in listed:
            row.status = "closed"
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another request added the same new case a moment earlier


def waiting(session: Session) -> list[tuple[Handoff, str | None, str | None]]:
    """Open and claimed handoffs, oldest first, with the claiming agent's email and the channel."""
    rows = session.execute(
        select(Handoff, Agent.email, Conversation.channel)
        .outerjoin(Agent, Agent.id == Handoff.claimed_by)
        .outerjoin(Conversation, Conversation.sender_id == Handoff.conversation_id)
        .where(Handoff.status.in_(("open", "claimed")))
        .order_by(Handoff.opened_at, Handoff.case_id)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def get(session: Session, case_id: int) -> Handoff:
    row = session.get(Handoff, case_id)
    if row is None:
        raise HandoffError("There is no handoff with this number.", 404)
    return row


def claim(session: Session, case_id: int, agent: Agent, now: dt.datetime) -> Handoff:
    get(session, case_id)
    result: CursorResult = session.execute(  # type: ignore[assignment]
        update(Handoff)
        .where(Handoff.case_id == case_id, Handoff.status == "open", Handoff.claimed_by.is_(None))
        .values(status="claimed", claimed_by=agent.id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    changed = result.rowcount
    session.commit()
    row = get(session, case_id)
    session.refresh(row)
    if changed != 1:
        if row.claimed_by == agent.id:
            return row  # a double click
        raise HandoffError(
            "Another agent has already claimed this handoff."
            if row.claimed_by
            else "This handoff is no longer waiting."
        )
    return row


def claimed_by_agent(session: Session, case_id: int, agent: Agent) -> Handoff:
    """The handoff an agent acts on: it must be claimed, and by them."""
    row = get(session, case_id)
    if row.status != "claimed":
        raise HandoffError(
            "Claim this handoff before replying or resolving it."
            if row.status == "open"
            else "This handoff is already closed."
        )
    if row.claimed_by != agent.id:
        raise HandoffError("Another agent has claimed this handoff.", 403)
    return row


def releasable(session: Session, case_id: int, agent: Agent) -> Handoff:
    """A handoff this agent may put back in the queue: its own claim, or any claim for a supervisor (an
    agent who left mid-shift)."""
    row = get(session, case_id)
    if row.status != "claimed":
        raise HandoffError("Only a claimed handoff can be released.")
    if row.claimed_by != agent.id and agent.role != "supervisor":
        raise HandoffError("Only the agent who claimed it or a supervisor can release it.", 403)
    return row


def release(session: Session, row: Handoff) -> Handoff:
    row.status, row.claimed_by, row.claimed_at, row.answered_at = "open", None, None, None
    session.commit()
    return row


def mark_answered(session: Session, row: Handoff, now: dt.datetime) -> None:
    if row.answered_at is None:
        row.answered_at = now
        session.commit()


def mark_resolved(session: Session, row: Handoff, note: str, now: dt.datetime) -> None:
    row.status = "resolved"
    row.note = mask(note)
    row.resolved_at = now
    session.commit()
