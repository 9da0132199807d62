"""Inside any form: two unusable answers to the same question become an offer of a person, asked as the
form's one question; "yes" hands off (and nothing else runs), "no" asks the question again, and an
answer to the question is still taken."""

from __future__ import annotations

import pytest

from actions.autopay import ValidateAutopayForm
from actions.form_validation import PERSON_QUESTION
from actions.guest import ValidateGuestForm
from actions.identity import ActionRequireMember, ValidateVerificationForm
from actions.payments import ValidatePaymentForm
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, signed_in_as, slot_events, tracker


def answering(form: str, slot: str, text: str, slots: dict, intent: str = "inform"):
    """The tracker a form's validator sees when the member answered `slot` with `text`."""
    events = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "slot", "name": slot, "value": text},
    ]
    return tracker(
        {**slots, "requested_slot": slot, slot: text},
        intent=intent,
        text=text,
        active_loop=form,
        events=events,
    )


VERIFYING = {"verify_identifier": demo.MARIA["medical"]}


async def test_the_second_unusable_answer_becomes_an_offer_of_a_person(billing_client):
    form = ValidateVerificationForm()
    messages, events = await run(form, answering("verification_form", "verify_birth_date", "idk", VERIFYING))
    assert response_names(messages) == ["utter_invalid_birth_date"]
    assert slot_events(events)["unusable_answers"] == 1
    assert slot_events(events).get("requested_slot") in (None, "verify_birth_date")

    once = {**VERIFYING, "unusable_answers": 1}
    messages, events = await run(
        form, answering("verification_form", "verify_birth_date", "not sure, sometime in the 80s", once)
    )
    changed = slot_events(events)
    assert changed["person_offered_for"] == "verify_birth_date"
    assert changed["requested_slot"] == PERSON_QUESTION  # the form asks utter_ask_person_wanted, only that


async def test_an_unreadable_message_after_an_unusable_answer_also_counts(billing_client):
    once = {**VERIFYING, "unusable_answers": 1, "requested_slot": "verify_birth_date"}
    _, events = await run(
        ValidateVerificationForm(),
        tracker(once, intent="nlu_fallback", text="banana", active_loop="verification_form"),
    )
    assert slot_events(events)["person_offered_for"] == "verify_birth_date"
    # The first such message counts too, and the form steps aside so the rules answer it.
    _, events = await run(
        ValidateVerificationForm(),
        tracker(
            {**once, "unusable_answers": 0},
            intent="nlu_fallback",
            text="banana",
            active_loop="verification_form",
        ),
    )
    assert "person_offered_for" not in slot_events(events)
    assert slot_events(events)["unusable_answers"] == 1
    assert "action_execution_rejected" in [e["event"] for e in events]


def at_offer(slots: dict, text: str, intent: str, form: str):
    return tracker(
        {**slots, "requested_slot": PERSON_QUESTION, "person_offered_for": slots["asked"]},
        intent=intent,
        text=text,
        active_loop=form,
    )


async def test_yes_to_the_offer_hands_off_and_leaves_the_form(billing_client):
    slots = {**VERIFYING, "asked": "verify_birth_date"}
    messages, events = await run(
        ValidateVerificationForm(), at_offer(slots, "yes", "affirm", "verification_form")
    )
    assert response_names(messages)[0] == "utter_handoff"  # then what the wait will be
    assert slot_events(events)["handoff_case"] is not None
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]
    cases = await billing_client.handoffs("open")
    assert any(case.reason == "misunderstood" and case.conversation_id == "conversation-1" for case in cases)


async def test_no_to_the_offer_asks_the_question_again(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "asked": "payment_amount"}
    messages, events = await run(ValidatePaymentForm(), at_offer(maria, "no thanks", "deny", "payment_form"))
    assert response_names(messages) == ["utter_keep_going"]
    changed = slot_events(events)
    assert changed["person_offered_for"] is None and changed["unusable_answers"] == 0
    assert "handoff_case" not in changed


async def test_an_answer_at_the_offer_is_taken_as_the_answer(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "asked": "payment_amount"}
    _, events = await run(ValidatePaymentForm(), at_offer(maria, "$20", "inform", "payment_form"))
    assert slot_events(events)["payment_amount"] == 2000
    assert slot_events(events)["person_offered_for"] is None


