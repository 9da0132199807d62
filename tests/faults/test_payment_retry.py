"""A payment whose answer is lost: the billing service records and charges it, but the action server's
call times out before the answer arrives. The action asks again with the same idempotency key: one
payment row, and the member is told it went through, with its confirmation number."""

from __future__ import annotations

import httpx
import pytest

from actions.lookups import use_billing_client
from actions.payments import ActionSubmitPayment
from assistant.billing_client import BillingClient
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, said, signed_in_as, tracker

MEDICAL = demo.MARIA["medical"]
CONFIRMED = {
    **signed_in_as(demo.MARIA),
    "account_number": MEDICAL,
    "payment_amount": 5000,
    "payment_method": 1,
    "payment_confirmed": True,
    "payment_idempotency_key": "conversation-1:readback-1",
}


class AnswersLost(httpx.AsyncBaseTransport):
    """The real billing service, except that the answers to the first `lose` payment requests never
    come back: the request is delivered and handled, then the caller times out."""

    def __init__(self, lose: int):
        self._real = httpx.AsyncHTTPTransport()
        self.lose = lose
        self.payment_requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._real.handle_async_request(request)
        if request.method == "POST" and request.url.path == "/payments":
            self.payment_requests += 1
            if self.payment_requests <= self.lose:
                await response.aread()  # handled in full: the payment is recorded
                raise httpx.ReadTimeout("no answer in time", request=request)
        return response

    async def aclose(self) -> None:
        await self._real.aclose()


@pytest.fixture
async def answers_lost(billing_url):
    transport = AnswersLost(lose=1)
    client = BillingClient(billing_url, transport=transport)
    use_billing_client(client)
    yield transport
    use_billing_client(None)
    await client.aclose()


async def _recorded(billing_url: str) -> list[dict]:
    async with httpx.AsyncClient(base_url=billing_url) as http:
        response = await http.get(
            f"/accounts/{MEDICAL}/payments", headers={"X-Member-Number": demo.MARIA["member"]}
        )
        return [p for p in response.json() if p["amount_cents"] == 5000]


async def test_a_payment_retried_after_a_timeout_is_recorded_once_and_told_paid(answers_lost, billing_url):
    messages, _ = await run(ActionSubmitPayment(), tracker(CONFIRMED))

    assert answers_lost.payment_requests == 2  # the lost answer, then the retry with the same key
    paid = said(messages, "utter_payment_succeeded")
    assert (paid["amount"], paid["balance_after"]) == ("$50.00", "$90.90")
    recorded = await _recorded(billing_url)
    assert [(p["status"], p["confirmation_number"]) for p in recorded] == [
        ("succeeded", paid["confirmation_number"])
    ]


async def test_when_every_answer_is_lost_the_member_is_not_told_paid_and_is_charged_once(
    answers_lost, billing_url
):
    answers_lost.lose = 2
    messages, _ = await run(ActionSubmitPayment(), tracker(CONFIRMED))

    assert response_names(messages) == ["utter_payment_outcome_unknown"]
    # The member's next "yes" to the same read-back finds the payment made, not a second one.
    answers_lost.lose = 0
    messages, _ = await run(ActionSubmitPayment(), tracker(CONFIRMED))
    paid = said(messages, "utter_payment_succeeded")
    recorded = await _recorded(billing_url)
    assert [p["confirmation_number"] for p in recorded] == [paid["confirmation_number"]]
