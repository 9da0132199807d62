"""The website and its chat widget in Debian's headless chromium, driven by Playwright."""

import re
import time

import httpx
import pytest
import socketio
from playwright.sync_api import expect

from assistant.chat_sessions import new_session_token
from tests.e2e.stores import places_holding


@pytest.fixture
def page(browser, assistant):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(assistant.website_url)
    yield page
    context.close()


def sign_in(page, member="James Carter"):
    page.select_option("#member", label=member)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def open_chat(page):
    page.get_by_role("button", name="Chat with billing").click()
    expect(page.locator("#chat-widget")).to_have_attribute("data-ready", "true")
    expect(page.locator(".chat-message.bot").first).to_be_visible(timeout=30000)


def say(page, text):
    page.fill("#chat-input", text)
    page.keyboard.press("Enter")


def bot_text(page):
    return page.locator(".chat-log")


def test_a_signed_in_member_sees_the_balance_without_verifying_again(page):
    sign_in(page)
    open_chat(page)
    say(page, "what's my balance?")
    expect(bot_text(page)).to_contain_text("$84.40 due by", timeout=30000)
    expect(bot_text(page)).not_to_contain_text("account number or medical record number")


def test_a_payment_through_buttons_and_the_conversation_survives_a_reload(page, assistant):
    sign_in(page, "David Johnson")
    open_chat(page)
    say(page, "I want to make a payment")
    page.get_by_role("button", name=re.compile(r"^Another amount$")).click(timeout=30000)
    expect(bot_text(page)).to_contain_text("Any amount up to", timeout=30000)
    say(page, "$12.34")
    page.get_by_role("button", name="Sandbox Bank ending 6789").click(timeout=30000)
    expect(bot_text(page)).to_contain_text(
        "Please confirm: pay $12.34 from your Sandbox Bank ending 6789", timeout=30000
    )
    page.get_by_role("button", name="Yes, pay $12.34").click()
    expect(bot_text(page)).to_contain_text("$12.34 was paid", timeout=30000)
    david = assistant.member_number("2000600001", "1979-03-08", "97201")
    payments = assistant.billing("/accounts/2000600001/payments", member=david)
    assert [p["amount_cents"] for p in payments] == [1234]
    page.reload()
    expect(bot_text(page)).to_contain_text("$12.34 was paid")
    expect(page.locator(".chat-panel")).to_be_visible()


def test_a_message_pushed_through_the_http_api_appears(page, assistant):
    open_chat(page)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    conversation = httpx.get(f"{assistant.website_url}/api/chat-session", cookies=cookies).json()[
        "conversation_id"
    ]
    response = httpx.post(
        f"{assistant.rasa_url}/conversations/{conversation}/tracker/events",
        params={"output_channel": "website", "execute_side_effects": "true"},
        headers=assistant.api_headers,
        json=[{"event": "bot", "text": "Hello from Dana, a billing specialist."}],
        timeout=10,
    )
    assert response.status_code == 200
    expect(bot_text(page)).to_contain_text("Hello from Dana, a billing specialist.", timeout=15000)


def test_the_widget_works_by_keyboard_alone(page):
    page.keyboard.press("Tab")
    for _ in range(8):
        if page.evaluate("document.activeElement.textContent") == "Chat with billing":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Chat with billing"
    page.keyboard.press("Enter")
    expect(page.locator("#chat-input")).to_be_focused()
    expect(page.locator(".chat-log")).to_have_attribute("aria-live", "polite")
    page.keyboard.type("what can you do?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Check my balance")).to_be_visible(timeout=30000)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Escape")
    expect(page.locator(".chat-panel")).to_be_hidden()
    expect(page.get_by_role("button", name="Chat with billing")).to_be_focused()


