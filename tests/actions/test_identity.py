import httpx
import pytest

from actions.accounts import ActionCheckBalance
from actions.identity import ActionRequireMember, ActionVerifyMember, ValidateVerificationForm
from actions.lookups import use_billing_client
from assistant.billing_client import BillingClient
from tests import demo_members as demo
from tests.actions.action_calls import (
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
    validate,
)

MARIA = signed_in_as(demo.MARIA)
MARIA_ACCOUNT, LINDA_ZIP = "2000100001", "80203"


async def test_nothing_is_said_about_an_account_before_verification(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(intent="check_balance"))
    assert response_names(messages) == ["utter_need_verification"]
    assert slot_events(events)["pending_request"] == "action_check_balance"
    assert next_step(events) == "verification_form"
    messages, events = await run(ActionCheckBalance(), tracker(intent="check_balance"))
    assert response_names(messages) == ["utter_need_verification"]
    assert slot_events(events) == {"verified": False, "member_number": None}


async def test_a_verified_member_gets_the_answer_straight_away(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(MARIA, intent="check_balance"))
    assert [m["balance"] for m in messages if m["response"] == "utter_balance"] == ["$140.90", "$389.00"]
    assert next_step(events) is None


async def test_the_form_reads_identifiers_dates_and_zips():
    async def check(slot, typed):
        result, sent = await validate(ValidateVerificationForm(), slot, typed)
        return result[slot], sent

    assert await check("verify_identifier", "2000-1000-01") == ("2000100001", [])
    assert await check("verify_identifier", "mrn 1100 0001") == ("11000001", [])
    for not_ours in ("my name is maria", "123456789", "1234567890"):  # neither an account nor a record number
        assert await check("verify_identifier", not_ours) == (None, ["utter_invalid_identifier"])
    assert await check("verify_birth_date", "April 12, 1985") == ("1985-04-12", [])
    assert await check("verify_birth_date", "yesterday") == (None, ["utter_invalid_birth_date"])
    assert await check("verify_zip", "it's 94612-1234") == ("94612", [])
    assert await check("verify_zip", "946") == (None, ["utter_invalid_zip"])


@pytest.mark.parametrize(
    "typed",
    [
        "2000100001 / 04/12/1985 / 94612",  # the README's demo line
        "94612, born april 12 1985, acct 2000-1000-01",
        "2000 1000 01 4/12/85 94612",
    ],
)
async def test_all_three_answers_in_one_message_fill_the_form(typed):
    result, sent = await validate(ValidateVerificationForm(), "verify_identifier", typed)
    assert result == {
        "verify_identifier": "2000100001",
        "verify_birth_date": "1985-04-12",
        "verify_zip": "94612",
    }
    assert sent == []


async def test_the_digits_of_a_date_are_never_read_as_an_account_number():
    result, _ = await validate(ValidateVerificationForm(), "verify_identifier", "2000300001 1/25/1990 80203")
    assert result == {
        "verify_identifier": "2000300001",
        "verify_birth_date": "1990-01-25",
        "verify_zip": "80203",
    }


async def test_answers_to_later_questions_are_kept_and_the_asked_one_is_asked_again():
    result, sent = await validate(ValidateVerificationForm(), "verify_identifier", "04/12/1985 and 94612")
    assert result == {"verify_identifier": None, "verify_birth_date": "1985-04-12", "verify_zip": "94612"}
    assert sent == []  # no "that doesn't look like an account number": the form asks for it again


async def test_an_answer_already_given_is_not_overwritten_by_another_number():
    slots = {"verify_identifier": "2000100001", "verify_zip": "94612"}
    result, _ = await validate(ValidateVerificationForm(), "verify_birth_date", "4/12/85 (zip 20852)", slots)
    assert result == {"verify_birth_date": "1985-04-12"}


async def test_answers_in_the_request_itself_start_the_form_with_them(billing_client):
    text = "whats my balance? acct 2000100001 dob 04/12/1985 zip 94612"
    messages, events = await run(ActionRequireMember(), tracker(intent="check_balance", text=text))
    assert messages == []  # all three given: checked at once, not "your account number, date of birth..."
    slots = slot_events(events)
    assert (slots["verify_identifier"], slots["verify_birth_date"], slots["verify_zip"]) == (
        "2000100001",
        "1985-04-12",
        "94612",
    )
    assert next_step(events) == "verification_form"
    partly = "whats my balance? acct 2000100001"
    messages, _ = await run(ActionRequireMember(), tracker(intent="check_balance", text=partly))
    assert response_names(messages) == ["utter_need_verification"]


def answers(identifier=demo.MARIA["medical"], dob=demo.MARIA["dob"], zip_code=demo.MARIA["zip"], **more):
    return {"verify_identifier": identifier, "verify_birth_date": dob, "verify_zip": zip_code, **more}


async def verify(sender_id="conversation-1", **more):
    """Verification with Maria's answers, but for those given in `more`."""
    return await run(ActionVerifyMember(), tracker(answers(**more), sender_id=sender_id))


