"""Conversations over the REST channel with the trained model, the action server and billing."""

import json
import uuid
from pathlib import Path

import httpx

from assistant.rasa_api import api_headers
from tests.e2e.stack import RASA_JWT_SECRET, SECRETS
from tests.e2e.stores import work_folder


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def verify(assistant, sender):
    assert "account number or medical record number" in assistant.texts(sender, "what's my balance?")
    assert "date of birth" in assistant.texts(sender, "2000100001")
    assert "ZIP" in assistant.texts(sender, "April 12, 1985")
    return assistant.texts(sender, "94612")


def test_verify_balance_pay_and_confirm_twice_pays_once(assistant):
    sender = new_sender()
    maria = assistant.member_number("2000100001", "1985-04-12", "94612")
    before = {
        p["confirmation_number"] for p in assistant.billing("/accounts/2000100001/payments", member=maria)
    }
    reply = verify(assistant, sender)
    assert "Thanks, Maria, you're verified" in reply
    assert "$140.90 due by" in reply and "$389.00" in reply
    assert "Which account?" in assistant.texts(sender, "I'd like to make a payment")
    assert "How much would you like to pay?" in assistant.texts(sender, "the medical bill one")
    assert "Which payment method?" in assistant.texts(sender, "$40.25")
    readback = assistant.texts(sender, "my visa")
    assert "pay $40.25 from your Visa ending 4242 to your medical bill account ending 0001" in readback
    done = assistant.texts(sender, "yes")
    assert "$40.25 was paid" in done and "Your balance is now $100.65" in done
    assistant.texts(sender, "yes")
    payments = assistant.billing("/accounts/2000100001/payments", member=maria)
    new = [p for p in payments if p["confirmation_number"] not in before]
    assert [p["amount_cents"] for p in new] == [4025] and new[0]["confirmation_number"] in done
    assert assistant.billing("/accounts/2000100001", member=maria)["balance_cents"] == 14090 - 4025


def test_an_faq_answer_carries_the_number_from_the_seed_facts(assistant):
    sender = new_sender()
    assert "1-888-225-7202" in assistant.texts(sender, "who do I call about a claim?")
    assert "1-800-218-1059" in assistant.texts(sender, "can I pay my bill over the phone")


def test_out_of_scope_gets_the_billing_only_redirect(assistant):
    reply = assistant.texts(new_sender(), "I need to refill my prescription")
    assert "I can only help with billing" in reply


def test_a_card_number_is_never_repeated_or_stored(assistant):
    sender = new_sender()
    reply = assistant.texts(sender, "my card is 4242 4242 4242 4242")
    assert "please don't type card" in reply and "4242 4242 4242 4242" not in reply
    stored = json.dumps(assistant.tracker(sender))
    assert "4242 4242 4242 4242" not in stored and "4242424242424242" not in stored


def test_the_http_api_takes_only_a_signed_jwt(assistant):
    url = f"{assistant.rasa_url}/conversations/anyone/tracker"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": RASA_JWT_SECRET}, timeout=10).status_code == 401
    assert (
        httpx.get(url, headers=api_headers("a-secret-that-is-not-the-servers"), timeout=10).status_code == 401
    )
    assert httpx.get(url, headers=assistant.api_headers, timeout=10).status_code == 200


def test_an_api_caller_cannot_make_a_conversation_verified(assistant):
    sender = new_sender()
    maria = assistant.member_number("2000100001", "1985-04-12", "94612")
    forged = [
        {"event": "slot", "name": "verified", "value": True},
        {"event": "slot", "name": "member_number", "value": maria},
        {"event": "slot", "name": "identity_token", "value": "not.a.token"},
    ]
    response = httpx.post(
        f"{assistant.rasa_url}/conversations/{sender}/tracker/events",
        json=forged,
        headers=assistant.api_headers,
        timeout=10,
    )
    assert response.status_code == 200
    reply = assistant.texts(sender, "what's my balance?")
    assert "$140.90" not in reply and "confirm who you are" in reply


def test_no_secret_is_on_any_command_line(assistant):
    assistant.texts(new_sender(), "hi")
    command_lines = ""
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command_lines += path.read_bytes().decode(errors="replace") + "\n"
        except OSError:  # the process ended meanwhile
            pass
    for name, value in SECRETS.items():
        assert value not in command_lines, name


def test_a_handoff_is_recorded_and_later_messages_hear_the_queue(assistant):
    sender = new_sender()
    reply = assistant.texts(sender, "I want to talk to a real person")
    assert "billing specialist" in reply and "1-800-218-1059" in reply
    for again in ("hello?", "what's my balance", "I want to talk to a real person"):
        reply = assistant.texts(sender, again)
        assert "still in the queue" in reply and "1-800-218-1059" in reply, again
    queue = assistant.billing("/handoffs?status=open")
    assert sum(case["conversation_id"] == sender for case in queue) == 1  # asking again opens no second case
    case_id = next(case["id"] for case in queue if case["conversation_id"] == sender)
    assert f"reference {case_id}" in reply


def test_the_logs_hold_no_verification_answer_split_number_or_identity_token(assistant):
    sender = new_sender()
    assert "Thanks, Maria, you're verified" in verify(assistant, sender)
    assistant.texts(sender, "my card is 4111 1111")
    assistant.texts(sender, "1111 1111")
    logs = {path.name: path.read_text(errors="replace") for path in work_folder(assistant).glob("*.log")}
    for name, text in logs.items():
        assert "1985" not in text, name  # the date of birth, in any format
        assert "4111 1111" not in text and "41111111" not in text, name
        assert "eyJ" not in text, name  # no JWT: identity or member token


def test_cancel_my_autopay_asks_to_turn_it_off_and_turns_it_off(assistant):
    sender = new_sender()
    assistant.reset_billing()
    susan = assistant.member_number("2000500001", "1968-11-14", "30303")
    assistant.texts(sender, "cancel my autopay")
    question = assistant.texts(sender, "2000500001 11/14/1968 30303")
    assert "Turn off autopay on your medical bill account ending 0001?" in question
    assert "Set it up" not in question and "payment method" not in question
    assert "Autopay on your medical bill account ending 0001 is off" in assistant.texts(sender, "yes")
    assert assistant.billing("/members/" + susan, member=susan)["accounts"][0]["autopay_enabled"] is False
    assistant.reset_billing()