async def test_a_question_at_the_offer_is_left_to_the_rules(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "asked": "payment_amount"}
    messages, events = await run(
        ValidatePaymentForm(), at_offer(maria, "what's the phone number", "faq", "payment_form")
    )
    assert messages == [] and "handoff_case" not in slot_events(events)


async def test_another_task_instead_of_an_answer_leaves_the_form_without_a_complaint(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"]}
    said = "actually nvm, set up autopay instead"
    messages, events = await run(
        ValidatePaymentForm(),
        answering("payment_form", "payment_amount", said, maria, intent="setup_autopay"),
    )
    assert response_names(messages) == ["utter_form_left"]  # not "I couldn't read an amount"
    assert {"event": "action_execution_rejected", "name": "payment_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert slot_events(events)["account_number"] is None  # the rules start the new task afresh


async def test_a_plain_request_for_another_task_wins_over_an_answer_in_it(billing_client):
    david = {**signed_in_as(demo.DAVID), "account_number": demo.DAVID["medical"]}
    said = "ok i cant pay all that, can i do a payment plan of $200 a month instead"
    messages, events = await run(
        ValidatePaymentForm(), answering("payment_form", "payment_amount", said, david, intent="payment_plan")
    )
    assert response_names(messages) == ["utter_form_left"]
    assert slot_events(events)["payment_amount"] is None


async def test_an_answer_the_form_can_use_is_never_a_switch(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"]}
    # "$20" read as a payment request is still the amount asked for.
    _, events = await run(
        ValidatePaymentForm(), answering("payment_form", "payment_amount", "$20", maria, "make_payment")
    )
    assert slot_events(events)["payment_amount"] == 2000
    unsure = answering("payment_form", "payment_amount", "hmm autopay maybe", maria, intent="setup_autopay")
    unsure.latest_message["intent"]["confidence"] = 0.4
    messages, events = await run(ValidatePaymentForm(), unsure)
    assert "utter_form_left" not in response_names(messages)


async def test_another_request_during_verification_becomes_what_it_leads_to(billing_client):
    said = "actually just tell me my balance"
    messages, events = await run(
        ValidateVerificationForm(),
        answering("verification_form", "verify_birth_date", said, VERIFYING, intent="check_balance"),
    )
    assert response_names(messages) == ["utter_request_after_verification"]
    changed = slot_events(events)
    assert changed["pending_request"] == "action_check_balance" and changed["verify_birth_date"] is None
    assert "action_execution_rejected" not in [e["event"] for e in events]  # the form asks again


def after_buttons(form: str, slots: dict, typed: str, buttons: list[dict], intent: str = "check_balance"):
    """The tracker when the member typed `typed` after the bot's question with `buttons`."""
    events = [
        {"event": "bot", "text": "question", "data": {"buttons": buttons}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": typed, "parse_data": {"intent": {"name": intent}}},
    ]
    return tracker(slots, intent=intent, text=typed, active_loop=form, events=events)


AMOUNT_BUTTONS = [
    {"title": "Full balance $140.90", "payload": '/choose{"choice": "full"}'},
    {"title": "Minimum due $25.00", "payload": '/choose{"choice": "minimum"}'},
    {"title": "Another amount", "payload": '/choose{"choice": "other"}'},
]


async def test_a_typed_button_title_works_like_the_button(billing_client):
    maria = {
        **signed_in_as(demo.MARIA),
        "account_number": demo.MARIA["medical"],
        "requested_slot": "payment_amount",
    }
    # NLU read "Minimum due" as a balance question; the form still takes it as the button it names.
    messages, events = await run(
        ValidatePaymentForm(), after_buttons("payment_form", maria, "Minimum due", AMOUNT_BUTTONS)
    )
    assert slot_events(events)["payment_amount"] == 2500 and messages == []
    _, events = await run(
        ValidatePaymentForm(), after_buttons("payment_form", maria, "minimum due $25.00", AMOUNT_BUTTONS)
    )
    assert slot_events(events)["payment_amount"] == 2500
    # A question about it is no answer: the rules answer it, then the form asks again.
    question = "what is the minimum due?"
    _, events = await run(
        ValidatePaymentForm(), after_buttons("payment_form", maria, question, AMOUNT_BUTTONS)
    )
    assert slot_events(events).get("payment_amount") is None
    # A short reply NLU placed elsewhere is still the answer when it is one.
    _, events = await run(ValidatePaymentForm(), after_buttons("payment_form", maria, "$20 please", []))
    assert slot_events(events)["payment_amount"] == 2000


async def test_steering_waits_for_a_new_message(billing_client):
    """Back in the form after a side question, the same message does not switch or count again."""
    maria = {
        **signed_in_as(demo.MARIA),
        "account_number": demo.MARIA["medical"],
        "requested_slot": "payment_amount",
    }
    said = "set up autopay instead"
    events = [
        {"event": "user", "text": said, "parse_data": {"intent": {"name": "setup_autopay"}}},
        {"event": "action_execution_rejected", "name": "payment_form"},
        {"event": "action", "name": "action_check_balance"},
        {"event": "action", "name": "payment_form"},
    ]
    returning = tracker(maria, intent="setup_autopay", text=said, active_loop="payment_form", events=events)
    messages, events = await run(ValidatePaymentForm(), returning)
    assert messages == [] and "action_execution_rejected" not in [e["event"] for e in events]


async def test_the_gate_ends_the_form_the_member_switched_away_from(billing_client):
    maria = {**signed_in_as(demo.MARIA), "requested_slot": None}
    _, events = await run(
        ActionRequireMember(),
        tracker(maria, intent="cancel_autopay", text="cancel autopay", active_loop="payment_form"),
    )
    assert events[0] == {"event": "active_loop", "name": None, "timestamp": None}


@pytest.mark.parametrize(
    "request_text,number,name",
    [
        ("hi im paying for my father james carter, his account is 2000200001", "2000200001", "carter"),
        ("paying my moms bill acct 2000100001 last name lopez", "2000100001", "lopez"),
        ("can i pay my husband's bill as a guest? acct 2000400001 last name Kim", "2000400001", "Kim"),
        ("gues payment for my son pls, 2000600001 johnson", "2000600001", "johnson"),
    ],
)
async def test_a_guest_request_gives_its_own_answers(billing_client, request_text, number, name):
    starting = [
        {"event": "user", "text": request_text, "parse_data": {"intent": {"name": "guest_payment"}}},
        {"event": "action", "name": "utter_guest_intro"},
        {"event": "action", "name": "guest_form"},
    ]
    _, events = await run(
        ValidateGuestForm(),
        tracker({}, intent="guest_payment", text=request_text, active_loop="guest_form", events=starting),
    )
    slots = slot_events(events)
    taken = (slots["guest_account_number"], slots["guest_last_name"], slots["requested_slot"])
    assert taken == (number, name, None)


async def test_an_account_number_answer_with_the_name_takes_both(billing_client):
    _, events = await run(
        ValidateGuestForm(),
        answering("guest_form", "guest_account_number", "2000200001 Carter", {}),
    )
    assert slot_events(events)["guest_account_number"] == "2000200001"
    assert slot_events(events)["guest_last_name"] == "Carter"


async def test_an_account_number_answer_with_a_date_of_birth_needs_no_name(billing_client):
    _, events = await run(
        ValidateGuestForm(),
        answering("guest_form", "guest_account_number", "account 2000200001, his birthday is 9/30/1972", {}),
    )
    slots = slot_events(events)
    assert slots["guest_account_number"] == "2000200001"
    assert slots["guest_date_of_birth"] == "1972-09-30"
    assert slots.get("guest_last_name") is None
    assert slots["requested_slot"] is None  # nothing more to ask


async def test_a_date_of_birth_answers_the_last_name_question(billing_client):
    _, events = await run(
        ValidateGuestForm(),
        answering("guest_form", "guest_last_name", "born 9/30/1972", {"guest_account_number": "2000200001"}),
    )
    slots = slot_events(events)
    assert slots["guest_date_of_birth"] == "1972-09-30" and slots["requested_slot"] is None


async def test_an_aside_taken_for_an_answer_is_left_to_the_rules(billing_client):
    messages, events = await run(
        ValidateVerificationForm(),
        answering("verification_form", "verify_identifier", "r u a bot", {}, intent="bot_challenge"),
    )
    assert messages == []  # not "that doesn't look like an account number"
    assert slot_events(events)["verify_identifier"] is None
    assert "action_execution_rejected" in [e["event"] for e in events]


async def test_an_answer_to_a_later_question_is_taken_and_the_question_asked_again(billing_client):
    robert = {**signed_in_as(demo.ROBERT), "account_number": "2000400001", "autopay_day": 10}
    messages, events = await run(
        ValidateAutopayForm(),
        answering("autopay_form", "payment_method", "Statement balance", robert, intent="show_statement"),
    )
    slots = slot_events(events)
    assert slots["autopay_amount"] == "statement_balance"
    assert slots["payment_method"] is None and slots["requested_slot"] == "payment_method"
    assert "action_execution_rejected" not in [event["event"] for event in events]  # no statement shown
    assert messages == []


async def test_an_answer_that_also_answers_a_later_question_answers_both(billing_client):
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "payment_method": 3}
    said = "the 12th, statement balance"
    _, events = await run(
        ValidateAutopayForm(), answering("autopay_form", "autopay_day", said, maria, intent="show_statement")
    )
    slots = slot_events(events)
    assert (slots["autopay_day"], slots["autopay_amount"]) == (12, "statement_balance")


async def test_both_answers_are_taken_when_the_message_was_read_as_a_balance_question(billing_client):
    # Read as check_balance, Rasa's mapping leaves the day unfilled; the reply still answers the day
    # question, and its amount rule with it (the member had been asked for the rule next, then "yes").
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "payment_method": 3}
    said = "the 12th, statement balance"
    unfilled = tracker(
        {**maria, "requested_slot": "autopay_day"},
        intent="check_balance",
        text=said,
        active_loop="autopay_form",
        events=[{"event": "user", "text": said, "parse_data": {"intent": {"name": "check_balance"}}}],
    )
    _, events = await run(ValidateAutopayForm(), unfilled)
    slots = slot_events(events)
    assert (slots["autopay_day"], slots["autopay_amount"]) == (12, "statement_balance")


async def test_asking_for_a_new_card_after_an_unusable_answer_is_no_second_one(
    billing_client, payment_pages_url
):
    linda = {
        **signed_in_as(demo.LINDA),
        "account_number": demo.LINDA["premium"],
        "payment_amount": 61200,
        "unusable_answers": 1,
    }
    messages, events = await run(
        ValidatePaymentForm(),
        answering("payment_form", "payment_method", "can i use a different card then", linda),
    )
    changed = slot_events(events)
    assert changed["payment_link_sent"] is True and "person_offered_for" not in changed
    assert "utter_payment_link" in response_names(messages)


def asking(form: str, slot: str, text: str, slots: dict, intent: str):
    """The tracker a form's validator sees when NLU read the member's reply to `slot` as `intent`, so the
    slot's mapping skipped it."""
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}]
    return tracker(
        {**slots, "requested_slot": slot}, intent=intent, text=text, active_loop=form, events=events
    )


