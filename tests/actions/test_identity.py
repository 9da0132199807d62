from actions.accounts import ActionCheckBalance
from actions.identity import ActionRequireMember, ActionVerifyMember, ValidateVerificationForm
from tests.actions.conftest import (DOMAIN, MARIA, next_step, responses, run, said, signed_in, slot_events, tracker)
from tests.demo_members import MARIA as MARIA_FACTS


async def test_nothing_is_said_about_an_account_before_verification(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(intent="check_balance"))
    assert responses(messages) == ["utter_need_verification"]
    assert slot_events(events)["pending_request"] == "action_check_balance"
    assert next_step(events) == "verification_form"
    messages, events = await run(ActionCheckBalance(), tracker(intent="check_balance"))
    assert responses(messages) == ["utter_need_verification"]
    assert slot_events(events) == {"verified": False, "member_number": None}


async def test_a_verified_member_gets_the_answer_straight_away(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(MARIA, intent="check_balance"))
    assert [m["balance"] for m in messages if m["response"] == "utter_balance"] == ["$140.90", "$389.00"]
    assert next_step(events) is None


def test_the_form_reads_identifiers_dates_and_zips():
    form, t = ValidateVerificationForm(), tracker()
    from rasa_sdk.executor import CollectingDispatcher
    d = CollectingDispatcher()
    assert form.validate_verify_identifier("2000-1000-01", d, t, DOMAIN) == {"verify_identifier": "2000100001"}
    assert form.validate_verify_identifier("my name is maria", d, t, DOMAIN) == {"verify_identifier": None}
    assert form.validate_verify_birth_date("April 12, 1985", d, t, DOMAIN) == {"verify_birth_date": "1985-04-12"}
    assert form.validate_verify_birth_date("yesterday", d, t, DOMAIN) == {"verify_birth_date": None}
    assert form.validate_verify_zip("it's 94612-1234", d, t, DOMAIN) == {"verify_zip": "94612"}
    assert form.validate_verify_zip("946", d, t, DOMAIN) == {"verify_zip": None}
    assert responses(d.messages) == ["utter_invalid_identifier", "utter_invalid_birth_date", "utter_invalid_zip"]


def answers(identifier=MARIA_FACTS["medical"], dob=MARIA_FACTS["dob"], zip_code=MARIA_FACTS["zip"], **more):
    return {"verify_identifier": identifier, "verify_birth_date": dob, "verify_zip": zip_code, **more}


async def test_verification_greets_by_first_name_and_answers_what_was_asked(billing_client):
    messages, events = await run(ActionVerifyMember(), tracker(answers(pending_request="action_check_balance")))
    assert said(messages, "utter_verified")["first_name"] == "Maria"
    balances = [m for m in messages if m.get("response") == "utter_balance"]
    assert [m["balance"] for m in balances] == ["$140.90", "$389.00"]
    slots = slot_events(events)
    assert (slots["verified"], slots["member_number"], slots["verify_birth_date"]) == (True, "M100001", None)


async def test_verification_by_medical_record_number_then_a_form(billing_client):
    messages, events = await run(ActionVerifyMember(),
                                 tracker(answers(identifier=MARIA_FACTS["mrn"], pending_request="payment_form")))
    assert "utter_verified" in responses(messages)
    assert next_step(events) == "payment_form"


async def test_wrong_answers_are_asked_again_then_refused(billing_client):
    messages, events = await run(ActionVerifyMember(), tracker(answers(dob="1990-01-01")))
    assert responses(messages) == ["utter_verification_failed"]
    assert next_step(events) == "verification_form"
    assert slot_events(events)["verification_failures"] == 1
    assert "verified" not in slot_events(events)
    messages, events = await run(ActionVerifyMember(), tracker(answers(dob="1990-01-01", verification_failures=2)))
    assert responses(messages) == ["utter_verification_failed_final"]
    assert "next_step" in slot_events(events) and next_step(events) is None


async def test_a_locked_account_is_explained(billing_client):
    for attempt in range(5):  # five conversations, so the member's lock trips before any one chat's limit
        await run(ActionVerifyMember(), tracker(answers(dob="1990-01-01"), sender_id=f"conversation-{attempt}"))
    messages, events = await run(ActionVerifyMember(), tracker(answers(), sender_id="conversation-new"))
    assert responses(messages) == ["utter_verification_locked"]
    assert "verified" not in slot_events(events)


async def test_three_tries_hold_across_restarts_of_the_conversation(billing_client):
    # A restart resets the slot that counts tries; the billing service counts by conversation all the same.
    for _ in range(2):
        await run(ActionVerifyMember(), tracker(answers(dob="1990-01-01", verification_failures=0)))
    messages, events = await run(ActionVerifyMember(), tracker(answers(dob="1990-01-01", verification_failures=0)))
    assert responses(messages) == ["utter_verification_failed_final"]
    messages, events = await run(ActionVerifyMember(), tracker(answers(verification_failures=0)))
    assert responses(messages) == ["utter_verification_failed_final"]
    assert "verified" not in slot_events(events)


async def test_the_gate_lets_a_verified_member_into_the_form(billing_client):
    messages, events = await run(ActionRequireMember(), tracker({**MARIA}, intent="make_payment"))
    assert next_step(events) == "payment_form"
    assert "account_number" not in slot_events(events)  # two accounts owe: the form asks which


async def test_the_gate_picks_the_only_account(billing_client):
    james = {**signed_in("M100002"), "first_name": "James"}
    _, events = await run(ActionRequireMember(), tracker(james, intent="make_payment"))
    assert slot_events(events)["account_number"] == "2000200001"
    assert next_step(events) == "payment_form"


async def test_nothing_to_pay_means_no_form(billing_client):
    robert = {**signed_in("M100004"), "first_name": "Robert"}
    messages, events = await run(ActionRequireMember(), tracker(robert, intent="make_payment"))
    assert responses(messages) == ["utter_balance_nothing_owed"]
    assert next_step(events) is None


async def test_the_gate_sends_a_stranger_to_verification(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(intent="setup_autopay"))
    assert slot_events(events)["pending_request"] == "autopay_form"
    assert next_step(events) == "verification_form"
