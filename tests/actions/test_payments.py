import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import ActionRequireMember, ActionVerifyMember
from actions.payment_methods import ActionAddPaymentMethod, ActionAskPaymentMethod
from actions.payments import (
    ActionAskPaymentAmount,
    ActionAskPaymentConfirmed,
    ActionSubmitPayment,
    ValidatePaymentForm,
)
from billing_contract.responses import PaymentOut
from tests import demo_members as demo
from tests.actions import action_calls
from tests.actions.action_calls import (
    DOMAIN,
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
)

MARIA = signed_in_as(demo.MARIA)
MEDICAL = demo.MARIA["medical"]
IN_FORM = {**MARIA, "account_number": MEDICAL}


async def validate(slot, value, slots=IN_FORM):
    """The payment form's check of one answer, inside the form."""
    return await action_calls.validate(ValidatePaymentForm(), slot, value, slots, active_loop="payment_form")


async def test_amounts_are_full_minimum_or_any_amount_up_to_the_balance(billing_client):
    assert await validate("payment_amount", "full") == ({"payment_amount": 14090}, [])
    assert await validate("payment_amount", "just the minimum") == ({"payment_amount": 2500}, [])
    assert await validate("payment_amount", "$50") == ({"payment_amount": 5000}, [])
    assert await validate("payment_amount", "fifty dollars") == ({"payment_amount": 5000}, [])
    assert await validate("payment_amount", "$200") == (
        {"payment_amount": None},
        ["utter_amount_over_balance"],
    )
    assert await validate("payment_amount", "my visa") == ({"payment_amount": None}, ["utter_invalid_amount"])
    assert await validate("payment_amount", "other") == ({"payment_amount": None}, ["utter_ask_other_amount"])


async def test_amounts_the_parser_refuses_are_explained_never_guessed(billing_client):
    for typed, explained in (("10.555", "cent"), ("-50", "")):
        dispatcher = CollectingDispatcher()
        result = await ValidatePaymentForm().validate_payment_amount(
            typed, dispatcher, tracker(IN_FORM, active_loop="payment_form"), DOMAIN
        )
        assert result == {"payment_amount": None}
        assert explained in dispatcher.messages[0]["text"].lower()


async def test_the_account_is_picked_by_kind_or_number(billing_client):
    premium = demo.MARIA["premium"]
    assert await validate("account_number", "the premium one", MARIA) == ({"account_number": premium}, [])
    assert await validate("account_number", MEDICAL, MARIA) == ({"account_number": MEDICAL}, [])
    assert await validate("account_number", "dental", MARIA) == (
        {"account_number": None},
        ["utter_invalid_account"],
    )


async def test_the_method_is_picked_and_a_key_is_made_for_the_read_back(billing_client):
    result, _ = await validate("payment_method", "my visa")
    assert result["payment_method"] == 1
    assert result["payment_idempotency_key"].startswith("conversation-1:")
    other, _ = await validate("payment_method", "the bank account")
    assert other["payment_method"] == 2
    assert (await validate("payment_method", "yes"))[0] == {"payment_method": None}  # two methods: which?


async def test_a_new_method_goes_through_the_secure_link(billing_client, payment_pages_url):
    result, sent = await validate("payment_method", "new")
    assert result == {"payment_method": None, "payment_link_sent": True}
    assert sent == ["utter_payment_link"]
    messages, _ = await run(ActionAddPaymentMethod(), tracker(MARIA, intent="add_payment_method"))
    assert said(messages, "utter_payment_link")["url"].startswith(f"{payment_pages_url}/pay/")


@pytest.mark.parametrize("typed", ["new card", "add a new bank account", "not the visa, a new one"])
async def test_a_new_method_typed_in_words_is_never_a_saved_one(billing_client, typed):
    result, sent = await validate("payment_method", typed)
    # No saved method picked, so no read-back and no payment: the question waits for the new one.
    assert result == {"payment_method": None, "payment_link_sent": True}
    assert sent == ["utter_payment_link"]


