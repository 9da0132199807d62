"""SMS through the Twilio webhook, with requests signed the way Twilio signs them."""

import re
import uuid

import httpx

from assistant.channels.twilio_sms import conversation_id_for
from tests.e2e.stack import Phone
from tests.e2e.stores import places_holding

# One of each, distinct from the other channels' numbers so a failure names the channel.
CARD, SSN, BANK = "6011-1111-1111-1117", "456789123", "99887766554"


def test_verify_and_balance_by_text(assistant):
    phone = Phone(assistant)
    assert any("account number" in t for t in phone.text("whats my balance"))
    phone.text("2000200001")
    phone.text("09/30/1972")
    replies = phone.text("20852")
    assert any("Thanks, James" in t for t in replies)
    assert any("$84.40 due by" in t for t in replies)
    assert all(len(t) <= 1600 for t in replies)


def test_buttons_become_a_numbered_menu_and_a_number_picks(assistant):
    phone = Phone(assistant)
    phone.text("what's my balance")
    phone.text("2000100001")
    phone.text("04/12/1985")
    phone.text("94612")
    menu = "\n".join(phone.text("I want to make a payment"))
    # Other tests share this billing service, so the medical balance may have moved.
    assert re.search(r"^1\. Medical bill account ending 0001 \(\$[\d,.]+ due\)$", menu, re.M)
    assert "2. Premium account ending 0002 ($389.00 due)" in menu
    assert "/choose" not in menu and "{" not in menu  # no internal payloads
    amount = "\n".join(phone.text("1"))
    assert "How much would you like to pay?" in amount and re.search(r"^1\. Full balance \$", amount, re.M)


def test_forged_and_unsigned_requests_are_refused(assistant):
    phone = Phone(assistant)
    assert phone.post("hi", sign_with=None).status_code == 403
    assert phone.post("hi", sign_with="not-the-auth-token").status_code == 403


def test_stop_help_and_start(assistant):
    phone = Phone(assistant)
    assert any("unsubscribed" in t for t in phone.text("  stop "))
    assert phone.text("what's my balance") == []
    assert phone.text("STOP") == []  # one confirmation only
    assert any("1-800-218-1059" in t for t in phone.text("help"))  # HELP is answered even now
    assert phone.text("hello?") == []
    assert any("subscribed" in t and "again" in t for t in phone.text("Start"))
    help_text = phone.text("HELP")
    assert len(help_text) == 1 and "1-800-218-1059" in help_text[0] and "STOP" in help_text[0]
    assert phone.text("hello")  # answered again


def test_a_retried_message_sid_is_answered_once(assistant):
    phone = Phone(assistant)
    sid = "SM" + uuid.uuid4().hex
    first = phone.text("hello", sid=sid)
    assert first
    assert phone.text("hello", sid=sid) == []


def test_a_picture_without_text_gets_a_polite_answer(assistant):
    phone = Phone(assistant)
    replies = phone.text("", NumMedia="1", MediaUrl0="https://example.com/photo.jpg")
    assert replies == ["Sorry, I can only read text messages. Please type your billing question."]


def test_the_conversation_id_is_not_the_phone_number(assistant):
    phone = Phone(assistant)
    phone.text("hi")

    def user_turns(conversation_id):
        tracker = httpx.get(
            f"{assistant.rasa_url}/conversations/{conversation_id}/tracker",
            headers=assistant.api_headers,
            timeout=10,
        ).json()
        return [e["text"] for e in tracker.get("events") or [] if e.get("event") == "user"]

    keyed = conversation_id_for(phone.number, assistant.env["SMS_ID_SECRET"])
    assert user_turns(keyed) == ["hi"]
    assert user_turns(phone.number) == []
    assert phone.number[2:] not in keyed


def test_numbers_typed_in_texts_are_stored_nowhere(assistant):
    phone = Phone(assistant)
    for typed in (f"card {CARD}", f"social security {SSN}", f"savings account {BANK}"):
        replies = "\n".join(phone.text(typed))
        assert "".join(CARD.split("-")) not in replies.replace(" ", "").replace("-", "")
    assert any("billing specialist" in t for t in phone.text("I want to talk to a real person"))
    conversation = conversation_id_for(phone.number, assistant.env["SMS_ID_SECRET"])
    assert any(case["conversation_id"] == conversation for case in assistant.billing("/handoffs?status=open"))
    assert "sms.db" in places_holding(assistant, phone.number)  # the search finds what is there
    for number in (CARD, SSN, BANK):
        assert places_holding(assistant, number) == [], number
