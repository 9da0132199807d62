"""Messages pushed to a phone outside a webhook request (agent replies) go through Twilio's Messaging API
at TWILIO_API_BASE_URL and honour opt-outs: a text not sent is an error the caller sees."""

import pytest

from assistant.channels.sms_store import SmsStore
from assistant.channels.twilio_sms import NotDelivered, TwilioSmsInput, TwilioSmsOutput, conversation_id_for
from tests.e2e.fake_twilio import serving_fake_twilio
from tests.processes import free_port

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
    with pytest.raises(NotDelivered, match="opted out of texts"):
        await TwilioSmsOutput(store, twilio, "+15550000000", RESPONSES).send_text_message(
            conversation, "Hi, it's Dana"
        )
    assert twilio.messages.sent == []


async def test_texts_go_to_the_configured_messaging_api_with_the_account_credentials(store, monkeypatch):
    conversation = conversation_id_for("+15551112222", "secret")
    store.remember_number(conversation, "+15551112222")
    account, token = "AC" + "0123" * 8, "auth-token-for-this-test"
    with serving_fake_twilio(account, token, free_port()) as twilio:
        monkeypatch.setenv("TWILIO_API_BASE_URL", twilio.url)
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", account)
        monkeypatch.setenv("TWILIO_FROM_NUMBER", "+15550000000")
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
        await TwilioSmsInput(store).get_output_channel().send_text_message(conversation, "Hi, it's Dana")
        (texted,) = twilio.texts_to("+15551112222")
        assert (texted.from_, texted.body) == ("+15550000000", "Hi, it's Dana")

        monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-auth-token")  # Twilio answers 401: no retrying that
        with pytest.raises(NotDelivered, match="Twilio refused the text"):
            await TwilioSmsInput(store).get_output_channel().send_text_message(conversation, "Again")
        assert len(twilio.texts_to("+15551112222")) == 1


def test_the_messaging_api_is_twilios_own_unless_configured(store, monkeypatch):
    for name, value in (("TWILIO_ACCOUNT_SID", "AC" + "0" * 32), ("TWILIO_AUTH_TOKEN", "token")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TWILIO_API_BASE_URL", raising=False)
    output = TwilioSmsInput(store).get_output_channel()
    assert output.client.api.base_url == "https://api.twilio.com"


def test_the_conversation_id_is_a_keyed_hash_of_the_number():
    one = conversation_id_for("+15551234567", "secret")
    assert one.startswith("sms-") and "5551234567" not in one
    assert (
        one == conversation_id_for("+15551234567", "secret") != conversation_id_for("+15551234567", "other")
    )


async def test_a_long_reply_refused_part_way_says_how_much_reached_the_member(store):
    from twilio.base.exceptions import TwilioRestException

    class RefusingSecond(RecordingMessages):
        def create(self, to, from_, body):
            if self.sent:
                raise TwilioRestException(400, "uri", msg="bad", code=21610)
            super().create(to, from_, body)

    conversation = conversation_id_for("+15553334444", "secret")
    store.remember_number(conversation, "+15553334444")
    twilio = FakeTwilio()
    twilio.messages = RefusingSecond()
    long_reply = "\n\n".join(f"Paragraph {n}: " + "word " * 60 for n in range(12))
    with pytest.raises(NotDelivered, match=r"only the first 1 of \d texts reached the member"):
        output = TwilioSmsOutput(store, twilio, "+15550000000", RESPONSES)
        await output.send_text_message(conversation, long_reply)
    assert len(twilio.messages.sent) == 1
