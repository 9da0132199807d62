"""The REST channel against the running assistant: website and SMS conversations cannot be continued
over it, a member token slipped into its metadata verifies nothing, and typed numbers are stored nowhere."""

import uuid

import httpx

from assistant.channels.twilio_sms import conversation_id_for
from assistant.member_tokens import issue_member_token
from tests.e2e.stores import places_holding

# One of each, distinct from the other channels' numbers so a failure names the channel.
CARD, SSN, BANK = "4012 8888 8888 1881", "231-45-6782", "000123456789"


def new_sender() -> str:
    return f"e2e-rest-{uuid.uuid4().hex[:12]}"


def post(assistant, sender, message, **extra):
    return httpx.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message, **extra},
        timeout=60,
    )


def test_website_and_sms_conversations_cannot_be_continued_over_rest(assistant):
    with httpx.Client(base_url=assistant.website_url, timeout=10) as browser:
        browser.get("/")
        website_conversation = browser.get("/api/chat-session").json()["conversation_id"]
    sms_conversation = conversation_id_for("+15557770000", assistant.env["SMS_ID_SECRET"])
    for sender in (website_conversation, sms_conversation):
        response = post(assistant, sender, "what's my balance?")
        assert response.status_code == 403, sender
        assert response.json()["reason"] == "reserved_sender_id"
        assert [e for e in assistant.tracker(sender).get("events") or [] if e.get("event") == "user"] == []


def test_a_member_token_in_rest_metadata_verifies_nothing(assistant):
    sender = new_sender()
    maria = assistant.member_number("2000100001", "1985-04-12", "94612")
    # Even a genuine token issued for this very conversation id: REST passes no client metadata at all.
    token = issue_member_token(maria, assistant.env["MEMBER_TOKEN_SECRET"], conversation_id=sender)
    response = post(assistant, sender, "what's my balance?", metadata={"member_token": token})
    assert response.status_code == 200
    reply = "\n".join(m.get("text", "") for m in response.json())
    assert "$140.90" not in reply and "Maria" not in reply
    assert "account number or medical record number" in reply
    assert token not in str(assistant.tracker(sender))


def test_a_malformed_request_is_a_400(assistant):
    response = httpx.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        content=b"sender=x&message=hi",
        headers={"Content-Type": "text/plain"},
        timeout=10,
    )
    assert response.status_code == 400 and response.json()["reason"] == "invalid_body"


def test_numbers_typed_over_rest_are_stored_nowhere(assistant):
    sender = new_sender()
    for typed in (f"my card is {CARD}.", f"my social is {SSN}", f"my checking account number is {BANK}"):
        reply = assistant.texts(sender, typed)
        assert re_digits(CARD) not in re_digits(reply)
    assert "billing specialist" in assistant.texts(sender, "I want to talk to a real person")
    handoffs = assistant.billing("/handoffs?status=open")
    assert any(case["conversation_id"] == sender for case in handoffs)
    assert "billing.db" in places_holding(assistant, "2000100001")  # the search finds what is there
    for number in (CARD, SSN, BANK):
        assert places_holding(assistant, number) == [], number


def re_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