async def test_the_questions_offer_buttons(billing_client):
    messages, _ = await run(ActionAskPaymentAmount(), tracker(IN_FORM))
    titles = [b["title"] for b in said(messages, "utter_ask_payment_amount")["buttons"]]
    assert titles == ["Full balance $140.90", "Minimum due $25.00", "Another amount"]
    messages, _ = await run(ActionAskPaymentMethod(), tracker(IN_FORM))
    titles = [b["title"] for b in said(messages, "utter_ask_payment_method_many")["buttons"]]
    assert titles == ["Visa ending 4242", "Sandbox Bank ending 6789", "Add a new card or bank account"]
    james = {**signed_in_as(demo.JAMES), "account_number": demo.JAMES["medical"]}
    messages, _ = await run(ActionAskPaymentMethod(), tracker(james))
    assert said(messages, "utter_ask_payment_method_one")["method"] == "Mastercard ending 4444"


async def test_the_read_back_names_amount_method_account_and_date(billing_client):
    messages, _ = await run(
        ActionAskPaymentConfirmed(), tracker({**IN_FORM, "payment_amount": 5000, "payment_method": 1})
    )
    readback = said(messages, "utter_ask_payment_confirmed")
    assert (readback["amount"], readback["method"], readback["account_label"]) == (
        "$50.00",
        "Visa ending 4242",
        "medical bill account ending 0001",
    )
    assert readback["date"]


async def test_a_method_removed_before_the_read_back_is_picked_again_not_read_back(billing_client):
    # Method 99 is not among Maria's saved methods: as if she removed the one she picked since.
    slots = {**IN_FORM, "payment_amount": 5000, "payment_method": 99, "payment_idempotency_key": "k"}
    messages, events = await run(ActionAskPaymentConfirmed(), tracker(slots, active_loop="payment_form"))
    assert response_names(messages) == ["utter_invalid_method", "utter_ask_payment_method_many"]
    assert slot_events(events) == {"payment_method": None, "requested_slot": "payment_method"}


async def test_questions_that_need_the_account_ask_for_it_when_none_is_chosen(billing_client):
    no_account = tracker({**MARIA, "payment_amount": 5000, "payment_method": 1}, active_loop="payment_form")
    for action in (ActionAskPaymentAmount(), ActionAskPaymentConfirmed()):
        messages, events = await run(action, no_account)
        assert response_names(messages) == ["utter_ask_account_number"]
        assert slot_events(events) == {"account_number": None, "requested_slot": "account_number"}
    # An amount answered before the account waits for it, without a complaint.
    assert await validate("payment_amount", "full", MARIA) == ({"payment_amount": None}, [])


def confirmed(**slots):
    return tracker(
        {
            **IN_FORM,
            "payment_amount": 5000,
            "payment_method": 1,
            "payment_confirmed": True,
            "payment_idempotency_key": "conversation-1:readback-1",
            **slots,
        }
    )


async def test_yes_pays_once_even_when_said_twice(billing_client):
    messages, events = await run(ActionSubmitPayment(), confirmed())
    done = said(messages, "utter_payment_succeeded")
    assert (done["amount"], done["balance_after"]) == ("$50.00", "$90.90")
    assert slot_events(events)["payment_idempotency_key"] is None
    again, _ = await run(ActionSubmitPayment(), confirmed())  # a retried delivery of the same "yes"
    assert said(again, "utter_payment_succeeded")["confirmation_number"] == done["confirmation_number"]
    history = await billing_client.for_member(demo.MARIA["member"]).payments(MEDICAL)
    assert [p.amount_cents for p in history if p.source == "member"][:2] == [5000, 1900]
    after, _ = await run(ActionSubmitPayment(), tracker(IN_FORM))  # "yes" once the form has ended
    assert response_names(after) == ["utter_nothing_to_confirm"]


async def test_no_pays_nothing(billing_client):
    messages, _ = await run(ActionSubmitPayment(), confirmed(payment_confirmed=False))
    assert response_names(messages) == ["utter_payment_not_confirmed"]
    assert (await billing_client.for_member(demo.MARIA["member"]).account(MEDICAL)).balance_cents == 14090


async def method_id(client, member, last4):
    return next(m.id for m in await client.for_member(member).payment_methods(member) if m.last4 == last4)


