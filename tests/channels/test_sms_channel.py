"""The SMS webhook: no conversation without SMS_ID_SECRET, and typed numbers masked before handling."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from assistant.channels.sms_store import SmsStore
from assistant.channels.twilio_sms import TwilioSmsInput, conversation_id_for

AUTH_TOKEN = "test-twilio-auth-token"
WEBHOOK_URL = "http://rasa.test/webhooks/twilio_sms/webhook"
PHONE = "+15551230000"


@pytest.fixture
def sms_env(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_WEBHOOK_URL", WEBHOOK_URL)
    monkeypatch.setenv("SMS_ID_SECRET", "test-sms-id-secret")
    monkeypatch.setenv("MEMBER_TOKEN_SECRET", "test-member-token-secret")


async def text(server, body: str):
    params = {"From": PHONE, "To": "+15550000000", "Body": body, "MessageSid": "SM" + uuid.uuid4().hex}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(WEBHOOK_URL, params)
    return await server.client.post(
        "/webhooks/twilio_sms/webhook",
        content=urlencode(params),
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )


async def test_without_sms_id_secret_every_message_is_refused(sms_env, monkeypatch, tmp_path, serve_channel):
    monkeypatch.delenv("SMS_ID_SECRET")
    store = SmsStore(f"sqlite:///{tmp_path}/sms.db")
    server = await serve_channel(TwilioSmsInput(store))
    response = await text(server, "what's my balance?")
    assert response.status_code == 503 and "SMS_ID_SECRET" in response.json()["message"]
    assert server.received == []


def test_no_conversation_id_without_a_key():
    with pytest.raises(ValueError):
        conversation_id_for(PHONE, "")


@pytest.mark.parametrize(
    "typed, raw",
    [
        ("card 4242.4242.4242.4242", "4242424242424242"),
        ("my ssn is 123 45 6789", "123456789"),
        ("bank account 000123456789", "000123456789"),
    ],
)
async def test_numbers_are_masked_before_the_message_is_handled(sms_env, tmp_path, serve_channel, typed, raw):
    store = SmsStore(f"sqlite:///{tmp_path}/sms.db")
    server = await serve_channel(TwilioSmsInput(store), reply=lambda message: "Got it")
    response = await text(server, typed)
    assert response.status_code == 200 and "Got it" in response.text
    (message,) = server.received
    assert message.sender_id == conversation_id_for(PHONE, "test-sms-id-secret")
    assert raw not in re.sub(r"\D", "", message.text) and "removed]" in message.text
    assert message.metadata in (None, {})
