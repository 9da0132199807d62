"""The REST channel: masks what it is sent, passes no client metadata, refuses website and SMS ids."""

import re

import pytest

from assistant.channels.rest import MaskingRestInput


@pytest.fixture
async def rest(serve_channel):
    return await serve_channel(MaskingRestInput())


async def test_a_message_is_answered_at_the_usual_address(rest):
    response = await rest.client.post(
        "/webhooks/rest/webhook", json={"sender": "tester-1", "message": "hello"}
    )
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "tester-1", "text": "you said: hello"}]


@pytest.mark.parametrize(
    "sender", ["web-0123456789abcdef0123456789abcdef", "sms-0123456789abcdef", "WEB-abc", " sms-abc"]
)
async def test_website_and_sms_conversation_ids_are_refused(rest, sender):
    response = await rest.client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": "what's my balance?"}
    )
    assert response.status_code == 403
    assert response.json()["reason"] == "reserved_sender_id"
    assert rest.received == []


async def test_client_metadata_and_channel_name_are_not_passed_on(rest):
    response = await rest.client.post(
        "/webhooks/rest/webhook",
        json={
            "sender": "tester-2",
            "message": "hi",
            "input_channel": "website",
            "metadata": {"member_token": "eyJhbGciOiJIUzI1NiJ9.e30.stolen", "member_number": "M100001"},
        },
    )
    assert response.status_code == 200
    (message,) = rest.received
    assert message.metadata is None and message.input_channel == "rest"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    "typed, raw",
    [
        ("my card is 4242 4242 4242 4242.", "4242424242424242"),
        ("my social is 123-45-6789", "123456789"),
        ("my bank account number is 000123456789", "000123456789"),
    ],
)
async def test_numbers_are_masked_before_the_message_is_handled(rest, typed, raw):
    response = await rest.client.post("/webhooks/rest/webhook", json={"sender": "tester-3", "message": typed})
    assert response.status_code == 200
    (message,) = rest.received
    assert raw not in digits(message.text) and "removed]" in message.text
    assert raw not in digits(response.text)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"message": "hi"}',
        b'{"sender": 5, "message": "hi"}',
        b'{"sender": "a", "message": {"text": "hi"}}',
        b'{"sender": "", "message": "hi"}',
    ],
)
async def test_a_malformed_body_is_a_400(rest, body):
    response = await rest.client.post(
        "/webhooks/rest/webhook", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"]
    assert rest.received == []
