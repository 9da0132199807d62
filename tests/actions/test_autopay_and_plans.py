from actions.autopay import (
    ActionAskAutopayConfirmed,
    ActionSubmitAutopay,
    ActionSubmitAutopayCancel,
    ValidateAutopayForm,
)
from actions.identity import ActionRequireMember
from actions.plans import ActionAskPlanConfirmed, ActionAskPlanMonths, ActionSubmitPlan, ValidatePlanForm
from actions.premium import normalise_state
from tests import demo_members as demo
from tests.actions.action_calls import (
    DOMAIN,
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
    validate,
)

# In a form on their one account.
JAMES = {**signed_in_as(demo.JAMES), "account_number": demo.JAMES["medical"]}
SUSAN = {**signed_in_as(demo.SUSAN), "account_number": demo.SUSAN["medical"]}
DAVID = {**signed_in_as(demo.DAVID), "account_number": demo.DAVID["medical"]}


async def test_autopay_days_and_amount_rules_are_understood():
    form = ValidateAutopayForm()
    assert await validate(form, "autopay_day", "the 15th", JAMES) == ({"autopay_day": 15}, [])
    assert await validate(form, "autopay_day", "last day of the month", JAMES) == ({"autopay_day": 31}, [])
    assert await validate(form, "autopay_day", "the 40th", JAMES) == (
        {"autopay_day": None},
        ["utter_invalid_day"],
    )
    assert (await validate(form, "autopay_amount", "statement_balance", JAMES))[0] == {
        "autopay_amount": "statement_balance"
    }
    assert (await validate(form, "autopay_amount", "$60 every month", JAMES))[0] == {
        "autopay_amount": "fixed",
        "autopay_fixed_cents": 6000,
    }


async def test_fixed_amount_is_asked_only_for_the_fixed_rule():
    form = ValidateAutopayForm()
    slots = DOMAIN["forms"]["autopay_form"]["required_slots"]
    assert "autopay_fixed_cents" not in await form.required_slots(slots, None, tracker(JAMES), DOMAIN)
    fixed = await form.required_slots(slots, None, tracker({**JAMES, "autopay_amount": "fixed"}), DOMAIN)
    assert "autopay_fixed_cents" in fixed


async def test_changing_autopay_shows_the_current_setting_first(billing_client):
    messages, events = await run(
        ActionRequireMember(), tracker({**SUSAN, "account_number": None}, intent="change_autopay")
    )
    current = said(messages, "utter_autopay_current")
    assert (current["day"], current["method"], current["rule"]) == (
        15,
        "Visa ending 4242",
        "the statement balance",
    )
    assert next_step(events) == "autopay_form"


async def test_autopay_is_read_back_then_saved_with_the_next_run(billing_client):
    slots = {**JAMES, "payment_method": 3, "autopay_day": 31, "autopay_amount": "statement_balance"}
    messages, _ = await run(ActionAskAutopayConfirmed(), tracker(slots))
    readback = said(messages, "utter_ask_autopay_confirmed")
    assert (readback["day"], readback["method"], readback["rule"]) == (
        31,
        "Mastercard ending 4444",
        "the statement balance",
    )
    messages, events = await run(ActionSubmitAutopay(), tracker({**slots, "autopay_confirmed": True}))
    assert said(messages, "utter_autopay_saved")["method"] == "Mastercard ending 4444"
    saved = await billing_client.for_member(demo.JAMES["member"]).autopay(demo.JAMES["medical"])
    assert (saved.enabled, saved.day_of_month) == (True, 31)
    assert slot_events(events)["autopay_day"] is None


async def test_autopay_not_confirmed_changes_nothing(billing_client):
    slots = {
        **JAMES,
        "payment_method": 3,
        "autopay_day": 5,
        "autopay_amount": "statement_balance",
        "autopay_confirmed": False,
    }
    messages, _ = await run(ActionSubmitAutopay(), tracker(slots))
    assert response_names(messages) == ["utter_autopay_not_saved"]
    assert await billing_client.for_member(demo.JAMES["member"]).autopay(demo.JAMES["medical"]) is None


async def test_autopay_is_cancelled_on_yes(billing_client):
    messages, _ = await run(ActionSubmitAutopayCancel(), tracker({**SUSAN, "autopay_confirmed": True}))
    assert response_names(messages) == ["utter_autopay_cancelled"]
    autopay = await billing_client.for_member(demo.SUSAN["member"]).autopay(demo.SUSAN["medical"])
    assert autopay.enabled is False


async def test_turning_off_autopay_without_a_chosen_account_changes_nothing(billing_client):
    messages, _ = await run(
        ActionSubmitAutopayCancel(), tracker({**SUSAN, "account_number": None, "autopay_confirmed": True})
    )
    assert response_names(messages) == ["utter_autopay_not_saved"]
    autopay = await billing_client.for_member(demo.SUSAN["member"]).autopay(demo.SUSAN["medical"])
    assert autopay.enabled is True