async def test_declines_and_insufficient_funds_are_explained(billing_client):
    linda = {
        **signed_in_as(demo.LINDA),
        "account_number": demo.LINDA["premium"],
        "payment_amount": 1000,
        "payment_method": await method_id(billing_client, demo.LINDA["member"], "0002"),
        "payment_confirmed": True,
        "payment_idempotency_key": "k-linda-1",
    }
    messages, events = await run(ActionSubmitPayment(), tracker(linda))
    assert response_names(messages) == ["utter_payment_declined"]
    # The same payment goes back to the method question: account and amount kept, a new read-back to come.
    again = slot_events(events)
    assert (again["account_number"], again["payment_amount"]) == (demo.LINDA["premium"], 1000)
    assert again["payment_method"] is None and again["payment_confirmed"] is None
    assert again["payment_idempotency_key"] is None
    assert [e["name"] for e in events if e.get("event") == "followup"] == ["payment_form"]
    # The declined Visa is not offered again: her Mastercard is, and "yes" takes it.
    back = {**linda, **again}
    messages, _ = await run(ActionAskPaymentMethod(), tracker(back))
    assert said(messages, "utter_ask_payment_method_one")["method"] == "Mastercard ending 4444"
    taken, _ = await validate("payment_method", "yes", back)
    assert taken["payment_method"] == await method_id(billing_client, demo.LINDA["member"], "4444")
    david = {
        **signed_in_as(demo.DAVID),
        "account_number": demo.DAVID["medical"],
        "payment_amount": 1000,
        "payment_method": await method_id(billing_client, demo.DAVID["member"], "9995"),
        "payment_confirmed": True,
        "payment_idempotency_key": "k-david-1",
    }
    messages, events = await run(ActionSubmitPayment(), tracker(david))
    assert response_names(messages) == ["utter_payment_insufficient_funds"]
    assert not [e for e in events if e.get("event") == "followup"]  # a smaller amount may do: it ends


async def test_a_decline_on_the_only_saved_method_offers_the_secure_link(billing_client):
    only_visa = {**IN_FORM, "declined_payment_method": 2}  # Maria's bank set aside: the Visa remains
    messages, _ = await run(ActionAskPaymentMethod(), tracker(only_visa))
    assert said(messages, "utter_ask_payment_method_one")["method"] == "Visa ending 4242"
    both = {**IN_FORM, "declined_payment_method": 1}
    messages, _ = await run(ActionAskPaymentMethod(), tracker(both, active_loop="payment_form"))
    assert said(messages, "utter_ask_payment_method_one")["method"] == "Sandbox Bank ending 6789"
    james = {**signed_in_as(demo.JAMES), "account_number": demo.JAMES["medical"]}
    mastercard = await method_id(billing_client, demo.JAMES["member"], "4444")
    messages, _ = await run(
        ActionAskPaymentMethod(), tracker({**james, "declined_payment_method": mastercard})
    )
    assert response_names(messages)[:2] == ["utter_no_other_methods", "utter_payment_link"]


async def test_a_balance_that_changed_since_the_read_back_is_explained(billing_client):
    messages, events = await run(ActionSubmitPayment(), confirmed(payment_amount=99999))
    assert response_names(messages) == ["utter_amount_over_balance"]
    assert next_step(events) is None


async def test_billing_down_never_claims_a_payment(billing_down):
    messages, events = await run(ActionSubmitPayment(), confirmed())
    assert response_names(messages) == ["utter_payment_outcome_unknown"]
    assert slot_events(events)["handoff_reason"] == "billing_unavailable"
    assert billing_down.requests >= 2  # retried once with the same key


async def test_a_payment_still_with_the_processor_is_never_called_paid_or_failed():
    pending = PaymentOut(
        confirmation_number="KPPENDING01",
        account_number=MEDICAL,
        amount_cents=1000,
        status="pending",
        payment_method="Visa ending 4242",
        source="chat",
        created_at=dt.datetime(2026, 11, 22, 15, 0),
    )
    dispatcher = CollectingDispatcher()
    request = {"account_number": MEDICAL, "payment_method_id": 1, "amount_cents": 1000}
    events = await ActionSubmitPayment()._outcome(dispatcher, tracker(IN_FORM), DOMAIN, pending, request)
    assert response_names(dispatcher.messages) == ["utter_payment_outcome_unknown"] and events == []