def test_the_widget_fits_a_phone(browser, assistant):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(assistant.website_url)
    open_chat(page)
    box = page.locator(".chat-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    context.close()


def test_a_conversation_cannot_be_joined_by_its_id_or_from_another_origin(assistant):
    def attempt(headers, session_token):
        client = socketio.Client()
        events = []
        client.on("session_confirm", lambda data: events.append(("confirm", data)))
        client.on("session_rejected", lambda data: events.append(("rejected", data)))
        try:
            client.connect(
                assistant.rasa_url,
                headers=headers,
                transports=["polling"],
                socketio_path="/socket.io",
                wait_timeout=10,
            )
        except socketio.exceptions.ConnectionError:
            return "refused"
        client.emit("session_request", {"session_token": session_token, "session_id": "web-someone-else"})
        deadline = time.monotonic() + 10
        while not events and time.monotonic() < deadline:
            time.sleep(0.1)
        client.disconnect()
        return events

    origin = {"Origin": assistant.website_url}
    assert attempt({"Origin": "https://evil.example"}, "") == "refused"
    assert attempt(origin, "web-0123456789abcdef")[0][0] == "rejected"
    forged = new_session_token("another-secret", "M100001")
    assert attempt(origin, forged)[0][0] == "rejected"
    signed_with_member_secret = new_session_token(assistant.env["MEMBER_TOKEN_SECRET"], "M100001")
    assert attempt(origin, signed_with_member_secret)[0][0] == "rejected"
    genuine = new_session_token(assistant.env["CHAT_SESSION_SECRET"], "M100001")
    events = attempt(origin, genuine)
    assert events[0][0] == "confirm" and events[0][1] != "web-someone-else"


def test_a_chat_opened_before_its_session_arrived_is_still_greeted(browser, assistant):
    context = browser.new_context()
    page = context.new_page()

    def slow(route):
        time.sleep(2)  # a busy server: the member clicks before the chat session has arrived
        route.continue_()

    page.route("**/api/chat-session", slow)
    page.goto(assistant.website_url, wait_until="domcontentloaded")
    page.get_by_role("button", name="Chat with billing").click()
    expect(page.locator(".chat-message.bot").first).to_be_visible(timeout=30000)
    context.close()


def test_a_card_saved_on_the_secure_page_can_pay_in_the_chat(page, browser):
    sign_in(page, "Susan Patel")
    open_chat(page)
    say(page, "I want to add a new card")
    link = page.locator(".chat-log a[href*='/pay/']").last
    expect(link).to_be_visible(timeout=30000)
    payment_page = page.context.new_page()
    payment_page.goto(link.get_attribute("href"))
    payment_page.fill("#card_number", "5555 5555 5555 4444")
    payment_page.fill("#exp_month", "7")
    payment_page.fill("#exp_year", "2031")
    payment_page.fill("#cvc", "123")
    payment_page.get_by_role("button", name="Save payment method").click()
    expect(payment_page.get_by_text("Mastercard ending 4444 is saved")).to_be_visible()
    payment_page.close()
    say(page, "make a payment")
    expect(page.get_by_role("button", name=re.compile("Full balance"))).to_be_visible(timeout=30000)
    page.get_by_role("button", name=re.compile("Full balance")).click()
    expect(page.get_by_role("button", name="Mastercard ending 4444")).to_be_visible(timeout=30000)
    expect(bot_text(page)).not_to_contain_text("5555 5555 5555 4444")


# One of each, distinct from the other channels' numbers so a failure names the channel.
CARD, SSN, BANK = "3782 822463 10005", "345 67 8912", "44556677889"


class SocketChat:
    """A socket.io client speaking to the website channel as the widget does."""

    def __init__(self, assistant, session_token):
        self.events = []
        self.client = socketio.Client()
        for name in ("session_confirm", "session_rejected", "bot_uttered"):
            self.client.on(name, lambda data, name=name: self.events.append((name, data)))
        self.client.connect(
            assistant.rasa_url,
            headers={"Origin": assistant.website_url},
            transports=["polling"],
            socketio_path="/socket.io",
            wait_timeout=10,
        )
        self.client.emit("session_request", {"session_token": session_token})
        self.wait_for("session_confirm", "session_rejected")

    def wait_for(self, *names, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [event for event in self.events if event[0] in names]
            if found:
                return found[0]
            time.sleep(0.1)
        return None

    def say(self, text):
        self.events.clear()
        self.client.emit("user_uttered", {"message": text})
        return self.wait_for("bot_uttered", "session_rejected")

    def close(self):
        if self.client.connected:
            self.client.disconnect()


def chat_session(page, assistant):
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return httpx.get(f"{assistant.website_url}/api/chat-session", cookies=cookies, timeout=10)


def test_every_page_has_security_headers_and_a_protected_cookie(assistant):
    response = httpx.get(assistant.website_url, timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
        and "'unsafe-inline'" not in policy
    )
    assert assistant.env["CHAT_SOCKET_URL"] in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["Referrer-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and re.search(r"SameSite=(lax|strict)", cookie, re.I)
    session = httpx.get(f"{assistant.website_url}/api/chat-session", cookies=response.cookies, timeout=10)
    assert (
        session.headers["Cache-Control"] == "no-store"
        and "frame-ancestors 'none'" in session.headers["Content-Security-Policy"]
    )


def test_a_form_posted_from_another_site_is_refused(assistant):
    with httpx.Client(base_url=assistant.website_url, timeout=10) as browser:
        page = browser.get("/").text
        token = re.search(r'name="form_token" value="([0-9a-f]+)"', page).group(1)
        forged = browser.post(
            "/sign-in",
            data={"member": "maria-lopez", "form_token": token},
            headers={"Origin": "https://evil.example"},
        )
        assert forged.status_code == 403
        assert "Signed in as" not in browser.get("/").text


def test_after_sign_out_the_old_session_token_cannot_continue_the_conversation(page, assistant):
    sign_in(page)
    open_chat(page)
    old = chat_session(page, assistant).json()
    chat = SocketChat(assistant, old["session_token"])
    try:
        assert chat.events[0][0] == "session_confirm"
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("Signed in as")).to_be_hidden()
        # The socket opened before signing out is refused at its next message...
        assert chat.say("what's my balance?")[0] == "session_rejected"
    finally:
        chat.close()
    # ...and the old token cannot open a new one.
    again = SocketChat(assistant, old["session_token"])
    try:
        assert again.events[0][0] == "session_rejected"
    finally:
        again.close()
    assert chat_session(page, assistant).json()["conversation_id"] != old["conversation_id"]


def test_numbers_typed_in_the_widget_are_stored_nowhere(page, assistant):
    open_chat(page)
    answers = page.locator(".chat-message.bot")
    for typed in (f"my card is {CARD}", f"my ssn is {SSN}", f"my bank account is {BANK}"):
        before = answers.count()
        say(page, typed)
        expect(answers.nth(before)).to_be_visible(timeout=30000)
    say(page, "I want to talk to a real person")
    expect(bot_text(page)).to_contain_text("billing specialist", timeout=30000)
    conversation = chat_session(page, assistant).json()["conversation_id"]
    assert any(case["conversation_id"] == conversation for case in assistant.billing("/handoffs?status=open"))
    for number in (CARD, SSN, BANK):
        assert places_holding(assistant, number) == [], number