async def test_a_plan_is_offered_confirmed_and_created(billing_client):
    messages, _ = await run(ActionAskPlanMonths(), tracker(DAVID))
    offer = said(messages, "utter_ask_plan_months")
    assert (offer["balance"], offer["min_months"], offer["max_months"]) == ("$2,450.00", 3, 12)
    assert [b["title"] for b in offer["buttons"]][0] == "3 months ($816.67/month)"
    assert await validate(ValidatePlanForm(), "plan_months", "six months", DAVID) == ({"plan_months": 6}, [])
    assert (await validate(ValidatePlanForm(), "plan_months", "24", DAVID))[0] == {"plan_months": None}
    messages, _ = await run(ActionAskPlanConfirmed(), tracker({**DAVID, "plan_months": 6}))
    readback = said(messages, "utter_ask_plan_confirmed")
    # The billing service's clock stands at Nov 22, 2026 (tests/billing_server.py): first due a month on.
    assert (readback["monthly"], readback["first_due"]) == ("$408.34", "Dec 22, 2026")
    messages, _ = await run(ActionSubmitPlan(), tracker({**DAVID, "plan_months": 6, "plan_confirmed": True}))
    created = said(messages, "utter_plan_created")
    assert (created["months"], created["first_amount"], created["first_due"]) == (
        6,
        "$408.34",
        readback["first_due"],
    )


async def test_a_small_balance_gets_no_plan_form(billing_client):
    messages, events = await run(
        ActionRequireMember(), tracker({**JAMES, "account_number": None}, intent="payment_plan")
    )
    assert response_names(messages) == ["utter_plan_not_eligible"]
    assert said(messages, "utter_plan_not_eligible")["min_balance"] == "$300.00"
    assert next_step(events) is None


async def james_autopay_request(text):
    _, events = await run(
        ActionRequireMember(), tracker({**JAMES, "account_number": None}, intent="setup_autopay", text=text)
    )
    assert next_step(events) == "autopay_form"
    return slot_events(events)


async def test_an_autopay_request_starts_the_form_with_what_it_already_says(billing_client):
    member = demo.JAMES["member"]
    mastercard = next(
        m.id for m in await billing_client.for_member(member).payment_methods(member) if m.last4 == "4444"
    )
    slots = await james_autopay_request(
        "set up autopay on the 5th with my mastercard for the statement balance"
    )
    taken = (slots["account_number"], slots["payment_method"], slots["autopay_day"], slots["autopay_amount"])
    assert taken == (demo.JAMES["medical"], mastercard, 5, "statement_balance")
    assert "autopay_confirmed" not in slots
    fixed = await james_autopay_request("autopay $50 a month on day 12")
    taken = (fixed["autopay_day"], fixed["autopay_amount"], fixed["autopay_fixed_cents"])
    assert taken == (12, "fixed", 5000)
    # "set up" is not a fixed amount, and a bare number is not a day: both are asked.
    unclear = await james_autopay_request("set up autopay from the card ending 4444")
    assert not {"autopay_day", "autopay_amount", "autopay_fixed_cents"} & set(unclear)
    assert (await james_autopay_request("autopay $31 at the end of the month"))["autopay_day"] == 31
    assert "autopay_day" not in await james_autopay_request("autopay $31 each month")


async def test_a_change_to_autopay_keeps_what_is_set_and_takes_what_is_said(billing_client):
    said_text = "change my autopay day to the 20th"
    _, events = await run(
        ActionRequireMember(),
        tracker({**SUSAN, "account_number": None}, intent="change_autopay", text=said_text),
    )
    changed = slot_events(events)
    assert (changed["autopay_day"], changed["autopay_amount"]) == (20, "statement_balance")
    susan = billing_client.for_member(demo.SUSAN["member"])
    current = await susan.autopay(demo.SUSAN["medical"])
    assert changed["payment_method"] == current.payment_method.id  # the card stays: only the day was said


async def test_a_plan_request_with_its_months_goes_straight_to_the_read_back(billing_client):
    said_text = "i cant pay all that, can i do a payment plan for 10 months instead"
    _, events = await run(
        ActionRequireMember(),
        tracker({**DAVID, "account_number": None}, intent="payment_plan", text=said_text),
    )
    assert slot_events(events)["plan_months"] == 10 and next_step(events) == "plan_form"
    _, events = await run(
        ActionRequireMember(),
        tracker({**DAVID, "account_number": None}, intent="payment_plan", text="a plan over 24 months"),
    )
    assert "plan_months" not in slot_events(events)  # not a term offered: the form asks


def test_a_misspelt_state_on_its_own_is_read():
    assert normalise_state("marylnd") == "Maryland"
    assert normalise_state("colorodo") == "Colorado"
    assert normalise_state("texas") is None