async def test_asking_to_pay_with_a_different_card_answers_the_method_question_whatever_nlu_read(
    billing_client, payment_pages_url
):
    linda = {**signed_in_as(demo.LINDA), "account_number": demo.LINDA["premium"], "payment_amount": 61200}
    for form, validator in (("payment_form", ValidatePaymentForm()), ("autopay_form", ValidateAutopayForm())):
        said = "can i use a different card then"
        messages, events = await run(validator, asking(form, "payment_method", said, linda, intent="faq"))
        assert "utter_payment_link" in response_names(messages)
        assert slot_events(events)["payment_link_sent"] is True
        # Asking which cards are taken is the FAQ: the rules answer it and the form asks again.
        about = "what other cards do you accept?"
        messages, events = await run(validator, asking(form, "payment_method", about, linda, intent="faq"))
        assert "utter_payment_link" not in response_names(messages)
        assert "action_execution_rejected" in [e["event"] for e in events]


async def test_answers_the_rules_took_for_asides_count_when_the_form_comes_back(billing_client):
    """ "huh" (off-topic, answered by the rules) then "dont remember" (taken for the password FAQ) to the
    date-of-birth question: two answers that were none, so the person is offered."""

    def returning(text: str, intent: str, answered_by: str, slots: dict):
        events = [
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
            {"event": "action", "name": answered_by},
            {"event": "action", "name": "verification_form"},
        ]
        asked = {**VERIFYING, "requested_slot": "verify_birth_date", **slots}
        return tracker(asked, intent=intent, text=text, active_loop="verification_form", events=events)

    _, events = await run(
        ValidateVerificationForm(), returning("huh", "out_of_scope", "utter_out_of_scope", {})
    )
    assert slot_events(events)["unusable_answers"] == 1
    once = {"unusable_answers": 1}
    _, events = await run(ValidateVerificationForm(), returning("dont remember", "faq", "utter_faq", once))
    assert slot_events(events)["person_offered_for"] == "verify_birth_date"
    # A real side question is no unusable answer.
    asking = returning("how do i reset my password?", "faq", "utter_faq", once)
    _, events = await run(ValidateVerificationForm(), asking)
    assert "person_offered_for" not in slot_events(events)


