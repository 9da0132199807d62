import re

from actions.accounts import (
    ActionCheckBalance,
    ActionOlderStatements,
    ActionShowStatement,
)
from actions.history import ActionLastReceipt, ActionPaymentHistory
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, said, signed_in_as, slot_events, tracker

MARIA, ROBERT = signed_in_as(demo.MARIA), signed_in_as(demo.ROBERT)


async def test_balances_tell_medical_and_premium_apart(billing_client):
    messages, _ = await run(ActionCheckBalance(), tracker(MARIA, intent="check_balance"))
    medical, premium = [m for m in messages if m["response"] == "utter_balance"]
    assert (medical["account_label"], medical["balance"], medical["minimum_due"]) == (
        "medical bill account ending 0001",
        "$140.90",
        "$25.00",
    )
    assert medical["due_date"] == "Dec 8, 2026"
    assert (premium["account_label"], premium["balance"]) == ("premium account ending 0002", "$389.00")
    assert response_names(messages)[-1] == "utter_offer_payment"


async def test_owing_nothing_is_said_plainly(billing_client):
    messages, _ = await run(ActionCheckBalance(), tracker(ROBERT, intent="check_balance"))
    assert response_names(messages) == ["utter_balance_nothing_owed"]


async def test_a_balance_question_inside_a_form_is_answered_without_an_offer(billing_client):
    in_form = tracker(MARIA, intent="check_balance", active_loop="payment_form")
    messages, _ = await run(ActionCheckBalance(), in_form)
    assert "utter_offer_payment" not in response_names(messages)


async def test_the_statement_is_read_line_by_line(billing_client):
    messages, _ = await run(ActionShowStatement(), tracker(MARIA, intent="show_statement"))
    summary = said(messages, "utter_statement_summary")
    assert (summary["balance_due"], summary["minimum_due"]) == ("$140.90", "$25.00")
    lines = [m for m in messages if m["response"] == "utter_statement_line"]
    xray = next(line for line in lines if line["procedure"] == "Chest X-ray, two views")
    assert (xray["charges"], xray["plan_paid"], xray["member_owes"]) == ("$264.00", "$176.10", "$87.90")
    visit = next(line for line in lines if line["procedure"] == "Office visit, established patient")
    assert visit["adjustments"] == " and adjustments were $25.00"


async def test_older_statements_on_request(billing_client):
    messages, _ = await run(ActionOlderStatements(), tracker(MARIA, intent="older_statements"))
    assert said(messages, "utter_statement_line")["procedure"] == "Annual physical exam"
    assert said(messages, "utter_no_older_statements")["account_label"] == "premium account ending 0002"


async def test_history_and_last_receipt(billing_client):
    messages, _ = await run(ActionPaymentHistory(), tracker(MARIA, intent="payment_history"))
    entry = said(messages, "utter_payment_history_entry")
    assert (entry["amount"], entry["method"], entry["status"]) == ("$19.00", "Visa ending 4242", "succeeded")
    messages, _ = await run(ActionLastReceipt(), tracker(MARIA, intent="last_receipt"))
    receipt = said(messages, "utter_receipt")
    assert re.fullmatch(r"KP[0-9A-Z]{8,}", receipt["confirmation_number"])
    assert receipt["email"] == "maria.lopez@example.com"


async def test_billing_down_is_said_and_a_person_offered(billing_down):
    messages, events = await run(ActionCheckBalance(), tracker(MARIA, intent="check_balance"))
    assert response_names(messages) == ["utter_billing_unavailable"]
    assert slot_events(events)["handoff_reason"] == "billing_unavailable"


async def test_billing_down_inside_a_form_leaves_the_form(billing_down):
    _, events = await run(
        ActionCheckBalance(), tracker(MARIA, intent="check_balance", active_loop="payment_form")
    )
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
