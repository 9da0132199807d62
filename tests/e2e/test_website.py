"""The website and its chat widget in Debian's headless chromium, driven by Playwright."""
import re
import time

import httpx
import pytest
import socketio
from playwright.sync_api import expect, sync_playwright

from bot.chat_sessions import new_session_token
from tests.e2e.conftest import MEMBER_TOKEN_SECRET

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, assistant):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(assistant.website_url)
    yield page
    context.close()


def sign_in(page, member="M100002"):
    page.select_option("#member", member)
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
    sign_in(page, "M100006")
    open_chat(page)
    say(page, "I want to make a payment")
    page.get_by_role("button", name=re.compile(r"^Another amount$")).click(timeout=30000)
    expect(bot_text(page)).to_contain_text("Any amount up to", timeout=30000)
    say(page, "$12.34")
    page.get_by_role("button", name="Sandbox Bank ending 6789").click(timeout=30000)
    expect(bot_text(page)).to_contain_text("Please confirm: pay $12.34 from your Sandbox Bank ending 6789",
                                           timeout=30000)
    page.get_by_role("button", name="Yes, pay $12.34").click()
    expect(bot_text(page)).to_contain_text("$12.34 was paid", timeout=30000)
    payments = httpx.get(f"{assistant.billing_url}/accounts/2000600001/payments", timeout=10).json()
    assert [p["amount_cents"] for p in payments] == [1234]
    page.reload()
    expect(bot_text(page)).to_contain_text("$12.34 was paid")
    expect(page.locator(".chat-panel")).to_be_visible()


def test_a_message_pushed_through_the_http_api_appears(page, assistant):
    open_chat(page)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    conversation = httpx.get(f"{assistant.website_url}/api/chat-session", cookies=cookies).json()["conversation_id"]
    response = httpx.post(f"{assistant.rasa_url}/conversations/{conversation}/tracker/events",
                          params={"output_channel": "website", "execute_side_effects": "true"}, headers=assistant.api_headers,
                          json=[{"event": "bot", "text": "Hello from Dana, a billing specialist."}], timeout=10)
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
            client.connect(assistant.rasa_url, headers=headers, transports=["polling"], socketio_path="/socket.io",
                           wait_timeout=10)
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
    genuine = new_session_token(MEMBER_TOKEN_SECRET, "M100001")
    events = attempt(origin, genuine)
    assert events[0][0] == "confirm" and events[0][1] != "web-someone-else"


def test_a_card_saved_on_the_secure_page_can_pay_in_the_chat(page, browser):
    sign_in(page, "M100005")
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
