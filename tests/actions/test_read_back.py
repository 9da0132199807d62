"""What a member says at a read-back besides a plain yes or no: a new amount, method, account, day or
number of months is taken and read back again (the yes/no is cleared, so the next "yes" confirms what
they heard); a question or a plain yes changes nothing."""

from __future__ import annotations

import pytest

from actions.autopay import ValidateAutopayForm
from actions.payment_methods import ActionAskPaymentMethod
from actions.payments import ValidatePaymentForm
from actions.plans import ValidatePlanForm
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, signed_in_as, slot_events, tracker, validate
from tests.actions.test_payments import method_id

MARIA = signed_in_as(demo.MARIA)
OLD_KEY = "conversation-1:the-first-read-back"


async def maria_read_back(client, amount=3000, method="4242"):
    """Maria's payment form at its read-back: `amount` cents on her medical bill from a saved method."""
    return {
        **MARIA,
        "account_number": demo.MARIA["medical"],
        "payment_amount": amount,
        "payment_method": await method_id(client, demo.MARIA["member"], method),
        "payment_idempotency_key": OLD_KEY,
        "requested_slot": "payment_confirmed",
    }


async def at_payment_read_back(slots, said, intent):
    messages, events = await run(
        ValidatePaymentForm(), tracker(slots, intent=intent, text=said, active_loop="payment_form")
    )
    return messages, slot_events(events)


@pytest.mark.parametrize(
    "said,intent,cents",
    [
        ("actually make it $20", "inform", 2000),
        ("hmm can u make that twenty five instead", "make_payment", 2500),
        ("yes but do $45.50 not 50", "affirm", 4550),
        ("actually just pay the whole thing off", "make_payment", 14090),
        ("sorry i meant 50", "inform", 5000),
        ("actually just pay the whole thing off", "faq", 14090),  # a change read as a question
    ],
)
async def test_a_new_amount_is_read_back_again_under_a_new_key(billing_client, said, intent, cents):
    _, changed = await at_payment_read_back(await maria_read_back(billing_client), said, intent)
    assert changed["payment_amount"] == cents
    assert changed["payment_confirmed"] is None  # the "yes" of "yes but ..." confirms nothing yet
    assert changed["payment_idempotency_key"] not in (None, OLD_KEY)


async def test_another_method_or_account_is_taken_and_the_amount_kept(billing_client):
    slots = await maria_read_back(billing_client)
    _, changed = await at_payment_read_back(slots, "no wait use my bank account instead", "deny")
    assert changed["payment_method"] == await method_id(billing_client, demo.MARIA["member"], "6789")
    assert changed["payment_confirmed"] is None
    _, changed = await at_payment_read_back(slots, "oh sorry, put it toward the premium instead", "inform")
    assert changed["account_number"] == demo.MARIA["premium"]
    assert changed["payment_amount"] == 3000
    _, changed = await at_payment_read_back(slots, "make it 60 and take it from the bank", "inform")
    assert changed["payment_amount"] == 6000
    assert changed["payment_method"] == await method_id(billing_client, demo.MARIA["member"], "6789")


async def test_an_amount_over_the_balance_is_explained_and_asked_again(billing_client):
    messages, changed = await at_payment_read_back(
        await maria_read_back(billing_client), "make it 200", "inform"
    )
    assert response_names(messages) == ["utter_amount_over_balance"]
    assert changed["payment_amount"] is None and changed["payment_confirmed"] is None


async def test_a_negative_amount_is_refused_and_asked_again(billing_client):
    messages, changed = await at_payment_read_back(await maria_read_back(billing_client), "-50", "inform")
    assert "above zero" in messages[0]["text"]
    assert changed["payment_amount"] is None and changed["payment_confirmed"] is None


