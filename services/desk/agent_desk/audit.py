"""Who viewed, replied to, exported, claimed or resolved which conversation; supervisors read it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Agent, AuditEntry

ACTIONS = ("viewed", "replied", "exported", "claimed", "released", "resolved", "suggested")


def record(
    session: Session,
    agent: Agent,
    action: str,
    conversation_id: str | None,
    now: dt.datetime,
    detail: str = "",
) -> None:
    session.add(
        AuditEntry(
            agent_id=agent.id, action=action, conversation_id=conversation_id, detail=detail[:200], at=now
        )
    )
    session.commit()


class AuditFilters(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agent: str | None = Field(None, max_length=254)
    action: str | None = Field(None, pattern=r"^(" + "|".join(ACTIONS) + r")?$")
    conversation: str | None = Field(None, max_length=255)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = Field(1, ge=1, le=100000)


def entries(session: Session, filters: AuditFilters, page_size: int) -> list[tuple[AuditEntry, str]]:
    """One page, plus the first row of the next page when there is one."""
    query = select(AuditEntry, Agent.email).join(Agent, Agent.id == AuditEntry.agent_id)
    if filters.agent:
        query = query.where(Agent.email == filters.agent.lower())
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.conversation:
        query = query.where(AuditEntry.conversation_id == filters.conversation)
    if filters.date_from:
        query = query.where(AuditEntry.at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        query = query.where(
            AuditEntry.at < dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        )
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    query = query.offset((filters.page - 1) * page_size).limit(page_size + 1)
    return [(row[0], row[1]) for row in session.execute(query).all()]