async def test_a_verified_request_starts_the_form_with_what_it_already_says(billing_client):
    visa = await method_id(billing_client, demo.MARIA["member"], "4242")
    _, events = await run(
        ActionRequireMember(),
        tracker(MARIA, intent="make_payment", text="pay $30 on my medical bill with my visa"),
    )
    slots = slot_events(events)
    taken = (slots["account_number"], slots["payment_amount"], slots["payment_method"])
    assert taken == (MEDICAL, 3000, visa)
    assert "payment_confirmed" not in slots
    assert next_step(events) == "payment_form"


async def test_the_account_is_still_asked_when_two_owe_and_the_request_names_neither(billing_client):
    bank = await method_id(billing_client, demo.MARIA["member"], "6789")
    _, events = await run(
        ActionRequireMember(), tracker(MARIA, intent="make_payment", text="pay $100 from my bank account")
    )
    slots = slot_events(events)
    assert (slots["payment_amount"], slots["payment_method"]) == (10000, bank)
    assert "account_number" not in slots
    # The form starting checks what was taken: the amount waits for the account, then meets its balance.
    assert await validate("payment_amount", 10000, MARIA) == ({"payment_amount": 10000}, [])
    assert await validate("payment_amount", 3000) == ({"payment_amount": 3000}, [])
    in_form = {**MARIA, "payment_amount": 10000}
    assert await validate("account_number", "premium", in_form) == (
        {"account_number": demo.MARIA["premium"], "payment_amount": 10000},
        [],
    )
    assert await validate("account_number", "medical", {**in_form, "payment_amount": 20000}) == (
        {"account_number": MEDICAL, "payment_amount": None},
        ["utter_amount_over_balance"],
    )


async def test_only_what_fits_is_taken_and_nothing_is_said_about_the_rest(billing_client):
    messages, events = await run(
        ActionRequireMember(),
        tracker(MARIA, intent="make_payment", text="pay $500 on my medical bill, one of my cards"),
    )
    slots = slot_events(events)
    assert slots["account_number"] == MEDICAL
    assert "payment_amount" not in slots  # more than the medical balance: the form asks
    assert "payment_method" not in slots  # "one" is not a position in a request
    assert messages == []


async def test_a_request_waiting_for_verification_keeps_its_words_for_the_form(billing_client):
    text = "pay $30 on my medical bill with my visa"
    _, events = await run(ActionRequireMember(), tracker(intent="make_payment", text=text))
    assert slot_events(events)["request_text"] == text
    james = {
        "verify_identifier": demo.JAMES["medical"],
        "verify_birth_date": demo.JAMES["dob"],
        "verify_zip": demo.JAMES["zip"],
        "pending_request": "payment_form",
        "request_text": "pay the minimum with my mastercard",
    }
    messages, events = await run(ActionVerifyMember(), tracker(james))
    mastercard = await method_id(billing_client, demo.JAMES["member"], "4444")
    slots = slot_events(events)
    assert (slots["account_number"], slots["payment_method"]) == (demo.JAMES["medical"], mastercard)
    assert (
        slots["payment_amount"]
        == (
            await billing_client.for_member(demo.JAMES["member"]).account(demo.JAMES["medical"])
        ).minimum_due_cents
    )
    assert slots["request_text"] is None
    assert next_step(events) == "payment_form"


async def test_an_answer_that_also_names_the_method_or_amount_answers_those_too(billing_client):
    result, _ = await validate("payment_amount", "the full amount with my visa")
    visa = await method_id(billing_client, demo.MARIA["member"], "4242")
    assert (result["payment_amount"], result["payment_method"]) == (14090, visa)
    assert result["payment_idempotency_key"]  # a read-back comes next: it needs its key
    result, _ = await validate("account_number", "the whole premium", {**MARIA})
    assert (result["account_number"], result["payment_amount"]) == (demo.MARIA["premium"], 38900)


async def test_a_request_in_shorthand_names_its_account_and_method(billing_client):
    _, events = await run(
        ActionRequireMember(),
        tracker(MARIA, intent="make_payment", text="pay 20 on med bill w visa"),
    )
    changed = slot_events(events)
    visa = await method_id(billing_client, demo.MARIA["member"], "4242")
    assert (changed["account_number"], changed["payment_amount"], changed["payment_method"]) == (
        MEDICAL,
        2000,
        visa,
    )


async def test_the_blue_one_is_no_saved_method(billing_client):
    result, sent = await validate("payment_method", "the blue one")
    assert result["payment_method"] is None and sent == ["utter_invalid_method"]