@pytest.mark.parametrize("intent", ["deny", "faq"])  # also when NLU takes it for a question
async def test_a_new_card_sends_the_link_and_waits_for_it(billing_client, payment_pages_url, intent):
    slots = await maria_read_back(billing_client)
    messages, changed = await at_payment_read_back(slots, "not the visa, a new one", intent)
    assert response_names(messages) == ["utter_payment_link"]
    assert messages[0]["url"].startswith(payment_pages_url)
    assert changed["payment_method"] is None and changed["payment_link_sent"] is True
    # The method question then waits for the new card: it lists no saved method.
    waiting = {**slots, "payment_method": None, "payment_link_sent": True}
    messages, _ = await run(ActionAskPaymentMethod(), tracker(waiting, active_loop="payment_form"))
    assert response_names(messages) == ["utter_ask_payment_method_after_link"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["I've added it"]


@pytest.mark.parametrize(
    "said,intent",
    [
        ("yes", "affirm"),
        ("yes, that's all", "affirm"),
        ("Yes, pay $30.00", "affirm"),
        ("yes with my visa", "affirm"),
        ("/affirm", "affirm"),
        ("nah dont", "deny"),
        ("wait how much is my premium bill?", "check_balance"),
        ("when will it post? in 2 days?", "faq"),
    ],
)
async def test_a_plain_answer_or_a_question_changes_nothing(billing_client, said, intent):
    messages, changed = await at_payment_read_back(await maria_read_back(billing_client), said, intent)
    assert messages == []
    assert not {"payment_amount", "payment_method", "account_number", "payment_idempotency_key"} & set(
        changed
    )


async def test_a_plan_takes_other_months_at_its_read_back(billing_client):
    david = {
        **signed_in_as(demo.DAVID),
        "account_number": demo.DAVID["medical"],
        "plan_months": 10,
        "requested_slot": "plan_confirmed",
    }
    for said, months in (("make it 5 months instead", 5), ("yes but over seven months", 7)):
        _, events = await run(
            ValidatePlanForm(), tracker(david, intent="inform", text=said, active_loop="plan_form")
        )
        assert slot_events(events) == {"plan_months": months, "plan_confirmed": None}
    messages, events = await run(
        ValidatePlanForm(), tracker(david, intent="inform", text="24 months", active_loop="plan_form")
    )
    assert response_names(messages) == ["utter_invalid_months"]
    assert slot_events(events)["plan_months"] is None
    _, events = await run(
        ValidatePlanForm(), tracker(david, intent="affirm", text="yes", active_loop="plan_form")
    )
    assert "plan_months" not in slot_events(events)


async def test_autopay_takes_another_day_or_method_at_its_read_back(billing_client):
    maria = {
        **MARIA,
        "account_number": demo.MARIA["medical"],
        "payment_method": await method_id(billing_client, demo.MARIA["member"], "4242"),
        "autopay_day": 15,
        "autopay_amount": "statement_balance",
        "requested_slot": "autopay_confirmed",
    }

    async def at_read_back(said, intent):
        _, events = await run(
            ValidateAutopayForm(), tracker(maria, intent=intent, text=said, active_loop="autopay_form")
        )
        changed = slot_events(events)
        changed.pop("requested_slot", None)  # rasa_sdk names the next question of a form with optional slots
        return changed

    assert await at_read_back("make it the 20th", "inform") == {"autopay_day": 20, "autopay_confirmed": None}
    bank = await method_id(billing_client, demo.MARIA["member"], "6789")
    assert await at_read_back("no, from the bank instead", "deny") == {
        "payment_method": bank,
        "autopay_confirmed": None,
    }
    assert await at_read_back("actually a fixed $100 each month", "inform") == {
        "autopay_amount": "fixed",
        "autopay_fixed_cents": 10000,
        "autopay_confirmed": None,
    }
    assert "autopay_day" not in await at_read_back("yes the 15th is fine", "affirm")


async def test_yes_after_the_link_lists_the_saved_methods_again_without_a_complaint(billing_client):
    waiting = {**await maria_read_back(billing_client), "payment_method": None, "payment_link_sent": True}
    result, sent = await validate(
        ValidatePaymentForm(), "payment_method", "yes", waiting, active_loop="payment_form"
    )
    assert (result, sent) == ({"payment_method": None, "payment_link_sent": False}, [])
