"""A tracker that claims a member without the action server's signed identity gets nothing: the
`verified` and `member_number` slots can be written by anyone who can write events."""

import datetime as dt

from actions.accounts import ActionCheckBalance, ActionShowStatement
from actions.identity_token import issue_identity
from actions.payments import ActionSubmitPayment
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, signed_in, tracker

JAMES, JAMES_ACCOUNT = demo.JAMES["member"], demo.JAMES["medical"]
CLAIMED = {"verified": True, "member_number": JAMES, "first_name": "James"}
PAYMENT = {
    "account_number": JAMES_ACCOUNT,
    "payment_amount": 1000,
    "payment_method": 3,
    "payment_confirmed": True,
    "payment_idempotency_key": "forged-1",
}


async def test_slots_alone_reveal_no_balance_or_statement(billing_client):
    for action in (ActionCheckBalance(), ActionShowStatement()):
        messages, _ = await run(action, tracker(CLAIMED))
        assert response_names(messages) == ["utter_need_verification"]


async def test_a_token_for_another_conversation_or_expired_or_forged_is_refused(billing_client):
    stolen = {**CLAIMED, "identity_token": issue_identity(JAMES, "some-other-conversation")}
    expired = {
        **CLAIMED,
        "identity_token": issue_identity(
            JAMES, "conversation-1", now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
        ),
    }
    forged = {**CLAIMED, "identity_token": signed_in(JAMES)["identity_token"][:-4] + "AAAA"}
    for slots in (stolen, expired, forged):
        messages, _ = await run(ActionCheckBalance(), tracker(slots))
        assert response_names(messages) == ["utter_need_verification"]


async def test_a_forged_payment_moves_no_money(billing_client):
    james = billing_client.for_member(JAMES)
    before = len(await james.payments(JAMES_ACCOUNT))
    messages, _ = await run(ActionSubmitPayment(), tracker({**CLAIMED, **PAYMENT}))
    assert response_names(messages) == ["utter_need_verification"]
    assert len(await james.payments(JAMES_ACCOUNT)) == before
    assert (await james.account(JAMES_ACCOUNT)).balance_cents == demo.JAMES["balance"]


async def test_a_verified_member_cannot_reach_another_members_account(billing_client):
    maria_paying_james = {**signed_in(demo.MARIA["member"]), **PAYMENT}
    messages, _ = await run(ActionSubmitPayment(), tracker(maria_paying_james))
    assert "utter_payment_succeeded" not in response_names(messages)
    account = await billing_client.for_member(JAMES).account(JAMES_ACCOUNT)
    assert account.balance_cents == demo.JAMES["balance"]
