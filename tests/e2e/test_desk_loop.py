"""The handoff loop through the real stack and the real agent desk, in Debian's headless chromium: a member
asks for a person in the website widget and hears their place in the queue; an agent signed in to the desk
sees the handoff arrive by itself, claims it and replies; the reply appears in the member's widget; resolve,
and the assistant answers the member again. The same by SMS, where the agent's reply is texted through
(a stand-in for) Twilio's Messaging API, and not to a member who texted STOP. And a member who stops
waiting or restarts goes back to the assistant, the case closed and gone from the desk's queue."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import expect

from assistant.channels.twilio_sms import conversation_id_for
from tests.e2e.stack import AGENT_PASSWORD, PLAN_NUMBER, Phone, serving_desk
from tests.e2e.test_website import bot_text, open_chat, say

AGENT = "ana@plan.example"
MINUTES_PER_PLACE = 5  # the assistant's documented default (actions/handoff_queue.py)
LONG = 30_000  # ms: one assistant turn on a busy machine


@pytest.fixture(scope="module")
def desk(assistant):
    with serving_desk(assistant, AGENT) as url:
        yield url


@pytest.fixture
def agent(browser, desk):
    """An agent signed in with the queue open (an open desk page is what makes them 'at the desk')."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{desk}/queue")
    page.fill("input[name=email]", AGENT)
    page.fill("input[name=password]", AGENT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{desk}/queue")
    yield page
    context.close()


@pytest.fixture
def member(browser, assistant):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(assistant.website_url)
    open_chat(page)
    yield page
    context.close()


def conversation_of(page, assistant) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return httpx.get(f"{assistant.website_url}/api/chat-session", cookies=cookies, timeout=10).json()[
        "conversation_id"
    ]


def open_case(assistant, conversation: str) -> tuple[int, int]:
    """The member's open handoff and its place in the billing service's queue (oldest first)."""
    waiting = assistant.billing("/handoffs?status=open")
    for place, case in enumerate(waiting, start=1):
        if case["conversation_id"] == conversation:
            return case["id"], place
    raise AssertionError(f"no open handoff for {conversation}")


def test_with_nobody_at_the_desk_the_member_gets_the_phone_line_and_stays_queued(assistant, desk, member):
    """First in the module: no agent has signed in to the desk yet."""
    say(member, "I want to talk to a person")
    expect(bot_text(member)).to_contain_text("No billing specialist is free", timeout=LONG)
    expect(bot_text(member)).to_contain_text("1-800-218-1059")
    open_case(assistant, conversation_of(member, assistant))  # kept for an agent to answer


def test_an_agent_answers_a_website_member_from_the_desk_and_hands_back(assistant, agent, member, desk):
    say(member, "I want to talk to a person")
    expect(bot_text(member)).to_contain_text("You're number", timeout=LONG)
    conversation = conversation_of(member, assistant)
    case, place = open_case(assistant, conversation)
    expect(bot_text(member)).to_contain_text(
        f"You're number {place} in the queue; the wait is about {place * MINUTES_PER_PLACE} minutes"
    )

    row = agent.locator(f'tr.handoff[data-case="{case}"]')
    expect(row).to_contain_text("Website chat", timeout=LONG)  # arrived without a reload
    row.get_by_role("button", name=f"Claim handoff {case}").click()
    expect(agent).to_have_url(f"{desk}/conversations/{conversation}")
    agent.get_by_label("Reply to the member").fill("Hi, I'm Ana from billing. How can I help?")
    agent.get_by_role("button", name="Send").click()
    expect(bot_text(member)).to_contain_text("Hi, I'm Ana from billing. How can I help?", timeout=LONG)

    answers_before = member.locator(".chat-message.bot").count()
    say(member, "it is about my last statement")
    expect(agent.locator("li.turn.member").last).to_contain_text("about my last statement", timeout=LONG)
    assert member.locator(".chat-message.bot").count() == answers_before  # the assistant stays quiet

    agent.get_by_label("Note for the case").fill("Explained the statement.")
    agent.get_by_role("button", name="Resolve and hand back to the assistant").click()
    expect(agent).to_have_url(f"{desk}/queue")
    assert case not in [c["id"] for c in assistant.billing("/handoffs?status=open")]

    say(member, "what can you do?")
    expect(bot_text(member)).to_contain_text("I can help with:", timeout=LONG)
    assert "still in the queue" not in bot_text(member).inner_text()


def test_a_member_who_stops_waiting_is_back_with_the_assistant_and_leaves_the_queue(
    assistant, agent, member, desk
):
    say(member, "can I talk to a real person")
    expect(bot_text(member)).to_contain_text("You're number", timeout=LONG)
    conversation = conversation_of(member, assistant)
    case, _ = open_case(assistant, conversation)
    expect(agent.locator(f'tr.handoff[data-case="{case}"]')).to_be_visible(timeout=LONG)

    say(member, "hello?")
    expect(bot_text(member)).to_contain_text("You're still in the queue", timeout=LONG)
    member.get_by_role("button", name="Stop waiting").last.click()
    expect(bot_text(member)).to_contain_text("you're out of the queue", timeout=LONG)
    assert case not in [c["id"] for c in assistant.billing("/handoffs?status=open")]
    expect(agent.locator(f'tr.handoff[data-case="{case}"]')).to_have_count(0, timeout=LONG)

    say(member, "what can you do?")
    expect(bot_text(member)).to_contain_text("I can help with:", timeout=LONG)


def test_by_sms_the_handoff_reaches_the_desk_and_the_member_can_stop_waiting(assistant, agent):
    """Signed Twilio requests."""
    phone = Phone(assistant)
    told = "\n".join(phone.text("I want to talk to a real person"))
    conversation = conversation_id_for(phone.number, assistant.env["SMS_ID_SECRET"])
    case, place = open_case(assistant, conversation)
    assert f"You're number {place} in the queue" in told and "1. Stop waiting" in told
    row = agent.locator(f'tr.handoff[data-case="{case}"]')
    expect(row).to_contain_text("SMS", timeout=LONG)
    assert phone.number[2:] not in row.inner_text()  # the desk never shows the phone number

    waiting = "\n".join(phone.text("hello?"))
    assert f"number {place} in line" in waiting and "1. Stop waiting" in waiting
    assert "out of the queue" in "\n".join(phone.text("1"))
    assert case not in [c["id"] for c in assistant.billing("/handoffs?status=open")]
    expect(row).to_have_count(0, timeout=LONG)
    assert any("I can help with" in text for text in phone.text("what can you do?"))


def claim_and_reply(agent, desk: str, case: int, conversation: str, text: str) -> None:
    row = agent.locator(f'tr.handoff[data-case="{case}"]')
    row.get_by_role("button", name=f"Claim handoff {case}").click(timeout=LONG)
    expect(agent).to_have_url(f"{desk}/conversations/{conversation}")
    agent.get_by_label("Reply to the member").fill(text)
    agent.get_by_role("button", name="Send").click()


def resolve(agent, desk: str, note: str) -> None:
    agent.get_by_label("Note for the case").fill(note)
    agent.get_by_role("button", name="Resolve and hand back to the assistant").click()
    expect(agent).to_have_url(f"{desk}/queue")


def test_by_sms_an_agent_answers_from_the_desk_and_hands_back(assistant, agent, desk):
    phone = Phone(assistant)
    phone.text("I want to talk to a real person")
    conversation = conversation_id_for(phone.number, assistant.env["SMS_ID_SECRET"])
    case, _ = open_case(assistant, conversation)

    claim_and_reply(agent, desk, case, conversation, "Hi, I'm Ana from billing. How can I help?")
    (texted,) = assistant.twilio.wait_for_text_to(phone.number)
    assert texted.body == "Hi, I'm Ana from billing. How can I help?" and texted.from_ == PLAN_NUMBER

    assert phone.text("it is about my last statement") == []  # the agent answers now, not the assistant
    expect(agent.locator("li.turn.member").last).to_contain_text("about my last statement", timeout=LONG)
    resolve(agent, desk, "Explained the statement by text.")
    assert case not in [c["id"] for c in assistant.billing("/handoffs?status=open")]

    assert any("I can help with" in text for text in phone.text("what can you do?"))
    assert len(assistant.twilio.texts_to(phone.number)) == 1  # only the agent's words were pushed


def test_by_sms_a_member_who_texted_stop_gets_no_reply_and_the_agent_is_told(assistant, agent, desk):
    phone = Phone(assistant)
    phone.text("I want to talk to a real person")
    conversation = conversation_id_for(phone.number, assistant.env["SMS_ID_SECRET"])
    case, _ = open_case(assistant, conversation)
    assert any("unsubscribed" in text for text in phone.text("STOP"))

    claim_and_reply(agent, desk, case, conversation, "Hi, I'm Ana from billing.")
    expect(agent.locator("p.alert")).to_contain_text(
        "Your reply was not delivered: the member opted out of texts (they sent STOP).", timeout=LONG
    )
    assert assistant.twilio.texts_to(phone.number) == []
    agent.goto(f"{desk}/conversations/{conversation}")
    assert not any("Ana from billing" in turn for turn in agent.locator("li.turn").all_inner_texts())
    resolve(agent, desk, "Member opted out of texts; not reached.")


def test_a_restart_while_waiting_closes_the_case_and_leaves_the_desks_queue(assistant, agent):
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assert "You're number" in assistant.texts(sender, "I want to talk to a person")
    case, _ = open_case(assistant, sender)
    row = agent.locator(f'tr.handoff[data-case="{case}"]')
    expect(row).to_be_visible(timeout=LONG)

    assert "out of the queue" in assistant.texts(sender, "/restart")
    assert case not in [c["id"] for c in assistant.billing("/handoffs?status=open")]
    expect(row).to_have_count(0, timeout=LONG)
    assert "I can help with" in assistant.texts(sender, "what can you do?")
