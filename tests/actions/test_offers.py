"""A request the bot offered with a button, taken up in words: "yes" to "Would you like to make a
payment?" starts the payment (as the button does), and so does an amount ("the whole premium")."""

import pytest

from actions.unclear_replies import ActionMisunderstood, ActionYesOrNo
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, signed_in_as, slot_events, tracker

MARIA = signed_in_as(demo.MARIA)


def asked_with_buttons(said: str, intent: str, question: str, buttons: dict[str, str]) -> list[dict]:
    """A member's message, then the bot's question with a button for each title (its payload)."""
    return [
        {"event": "user", "text": said, "parse_data": {"intent": {"name": intent}}},
        {
            "event": "bot",
            "text": question,
            "data": {"buttons": [{"title": t, "payload": p} for t, p in buttons.items()]},
        },
    ]


OFFER = asked_with_buttons(
    "whats my balance",
    "check_balance",
    "Would you like to make a payment?",
    {"Make a payment": "/make_payment", "Not now": "/deny"},
)


def answer(text: str, intent: str, slots=MARIA):
    events = [*OFFER, {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}]
    return tracker(slots, intent=intent, text=text, events=events)


def followups(events) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


async def test_yes_to_the_offer_of_a_payment_starts_the_payment(billing_client):
    messages, events = await run(ActionYesOrNo(), answer("yes", "affirm"))
    assert followups(events) == ["payment_form"]
    assert "utter_anything_else" not in response_names(messages)


async def test_an_amount_after_the_offer_starts_the_payment_with_it(billing_client):
    messages, events = await run(ActionMisunderstood(), answer("the whole premium", "inform"))
    slots = slot_events(events)
    assert followups(events) == ["payment_form"]
    assert slots["account_number"] == demo.MARIA["premium"]
    assert slots["payment_amount"] == 38900  # the premium's whole balance, read back before anything moves
    assert "utter_not_understood" not in response_names(messages)


async def test_yes_with_no_offer_is_still_anything_else(billing_client):
    messages, events = await run(ActionYesOrNo(), tracker(MARIA, intent="affirm", text="yes"))
    assert response_names(messages) == ["utter_anything_else"]
    assert followups(events) == []


async def test_yes_to_an_offer_from_someone_unverified_verifies_them_first(billing_client):
    messages, events = await run(ActionYesOrNo(), answer("yes", "affirm", slots={}))
    assert followups(events) == ["action_require_member"]  # the gate asks who they are, then takes it up
    assert messages == []


CHOICE = asked_with_buttons(
    "more time?",
    "nlu_fallback",
    "Did you mean one of these?",
    {"Ask for more time to pay": "/request_extension", "Set up a payment plan": "/payment_plan"},
)


async def test_yes_to_a_choice_of_requests_makes_none_of_them(billing_client):
    # "Did you mean one of these?" [Ask for more time to pay] [Set up a payment plan]: "yes" picks neither.
    choice = [*CHOICE, {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}}]
    messages, events = await run(ActionYesOrNo(), tracker(MARIA, intent="affirm", text="yes", events=choice))
    assert followups(events) == []
    assert response_names(messages) == ["utter_anything_else"]


async def test_an_amount_said_on_its_own_once_verified_starts_the_payment_with_it(billing_client):
    # Verified with a request that was lost, then "the whole premium": that payment, read back first.
    said = "the whole premium"
    messages, events = await run(ActionMisunderstood(), tracker(MARIA, intent="inform", text=said))
    assert followups(events) == ["payment_form"]
    assert slot_events(events)["payment_amount"] == 38900
    assert "utter_ask_rephrase" not in response_names(messages)


@pytest.mark.parametrize(
    ("said", "intent", "events"),
    [
        ("i paid $50 yesterday and it never showed up", "nlu_fallback", []),  # not read as an answer
        ("4444", "inform", []),  # a card's last digits, no payment's words
        ("50 a month", "inform", []),
        ("$50", "inform", CHOICE),  # a question with choices was asked: no answer to it
    ],
)
async def test_a_number_that_is_no_payment_of_its_own_starts_none(billing_client, said, intent, events):
    turn = [*events, {"event": "user", "text": said, "parse_data": {"intent": {"name": intent}}}]
    _, result = await run(ActionMisunderstood(), tracker(MARIA, intent=intent, text=said, events=turn))
    assert followups(result) == []
    assert "payment_amount" not in slot_events(result)


async def test_nobody_unverified_starts_a_payment_by_naming_an_amount(billing_client):
    _, events = await run(ActionMisunderstood(), tracker({}, intent="inform", text="the whole premium"))
    assert followups(events) == []
