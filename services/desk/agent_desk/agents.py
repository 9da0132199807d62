"""Agent accounts: creating them (the CLI) and checking a sign-in."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Agent
from .passwords import hash_password, password_matches, password_problem

ROLES = ("agent", "supervisor")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$")


class AgentError(ValueError):
    """A request to create an agent that cannot be met; the message says why."""


def create_agent(session: Session, email: str, role: str, password: str, now: dt.datetime) -> Agent:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise AgentError(f"{email!r} is not an email address.")
    if role not in ROLES:
        raise AgentError(f"The role must be one of {', '.join(ROLES)}.")
    problem = password_problem(password)
    if problem:
        raise AgentError(problem)
    if session.execute(select(Agent.id).where(Agent.email == email)).first():
        raise AgentError(f"An agent with the email {email} already exists.")
    agent = Agent(email=email, role=role, password_hash=hash_password(password), active=True, created_at=now)
    session.add(agent)
    session.commit()
    return agent


def authenticate(session: Session, email: str, password: str) -> Agent | None:
    agent = session.execute(select(Agent).where(Agent.email == email.strip().lower())).scalar_one_or_none()
    ok = password_matches(agent.password_hash if agent else None, password)
    return agent if ok and agent is not None and agent.active else None
