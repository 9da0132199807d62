"""The billing service goes down in the middle of a conversation and comes back: the member is told so
plainly, nothing is paid or recorded meanwhile, and the same conversation then finishes its payment."""

from __future__ import annotations

from actions.accounts import ActionCheckBalance
from actions.payments import ActionSubmitPayment
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, said, signed_in_as, slot_events, tracker

MARIA = signed_in_as(demo.MARIA)
MEDICAL = demo.MARIA["medical"]
# The payment form's slots after the read-back and the member's "yes" ($50.00 of the medical bill).
CONFIRMED = {
    **MARIA,
    "account_number": MEDICAL,
    "payment_amount": 5000,
    "payment_method": 1,
    "payment_confirmed": True,
    "payment_idempotency_key": "conversation-1:readback-1",
}


async def test_billing_down_then_back_the_same_conversation_pays_once(billing_process, actions_billing):
    maria = actions_billing.for_member(demo.MARIA["member"])
    seeded = await maria.payments(MEDICAL)
    billing_process.stop()

    messages, events = await run(ActionCheckBalance(), tracker(MARIA, intent="check_balance"))
    assert response_names(messages) == ["utter_billing_unavailable"]
    assert slot_events(events)["handoff_reason"] == "billing_unavailable"
    messages, events = await run(ActionSubmitPayment(), tracker(CONFIRMED))
    assert response_names(messages) == ["utter_payment_outcome_unknown"]  # never "paid", never "failed"

    billing_process.start()

    assert await maria.payments(MEDICAL) == seeded  # nothing was charged while it was down
    # The conversation still knows who it is talking to: the balance is read again, unchanged.
    messages, _ = await run(ActionCheckBalance(), tracker(MARIA, intent="check_balance"))
    assert said(messages, "utter_balance")["balance"] == "$140.90"
    # The member says yes again to the same read-back: paid, once.
    messages, _ = await run(ActionSubmitPayment(), tracker(CONFIRMED))
    paid = said(messages, "utter_payment_succeeded")
    assert (paid["amount"], paid["balance_after"]) == ("$50.00", "$90.90")
    earlier = {p.confirmation_number for p in seeded}
    new = [p for p in await maria.payments(MEDICAL) if p.confirmation_number not in earlier]
    assert [(p.amount_cents, p.status, p.confirmation_number) for p in new] == [
        (5000, "succeeded", paid["confirmation_number"])
    ]
