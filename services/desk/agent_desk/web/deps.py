"""What every route needs: a database session, the clock, the signed-in agent, the CSRF check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ..models import Agent, DeskSession
from ..sessions import csrf_matches, live_session, mark_seen
from ..settings import DeskSettings

SESSION_COOKIE = "desk_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class NotSignedIn(Exception):
    """No live session: pages send the browser to sign in, everything else gets a 401."""


class Refused(Exception):
    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclasses.dataclass
class Signed:
    agent: Agent
    session: DeskSession

    @property
    def is_supervisor(self) -> bool:
        return self.agent.role == "supervisor"


def get_db(request: Request) -> Iterator[Session]:
    session = request.app.state.desk_sessions()
    try:
        yield session
    finally:
        session.close()


def get_now(request: Request) -> dt.datetime:
    return request.app.state.clock()


def get_settings(request: Request) -> DeskSettings:
    return request.app.state.settings


async def signed_in(
    request: Request, db: Session = Depends(get_db), now: dt.datetime = Depends(get_now)
) -> Signed:
    found = live_session(db, request.cookies.get(SESSION_COOKIE), now)
    if found is None:
        raise NotSignedIn()
    signed = Signed(agent=found[1], session=found[0])
    mark_seen(db, signed.session, now)
    if request.method not in ("GET", "HEAD"):
        form = await request.form()
        given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if not csrf_matches(signed.session.csrf_token, given if isinstance(given, str) else None):
            raise Refused(
                403, "This form has expired or did not come from the desk. Reload the page and try again."
            )
    return signed


def supervisor(signed: Signed = Depends(signed_in)) -> Signed:
    if not signed.is_supervisor:
        raise Refused(403, "Only supervisors may see this page.")
    return signed