async def test_a_short_reply_taken_for_an_faq_counts_when_the_form_steps_aside_for_it(billing_client):
    """ "the blue one" (unusable), then "whatever works" (read as the payment-methods FAQ, which the
    form leaves to the rules) to the method question: the person is offered; a real question is not
    counted."""
    maria = {
        **signed_in_as(demo.MARIA),
        "account_number": demo.MARIA["medical"],
        "payment_amount": 3000,
        "unusable_answers": 1,
    }
    said = answering("payment_form", "payment_method", "whatever works", maria, intent="faq")
    said.latest_message["intent"]["confidence"] = 1.0
    _, events = await run(ValidatePaymentForm(), said)
    assert slot_events(events)["person_offered_for"] == "payment_method"
    assert any(event.get("event") == "action_execution_rejected" for event in events)
    asked = answering("payment_form", "payment_method", "which cards do you take?", maria, intent="faq")
    asked.latest_message["intent"]["confidence"] = 1.0
    _, events = await run(ValidatePaymentForm(), asked)
    assert "person_offered_for" not in slot_events(events)


async def test_goodbye_inside_a_form_stops_it_and_says_nothing_moved(billing_client):
    from actions.handoff import ActionStopForm

    james = {**signed_in_as(demo.JAMES), "account_number": demo.JAMES["medical"], "payment_amount": 8440}
    messages, events = await run(
        ActionStopForm(),
        tracker(
            {**james, "requested_slot": "payment_confirmed"},
            intent="goodbye",
            text="forget it, i'll do it later",
            active_loop="payment_form",
        ),
    )
    assert response_names(messages) == ["utter_cancelled_goodbye"]
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot_events(events)["payment_amount"] is None