async def test_verification_greets_by_first_name_and_answers_what_was_asked(billing_client):
    messages, events = await verify(pending_request="action_check_balance")
    assert said(messages, "utter_verified")["first_name"] == "Maria"
    balances = [m for m in messages if m.get("response") == "utter_balance"]
    assert [m["balance"] for m in balances] == ["$140.90", "$389.00"]
    slots = slot_events(events)
    assert (slots["verified"], slots["member_number"]) == (True, demo.MARIA["member"])
    assert slots["verify_birth_date"] is None


async def test_verification_by_medical_record_number_then_a_form(billing_client):
    messages, events = await verify(identifier=demo.MARIA["mrn"], pending_request="payment_form")
    assert "utter_verified" in response_names(messages)
    assert next_step(events) == "payment_form"


async def test_wrong_answers_are_asked_again_then_refused(billing_client):
    messages, events = await verify(dob="1990-01-01")
    assert response_names(messages) == ["utter_verification_failed"]
    assert next_step(events) == "verification_form"
    assert slot_events(events)["verification_failures"] == 1
    assert "verified" not in slot_events(events)
    messages, events = await verify(dob="1990-01-01", verification_failures=2)
    assert response_names(messages) == ["utter_verification_failed_final"]
    assert "next_step" in slot_events(events) and next_step(events) is None


async def test_a_locked_account_is_explained(billing_client):
    for attempt in range(5):  # five conversations, so the member's lock trips before any one chat's limit
        await verify(dob="1990-01-01", sender_id=f"conversation-{attempt}")
    messages, events = await verify(sender_id="conversation-new")
    assert response_names(messages) == ["utter_verification_locked"]
    assert "verified" not in slot_events(events)


async def test_three_tries_hold_across_restarts_of_the_conversation(billing_client):
    # A restart resets the slot that counts tries; the billing service counts by conversation all the same.
    for _ in range(2):
        await verify(dob="1990-01-01", verification_failures=0)
    messages, events = await verify(dob="1990-01-01", verification_failures=0)
    assert response_names(messages) == ["utter_verification_failed_final"]
    messages, events = await verify(verification_failures=0)
    assert response_names(messages) == ["utter_verification_failed_final"]
    assert "verified" not in slot_events(events)


async def test_the_gate_lets_a_verified_member_into_the_form(billing_client):
    messages, events = await run(ActionRequireMember(), tracker({**MARIA}, intent="make_payment"))
    assert next_step(events) == "payment_form"
    assert "account_number" not in slot_events(events)  # two accounts owe: the form asks which


async def test_the_gate_picks_the_only_account(billing_client):
    _, events = await run(ActionRequireMember(), tracker(signed_in_as(demo.JAMES), intent="make_payment"))
    assert slot_events(events)["account_number"] == demo.JAMES["medical"]
    assert next_step(events) == "payment_form"


async def test_nothing_to_pay_means_no_form(billing_client):
    robert = signed_in_as(demo.ROBERT)
    messages, events = await run(ActionRequireMember(), tracker(robert, intent="make_payment"))
    assert response_names(messages) == ["utter_balance_nothing_owed"]
    assert next_step(events) is None


async def test_the_gate_sends_a_stranger_to_verification(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(intent="setup_autopay"))
    assert slot_events(events)["pending_request"] == "autopay_form"
    assert next_step(events) == "verification_form"


STATEMENT_OFFER = [
    {"event": "user", "text": "can i see my statement", "parse_data": {"intent": {"name": "faq"}}},
    {
        "event": "bot",
        "text": "Current and past statements are in your online account as PDFs. ... Once you're verified I "
        "can read your latest one here.",
        "data": {"buttons": [{"title": "See my latest statement", "payload": "/show_statement"}]},
    },
]


@pytest.mark.parametrize(
    ("text", "intent"), [("2000600001 03/08/1979 97201", "verify_identity"), ("yes please", "affirm")]
)
async def test_verifying_or_yes_after_an_answer_that_offers_a_request_takes_it_up(
    billing_client, text, intent
):
    events = [*STATEMENT_OFFER, {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}]
    messages, result = await run(ActionRequireMember(), tracker(intent=intent, text=text, events=events))
    assert slot_events(result)["pending_request"] == "action_show_statement"
    assert next_step(result) == "verification_form"
    assert not [name for name in response_names(messages) if "statement" in name]  # nothing before verifying


async def test_details_with_no_offer_before_them_only_verify(billing_client):
    text = "2000600001 03/08/1979 97201"
    _, result = await run(ActionRequireMember(), tracker(intent="verify_identity", text=text))
    assert slot_events(result).get("pending_request") is None
    assert next_step(result) == "verification_form"


class StatementsDown(httpx.AsyncBaseTransport):
    """The billing service, with its statements out of reach."""

    def __init__(self):
        self.service = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request):
        if request.url.path.endswith("/statements"):
            raise httpx.ConnectError("connection refused", request=request)
        return await self.service.handle_async_request(request)


async def test_a_waiting_request_that_fails_leaves_the_member_verified(billing_url):
    use_billing_client(BillingClient(billing_url, transport=StatementsDown()))
    try:
        messages, events = await verify(pending_request="action_show_statement")
    finally:
        use_billing_client(None)
    assert response_names(messages) == ["utter_verified", "utter_billing_unavailable"]
    slots = slot_events(events)
    assert (slots["verified"], slots["member_number"]) == (True, demo.MARIA["member"])
    assert slots["identity_token"] and slots["handoff_reason"] == "billing_unavailable"
