"""Signing in, sessions that expire, CSRF on every form, roles, and the CLI that creates agents."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select

from agent_desk.models import Agent, AuditEntry
from tests.signing_in import PASSWORD, add_agent, csrf_of, post, sign_in

PAGES = [
    "/conversations/web-1/turns",
    "/queue",
    "/queue/rows",
    "/conversations",
    "/conversations/web-1",
    "/audit",
    "/conversations/web-1/export?format=json",
]
POSTS = [
    "/handoffs/1/claim",
    "/handoffs/1/reply",
    "/handoffs/1/resolve",
    "/logout",
    "/conversations/web-1/turns/1/suggestions",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_sends_a_browser_that_is_not_signed_in_to_sign_in(anonymous, path):
    answer = anonymous.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


@pytest.mark.parametrize("path", PAGES + ["/queue/events", "/conversations/web-1/events"])
def test_anything_else_not_signed_in_is_refused_with_401(anonymous, path):
    answer = anonymous.get(path, headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Sign in to the desk first."


@pytest.mark.parametrize("path", POSTS)
def test_a_post_not_signed_in_is_refused(anonymous, path):
    assert anonymous.post(path, data={"text": "hi", "note": "x"}).status_code == 401


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(app, anonymous):
    add_agent(app, "ana@plan.example", "agent")
    answer = sign_in(anonymous, "ana@plan.example", "not the password")
    assert answer.status_code == 401
    assert "do not match an agent" in answer.text
    assert sign_in(anonymous, "nobody@plan.example", PASSWORD).status_code == 401


def test_signing_in_needs_the_forms_csrf_token(app, anonymous):
    add_agent(app, "ana@plan.example", "agent")
    anonymous.get("/login")
    answer = anonymous.post(
        "/login", data={"email": "ana@plan.example", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert answer.status_code == 403 and "expired" in answer.text


def test_a_signed_in_agent_sees_the_queue(agent_client):
    page = agent_client.get("/queue")
    assert page.status_code == 200 and "Handoff queue" in page.text and "ana@plan.example" in page.text


def test_a_session_expires(agent_client, clock):
    clock.advance(minutes=481)
    answer = agent_client.get("/queue", headers={"Accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(agent_client, billing, db):
    billing.open_case(7, "web-1")
    agent_client.get("/queue")
    answer = agent_client.post("/handoffs/7/claim", data={"csrf_token": "guess"})
    assert answer.status_code == 403
    assert "Reload the page" in answer.json()["detail"]
    assert agent_client.post("/handoffs/7/claim").status_code == 403
    assert db.execute(select(AuditEntry)).first() is None


def test_signing_out_ends_the_session(agent_client):
    assert post(agent_client, "/logout").status_code == 303
    assert agent_client.get("/queue", headers={"Accept": "application/json"}).status_code == 401


def test_the_audit_log_is_for_supervisors_only(agent_client, supervisor_client):
    refused = agent_client.get("/audit")
    assert refused.status_code == 403 and "Only supervisors" in refused.text
    assert "Audit log" not in agent_client.get("/queue").text
    assert supervisor_client.get("/audit").status_code == 200


def test_passwords_are_stored_as_argon2_hashes(app, db):
    add_agent(app, "ana@plan.example", "agent")
    stored = db.execute(select(Agent.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def _cli(settings, *args, stdin: str):
    env = {"DESK_DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "agent_desk", "create-agent", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cli_creates_an_agent_with_the_password_from_standard_input(app, settings, anonymous):
    made = _cli(settings, "--email", "Cli@Plan.example", "--role", "supervisor", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert "Created supervisor cli@plan.example" in made.stdout
    assert sign_in(anonymous, "cli@plan.example", PASSWORD).status_code == 303
    assert anonymous.get("/audit").status_code == 200


def test_the_cli_refuses_a_short_password_a_bad_role_and_a_second_agent_with_the_same_email(settings, app):
    short = _cli(settings, "--email", "a@plan.example", stdin="short\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    assert _cli(settings, "--email", "a@plan.example", "--role", "boss", stdin=PASSWORD).returncode == 2
    assert _cli(settings, "--email", "a@plan.example", stdin=PASSWORD).returncode == 0
    again = _cli(settings, "--email", "a@plan.example", stdin=PASSWORD)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_login_page_has_a_csrf_token(anonymous):
    assert csrf_of(anonymous.get("/login").text)


def test_five_failed_sign_ins_lock_the_email_for_fifteen_minutes(app, anonymous, clock):
    add_agent(app, "ana@plan.example", "agent")
    for _ in range(5):
        assert sign_in(anonymous, "ana@plan.example", "wrong password!").status_code == 401
    locked = sign_in(anonymous, "ana@plan.example", PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    clock.advance(minutes=16)
    assert sign_in(anonymous, "ana@plan.example", PASSWORD).status_code == 303


def test_pages_forbid_framing_and_foreign_scripts_and_are_not_cached(agent_client):
    page = agent_client.get("/queue")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
