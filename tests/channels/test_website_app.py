"""The demo website: headers on every page, cookie flags, forms another site cannot post, sign-in
through the billing service's /verify, and sign-out that ends the old session for good."""

import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.billing_client import BillingClient
from assistant.chat_session_revocations import ChatSessionRevocations
from assistant.chat_sessions import read_session_token
from assistant.member_tokens import member_from_token
from website.app import create_app

SESSION_SECRET = "test-chat-session-secret-0123456789"
MEMBER_SECRET = "test-member-token-secret-0123456789"
SITE = "http://testserver"
CHAT_URL = "http://127.0.0.1:5005"


class FakeBilling:
    """POST /verify answering a random-looking member number for the README's demo answers."""

    def __init__(self, status=200):
        self.status = status
        self.requests = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(
            (request.url.path, json.loads(request.content), request.headers.get("X-Client-Id"))
        )
        if self.status != 200:
            return httpx.Response(self.status, json={"reason": "not_verified", "message": "No match."})
        return httpx.Response(
            200,
            json={
                "member_number": "M-7F3A9C",
                "first_name": "Maria",
                "last_name": "Lopez",
                "region": "Northern California",
                "email": None,
                "phone": None,
                "accounts": [],
            },
        )


@pytest.fixture
def billing():
    return FakeBilling()


@pytest.fixture
def revocations(tmp_path):
    return ChatSessionRevocations(f"sqlite:///{tmp_path}/sessions.db")


def website(billing, revocations, **options):
    app = create_app(
        session_secret=SESSION_SECRET,
        member_token_secret=MEMBER_SECRET,
        chat_url=CHAT_URL,
        own_origins=[SITE],
        revocations=revocations,
        billing=lambda: BillingClient("http://billing.test", transport=httpx.MockTransport(billing)),
        **options,
    )
    return TestClient(app, base_url=SITE)


@pytest.fixture
def browser(billing, revocations):
    return website(billing, revocations)


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page).group(1)


def sign_in(browser, member="maria-lopez"):
    token = form_token(browser.get("/").text)
    return browser.post(
        "/sign-in",
        data={"member": member, "form_token": token},
        headers={"Origin": SITE},
        follow_redirects=False,
    )


def test_every_page_carries_the_security_headers(browser):
    for path in ("/", "/api/chat-session", "/static/widget.js", "/static/nothing.js", "/health"):
        response = browser.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "'unsafe-inline'" not in policy
        assert f"connect-src 'self' {CHAT_URL} ws://127.0.0.1:5005" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert browser.get("/").headers["Cache-Control"] == "no-store"
    assert browser.get("/api/chat-session").headers["Cache-Control"] == "no-store"


def test_the_page_has_no_inline_script_or_style(browser):
    page = browser.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)


def test_the_session_cookie_is_http_only_and_same_site(browser, billing, revocations):
    cookie = browser.get("/").headers["set-cookie"]
    assert (
        "HttpOnly" in cookie and re.search(r"SameSite=(lax|strict)", cookie, re.I) and "Secure" not in cookie
    )
    secure = website(billing, revocations, secure_cookies=True)
    assert "Secure" in secure.get("/").headers["set-cookie"]


def test_sign_in_verifies_the_demo_members_answers_with_billing(browser, billing):
    response = sign_in(browser)
    assert response.status_code == 303
    assert billing.requests == [
        (
            "/verify",
            {"account_number": "2000100001", "date_of_birth": "1985-04-12", "zip_code": "94612"},
            "website:testclient",
        )
    ]
    assert "Signed in as <strong>Maria Lopez</strong>" in browser.get("/").text
    chat = browser.get("/api/chat-session").json()
    assert read_session_token(chat["session_token"], SESSION_SECRET).member_number == "M-7F3A9C"
    assert (
        member_from_token(chat["member_token"], MEMBER_SECRET, conversation_id=chat["conversation_id"])
        == "M-7F3A9C"
    )
    # The member token is signed with its own secret: the chat session secret cannot read or forge it.
    assert (
        member_from_token(chat["member_token"], SESSION_SECRET, conversation_id=chat["conversation_id"])
        is None
    )


def test_a_refused_or_unknown_sign_in_is_a_clear_answer(billing, revocations):
    refused = website(FakeBilling(status=401), revocations)
    assert sign_in(refused).status_code == 502
    assert sign_in(website(billing, revocations), member="nobody").status_code == 400


def test_forms_cannot_be_posted_from_another_site(browser, billing):
    token = form_token(browser.get("/").text)
    evil = browser.post(
        "/sign-in",
        data={"member": "maria-lopez", "form_token": token},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    null_origin = browser.post(
        "/sign-in",
        data={"member": "maria-lopez", "form_token": token},
        headers={"Origin": "null"},
        follow_redirects=False,
    )
    no_token = browser.post(
        "/sign-in", data={"member": "maria-lopez"}, headers={"Origin": SITE}, follow_redirects=False
    )
    other_session = browser.post(
        "/sign-in", data={"member": "maria-lopez", "form_token": "0" * 64}, follow_redirects=False
    )
    assert [r.status_code for r in (evil, null_origin, no_token, other_session)] == [403, 403, 403, 403]
    assert billing.requests == []
    signed_in = sign_in(browser)
    assert signed_in.status_code == 303
    assert (
        browser.post("/sign-out", data={}, headers={"Origin": SITE}, follow_redirects=False).status_code
        == 403
    )
    assert "Signed in as" in browser.get("/").text


def test_signing_out_revokes_the_old_session_token(browser, revocations):
    sign_in(browser)
    old_cookie = browser.cookies["chat_session"]
    old = read_session_token(old_cookie, SESSION_SECRET)
    page = browser.get("/").text
    response = browser.post(
        "/sign-out", data={"form_token": form_token(page)}, headers={"Origin": SITE}, follow_redirects=False
    )
    assert response.status_code == 303
    assert revocations.is_revoked(old.conversation_id)
    assert browser.get("/api/chat-session").json()["conversation_id"] != old.conversation_id
    replay = TestClient(browser.app, base_url=SITE, cookies={"chat_session": old_cookie})
    assert replay.get("/api/chat-session").status_code == 401
    assert "Signed in as" not in replay.get("/").text


def test_secrets_must_differ(billing, revocations):
    with pytest.raises(ValueError):
        create_app(session_secret=SESSION_SECRET, member_token_secret=SESSION_SECRET, revocations=revocations)
