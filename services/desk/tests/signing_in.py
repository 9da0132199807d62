"""Agents for the tests and signing in through the real form (its CSRF token included)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from agent_desk.agents import create_agent
from agent_desk.db import session_factory

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_agent(app, email: str, role: str) -> None:
    with session_factory(app.state.desk_engine)() as session:
        create_agent(session, email, role, PASSWORD, app.state.clock())


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str):
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    if answer.status_code == 303:
        client.csrf = csrf_of(client.get("/queue").text)  # type: ignore[attr-defined]
    return answer


def post(client: TestClient, url: str, **data):
    """A form post from the desk's own pages: with the session's CSRF token."""
    return client.post(url, data={"csrf_token": client.csrf, **data}, follow_redirects=False)  # type: ignore[attr-defined]
