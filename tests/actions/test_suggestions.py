"""After "Did you mean ...?" the member's choice carries the words of the message that was not placed, and
details given instead of a choice take up the best suggestion (read back before anything changes)."""

from actions.identity import ActionRequireMember
from tests import demo_members as demo
from tests.actions.action_calls import next_step, run, signed_in_as, slot_events, tracker

UNPLACED = "I'd like automatic payments on my premium from my bank account on the 1st, statement balance"


def after_did_you_mean(latest_text: str, intent: str) -> list[dict]:
    buttons = [
        {"title": "Set up autopay", "payload": "/setup_autopay"},
        {"title": "Make a payment", "payload": "/make_payment"},
    ]
    return [
        {"event": "user", "text": UNPLACED, "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "action", "name": "action_misunderstood"},
        {
            "event": "bot",
            "text": "I'm not sure I understood. Did you mean one of these?",
            "metadata": {"utter_action": "utter_did_you_mean"},
            "data": {"buttons": buttons},
        },
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": latest_text, "parse_data": {"intent": {"name": intent}}},
    ]


async def gate_after_did_you_mean(slots: dict, text: str, intent: str) -> list[dict]:
    """The events the gate returns for `text` (read as `intent`) answering the "Did you mean ...?"."""
    answering = tracker(slots, intent=intent, text=text, events=after_did_you_mean(text, intent))
    _, events = await run(ActionRequireMember(), answering)
    return events


async def test_details_instead_of_a_choice_verify_and_keep_the_best_suggestion_with_its_words(billing_client):
    details = f"{demo.MARIA['medical']} 04/12/1985 94612"
    slots = slot_events(await gate_after_did_you_mean({}, details, "nlu_fallback"))
    assert slots["pending_request"] == "autopay_form"
    assert slots["request_text"] == UNPLACED  # the day, the bank and the amount rule wait with it
    assert slots["verify_zip"] == "94612"  # all three taken: verified at once, nothing asked again


async def test_a_chosen_button_takes_the_words_of_the_message_it_answers(billing_client):
    events = await gate_after_did_you_mean(signed_in_as(demo.MARIA), "/setup_autopay", "setup_autopay")
    slots = slot_events(events)
    assert next_step(events) == "autopay_form"
    assert slots["account_number"] == demo.MARIA["premium"] and slots["autopay_day"] == 1
    assert slots["autopay_amount"] == "statement_balance"


async def test_a_typed_title_is_the_choice(billing_client):
    events = await gate_after_did_you_mean(signed_in_as(demo.MARIA), "set up autopay", "setup_autopay")
    assert slot_events(events)["autopay_day"] == 1  # from the unplaced message


async def test_another_request_instead_of_a_choice_is_that_request(billing_client):
    events = await gate_after_did_you_mean(signed_in_as(demo.MARIA), "whats my balance", "check_balance")
    assert next_step(events) is None
    assert "autopay_day" not in slot_events(events)


async def test_a_request_typed_instead_of_a_choice_keeps_its_own_words(billing_client):
    # "make a payment of $50 today" is no button title: its $50, not anything from the unplaced message.
    said = "make a payment of $50 today on the medical bill"
    events = await gate_after_did_you_mean(signed_in_as(demo.MARIA), said, "make_payment")
    assert next_step(events) == "payment_form"
    assert slot_events(events)["payment_amount"] == 5000
