"""Questions about what is set now ("is my autopay on", "am I on paperless"): answered per account for a
verified member, after verification for anyone else, and never changing the setting."""

from actions.identity import ActionRequireMember, ActionVerifyMember
from actions.settings_status import ActionAutopayStatus, ActionPaperlessStatus
from tests import demo_members as demo
from tests.actions.action_calls import (
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
)

MARIA, SUSAN = signed_in_as(demo.MARIA), signed_in_as(demo.SUSAN)


async def test_autopay_that_is_on_is_read_with_its_day_rule_and_method(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(SUSAN, intent="autopay_status"))
    current = said(messages, "utter_autopay_current")
    assert current["account_label"] == "medical bill account ending 0001"
    assert (current["day"], current["rule"], current["method"]) == (
        15,
        "the statement balance",
        "Visa ending 4242",
    )
    assert next_step(events) is None  # an answer, not the autopay form


async def test_autopay_that_is_off_is_said_for_each_account(billing_client):
    messages, _ = await run(ActionAutopayStatus(), tracker(MARIA, intent="autopay_status"))
    assert response_names(messages) == ["utter_autopay_status_off", "utter_autopay_status_off"]
    assert [m["account_label"] for m in messages] == [
        "medical bill account ending 0001",
        "premium account ending 0002",
    ]


async def test_paperless_is_said_per_account_and_left_as_it_is(billing_client):
    maria = billing_client.for_member(demo.MARIA["member"])
    await maria.set_paperless(demo.MARIA["medical"], True)
    messages, _ = await run(ActionPaperlessStatus(), tracker(MARIA, intent="paperless_status"))
    assert [(m["response"], m["account_label"]) for m in messages] == [
        ("utter_paperless_status_on", "medical bill account ending 0001"),
        ("utter_paperless_status_off", "premium account ending 0002"),
    ]
    assert (await maria.account(demo.MARIA["medical"])).paperless
    assert not (await maria.account(demo.MARIA["premium"])).paperless


async def test_a_stranger_verifies_first_then_hears_the_answer(billing_client):
    messages, events = await run(ActionRequireMember(), tracker(intent="paperless_status"))
    assert response_names(messages) == ["utter_need_verification"]
    assert slot_events(events)["pending_request"] == "action_paperless_status"
    answers = {
        "verify_identifier": demo.MARIA["medical"],
        "verify_birth_date": demo.MARIA["dob"],
        "verify_zip": demo.MARIA["zip"],
        "pending_request": "action_paperless_status",
    }
    messages, _ = await run(ActionVerifyMember(), tracker(answers))
    assert response_names(messages)[-2:] == ["utter_paperless_status_off", "utter_paperless_status_off"]


async def test_billing_down_is_said_not_guessed(billing_down):
    messages, _ = await run(ActionAutopayStatus(), tracker(SUSAN, intent="autopay_status"))
    assert response_names(messages) == ["utter_billing_unavailable"]


async def test_a_question_read_as_a_change_is_answered_and_changes_nothing(billing_client):
    # "so is autopay off now?" is often read as cancel_autopay: the member hears how it is set, and no
    # confirmation to turn it off is started.
    messages, events = await run(
        ActionRequireMember(), tracker(SUSAN, intent="cancel_autopay", text="so is autopay off now?")
    )
    assert said(messages, "utter_autopay_current")["day"] == 15
    assert next_step(events) is None
    messages, events = await run(
        ActionRequireMember(), tracker(MARIA, intent="paperless_on", text="did i already go paperless?")
    )
    assert response_names(messages) == ["utter_paperless_status_off", "utter_paperless_status_off"]
    assert next_step(events) is None


async def test_a_polite_request_to_change_is_still_a_request(billing_client):
    _, events = await run(
        ActionRequireMember(),
        tracker(SUSAN, intent="cancel_autopay", text="is it possible to cancel my autopay?"),
    )
    assert next_step(events) == "autopay_cancel_form"


async def test_words_asking_for_a_change_read_as_a_question_start_the_change(billing_client):
    # "hmm actually go paperless" read as paperless_status had been told to say "go paperless".
    messages, events = await run(
        ActionRequireMember(), tracker(MARIA, intent="paperless_status", text="hmm actually go paperless")
    )
    assert next_step(events) == "paperless_form"
    assert slot_events(events)["paperless_wanted"] is True
    assert "utter_paperless_status_off" not in response_names(messages)
    maria = billing_client.for_member(demo.MARIA["member"])
    assert not (await maria.account(demo.MARIA["medical"])).paperless  # nothing changes before the "yes"


async def test_the_latest_words_say_which_way_after_an_earlier_request(billing_client):
    # Linda asked for paper (already so), then "hmm actually go paperless": paperless, not paper again.
    earlier = [
        {"event": "user", "text": "stop paperless", "parse_data": {"intent": {"name": "paperless_off"}}},
        {
            "event": "user",
            "text": "hmm actually go paperless",
            "parse_data": {"intent": {"name": "paperless_status"}},
        },
    ]
    linda = signed_in_as(demo.LINDA)
    _, events = await run(
        ActionRequireMember(),
        tracker(linda, intent="paperless_status", text="hmm actually go paperless", events=earlier),
    )
    assert next_step(events) == "paperless_form"
    assert slot_events(events)["paperless_wanted"] is True


async def test_words_setting_up_autopay_read_as_a_question_start_the_setup_with_their_details(billing_client):
    # "set up autopay on my medical bill with my bank" read as autopay_status had only heard it was off.
    messages, events = await run(
        ActionRequireMember(),
        tracker(MARIA, intent="autopay_status", text="set up autopay on my medical bill with my bank"),
    )
    assert next_step(events) == "autopay_form"
    slots = slot_events(events)
    assert slots["account_number"] == demo.MARIA["medical"] and slots["payment_method"] is not None
    assert "utter_autopay_status_off" not in response_names(messages)


async def test_a_question_about_when_autopay_starts_is_answered(billing_client):
    messages, events = await run(
        ActionRequireMember(), tracker(MARIA, intent="autopay_status", text="when will my autopay start?")
    )
    assert next_step(events) is None
    assert response_names(messages) == ["utter_autopay_status_off", "utter_autopay_status_off"]