async def test_goodbye_without_a_farewell_in_it_leaves_the_form_asking(billing_client):
    from actions.handoff import ActionStopForm

    james = {
        **signed_in_as(demo.JAMES),
        "account_number": demo.JAMES["medical"],
        "requested_slot": "payment_amount",
    }
    messages, events = await run(
        ActionStopForm(), tracker(james, intent="goodbye", text="later", active_loop="payment_form")
    )
    assert messages == []
    assert events == [{"event": "followup", "name": "payment_form", "timestamp": None}]


async def test_a_bare_number_at_the_day_question_is_the_day_only(billing_client):
    # "15" read as another intent: the day, not also a fixed $15 amount rule.
    maria = {**signed_in_as(demo.MARIA), "account_number": demo.MARIA["medical"], "payment_method": 3}
    unfilled = tracker(
        {**maria, "requested_slot": "autopay_day"},
        intent="check_balance",
        text="15",
        active_loop="autopay_form",
        events=[{"event": "user", "text": "15", "parse_data": {"intent": {"name": "check_balance"}}}],
    )
    _, events = await run(ValidateAutopayForm(), unfilled)
    slots = slot_events(events)
    assert slots["autopay_day"] == 15 and "autopay_amount" not in slots


async def test_a_bare_cancel_it_at_the_turn_off_read_back_is_asked_again(billing_client):
    from actions.handoff import ActionStopForm

    susan = {
        **signed_in_as(demo.SUSAN),
        "account_number": demo.SUSAN["medical"],
        "requested_slot": "autopay_confirmed",
    }
    messages, events = await run(
        ActionStopForm(), tracker(susan, intent="cancel", text="cancel it", active_loop="autopay_cancel_form")
    )
    assert response_names(messages) == ["utter_not_understood_in_form"]
    assert events == [{"event": "followup", "name": "autopay_cancel_form", "timestamp": None}]
    # elsewhere "cancel it" still stops
    messages, _ = await run(
        ActionStopForm(),
        tracker(
            {**susan, "requested_slot": "autopay_day"},
            intent="cancel",
            text="cancel it",
            active_loop="autopay_form",
        ),
    )
    assert response_names(messages) == ["utter_cancelled"]
