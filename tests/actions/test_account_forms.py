"""Starting an account form through the gate: each form works on the accounts the billing service marks
for it, picks the only one, or says why there is nothing to do (actions/form_registry.py)."""

import pytest

from actions.autopay import ValidateAutopayCancelForm
from actions.form_registry import FORMS
from actions.form_setup import ActionAskAccountNumber
from actions.form_validation import BillingFormValidation
from actions.identity import ActionRequireMember, ValidateVerificationForm
from actions.member_requests import ANSWERS
from actions.plans import ValidatePlanForm
from actions.request_intents import REQUEST_FOR_INTENT
from tests import demo_members as demo
from tests.actions.action_calls import (
    DOMAIN,
    next_step,
    response_names,
    run,
    signed_in_as,
    slot_events,
    tracker,
    validate,
)


async def gate(member, intent):
    messages, events = await run(ActionRequireMember(), tracker(signed_in_as(member), intent=intent))
    return response_names(messages), slot_events(events).get("account_number"), next_step(events)


def test_every_form_asking_for_an_account_is_declared_and_every_request_is_a_form_or_an_answer():
    asking = {name for name, form in DOMAIN["forms"].items() if "account_number" in form["required_slots"]}
    assert asking == set(FORMS)
    assert set(REQUEST_FOR_INTENT.values()) == set(FORMS) | set(ANSWERS)


async def test_autopay_set_up_says_so_and_cancelling_needs_autopay(billing_client):
    assert await gate(demo.JAMES, "setup_autopay") == (
        ["utter_autopay_setup_intro"],
        demo.JAMES["medical"],
        "autopay_form",
    )
    assert await gate(demo.JAMES, "cancel_autopay") == (["utter_no_autopay"], None, None)
    assert await gate(demo.SUSAN, "cancel_autopay") == ([], demo.SUSAN["medical"], "autopay_cancel_form")


async def test_a_plan_is_for_a_large_enough_balance_without_a_plan(billing_client):
    assert await gate(demo.DAVID, "payment_plan") == ([], demo.DAVID["medical"], "plan_form")
    await billing_client.for_member(demo.DAVID["member"]).create_plan(demo.DAVID["medical"], 6)
    replies, account, form = await gate(demo.DAVID, "payment_plan")
    assert (replies, account, form) == (["utter_plan_exists"], None, None)


async def test_a_dispute_asks_which_account_when_there_are_two(billing_client):
    assert await gate(demo.MARIA, "dispute_charge") == ([], None, "dispute_form")


@pytest.mark.parametrize(
    ("form", "question"),
    [
        ("payment_form", "Which account?"),
        ("autopay_form", "Which account should autopay pay?"),
        ("plan_form", "Which account is the payment plan for?"),
        ("dispute_form", "Which account is the charge on?"),
    ],
)
async def test_the_account_question_says_which_task_asks(billing_client, form, question):
    # A member who has just switched task ("actually nvm, set up autopay instead") sees which task asks.
    messages, _ = await run(ActionAskAccountNumber(), tracker(signed_in_as(demo.MARIA), active_loop=form))
    [asked] = messages
    assert DOMAIN["responses"][asked["response"]][0]["text"] == question
    assert asked["buttons"]  # one for each of Maria's accounts the form can work on


async def test_an_account_the_form_cannot_work_on_is_not_accepted(billing_client):
    maria = signed_in_as(demo.MARIA)
    assert await validate(
        ValidatePlanForm(), "account_number", demo.MARIA["medical"], maria, active_loop="plan_form"
    ) == ({"account_number": None}, ["utter_invalid_account"])
    susan = signed_in_as(demo.SUSAN)
    chosen = await validate(
        ValidateAutopayCancelForm(),
        "account_number",
        "the medical one",
        susan,
        active_loop="autopay_cancel_form",
    )
    assert chosen == ({"account_number": demo.SUSAN["medical"]}, [])


@pytest.mark.parametrize(
    "cleared", [("verify_identifier", "verify_birth_date", "verify_zip"), ("account_number",)]
)
async def test_a_slot_cleared_before_the_form_is_no_answer_to_check(billing_client, cleared):
    # What the form sees after verification failed and asks again, or after a gate chose nothing: the
    # previous action's SlotSet(..., None) events. Nothing is said about them and nothing set again.
    events = [{"event": "slot", "name": name, "value": None} for name in cleared]
    for form in (validator() for validator in _validators()):
        if not set(cleared) <= set(DOMAIN["forms"][form.form_name()]["required_slots"]):
            continue
        messages, validated = await run(
            form, tracker(signed_in_as(demo.MARIA), events=events, active_loop=form.form_name())
        )
        assert (messages, [e for e in validated if e["name"] in cleared]) == ([], []), form.name()


async def test_an_answer_after_them_is_still_checked(billing_client):
    events = [
        {"event": "slot", "name": "verify_identifier", "value": None},
        {"event": "slot", "name": "verify_zip", "value": "zip is 94612-1234"},
    ]
    messages, validated = await run(
        ValidateVerificationForm(), tracker(events=events, active_loop="verification_form")
    )
    assert messages == [] and slot_events(validated) == {"verify_zip": "94612"}


def _validators():
    """Every form validator of the action server."""
    found, queue = [], list(BillingFormValidation.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if "name" in cls.__dict__:
            found.append(cls)
    return found
