"""A tracker that claims a member without the action server's signed identity gets nothing: the
`verified` and `member_number` slots can be written by anyone who can write events."""
import datetime as dt

from actions.accounts import ActionCheckBalance, ActionShowStatement
from actions.identity_token import issue_identity
from actions.payments import ActionSubmitPayment
from tests.actions.conftest import responses, run, signed_in, tracker

CLAIMED = {"verified": True, "member_number": "M100002", "first_name": "James"}
PAYMENT = {"account_number": "2000200001", "payment_amount": 1000, "payment_method": 3, "payment_confirmed": True,
           "payment_idempotency_key": "forged-1"}


async def test_slots_alone_reveal_no_balance_or_statement(billing_client):
    for action in (ActionCheckBalance(), ActionShowStatement()):
        messages, _ = await run(action, tracker(CLAIMED))
        assert responses(messages) == ["utter_need_verification"]


async def test_a_token_for_another_conversation_or_expired_or_forged_is_refused(billing_client):
    stolen = {**CLAIMED, "identity_token": issue_identity("M100002", "some-other-conversation")}
    expired = {**CLAIMED, "identity_token": issue_identity(
        "M100002", "conversation-1", now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))}
    forged = {**CLAIMED, "identity_token": signed_in("M100002")["identity_token"][:-4] + "AAAA"}
    for slots in (stolen, expired, forged):
        messages, _ = await run(ActionCheckBalance(), tracker(slots))
        assert responses(messages) == ["utter_need_verification"]


async def test_a_forged_payment_moves_no_money(billing_client):
    james = billing_client.for_member("M100002")
    before = len(await james.payments("2000200001"))
    messages, _ = await run(ActionSubmitPayment(), tracker({**CLAIMED, **PAYMENT}))
    assert responses(messages) == ["utter_need_verification"]
    assert len(await james.payments("2000200001")) == before
    assert (await james.account("2000200001")).balance_cents == 8440


async def test_a_verified_member_cannot_reach_another_members_account(billing_client):
    maria_paying_james = {**signed_in("M100001"), **PAYMENT}
    messages, _ = await run(ActionSubmitPayment(), tracker(maria_paying_james))
    assert "utter_payment_succeeded" not in responses(messages)
    assert (await billing_client.for_member("M100002").account("2000200001")).balance_cents == 8440
