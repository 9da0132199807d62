"""Messages pushed to a phone outside a webhook request (agent replies) honour opt-outs."""

import pytest

from assistant.channels.sms_store import SmsStore
from assistant.channels.twilio_sms import TwilioSmsOutput, conversation_id_for

RESPONSES = {"utter_sms_choose_hint": "Reply with a number to choose."}


class RecordingMessages:
    def __init__(self):
        self.sent = []

    def create(self, to, from_, body):
        self.sent.append((to, body))


class FakeTwilio:
    def __init__(self):
        self.messages = RecordingMessages()


@pytest.fixture
def store(tmp_path):
    return SmsStore(f"sqlite:///{tmp_path}/sms.db")


async def test_an_agent_reply_reaches_a_subscribed_phone(store):
    conversation = conversation_id_for("+15551234567", "secret")
    store.remember_number(conversation, "+15551234567")
    twilio = FakeTwilio()
    output = TwilioSmsOutput(store, twilio, "+15550000000", RESPONSES)
    await output.send_text_with_buttons(
        conversation, "Shall I call you?", [{"title": "Yes", "payload": "/affirm"}]
    )
    assert twilio.messages.sent == [
        ("+15551234567", "Shall I call you?\n1. Yes\nReply with a number to choose.")
    ]
    assert store.menu(conversation) == ["/affirm"]


async def test_nothing_is_sent_to_a_phone_that_opted_out(store):
    conversation = conversation_id_for("+15557654321", "secret")
    store.remember_number(conversation, "+15557654321")
    store.set_opted_out(conversation, True)
    twilio = FakeTwilio()
    await TwilioSmsOutput(store, twilio, "+15550000000", RESPONSES).send_text_message(
        conversation, "Hi, it's Dana"
    )
    assert twilio.messages.sent == []


def test_the_conversation_id_is_a_keyed_hash_of_the_number():
    one = conversation_id_for("+15551234567", "secret")
    assert one.startswith("sms-") and "5551234567" not in one
    assert (
        one == conversation_id_for("+15551234567", "secret") != conversation_id_for("+15551234567", "other")
    )
