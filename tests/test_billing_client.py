"""The assistant's billing client: acting for a member and naming the caller."""

import asyncio

import httpx
import pytest

from assistant import billing_client
from assistant.billing_client import BillingClient, BillingUnavailable


def _recording_client(seen):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"member_number": "M1", "first_name": "A", "last_name": "B", "region": "CA", "accounts": []},
        )

    return BillingClient("http://billing.test", transport=httpx.MockTransport(handler))


def test_for_member_sends_the_member_header_on_every_call_and_shares_the_pool():
    seen = []
    client = _recording_client(seen)
    scoped = client.for_member("M100001")

    async def calls():
        await scoped.member("M100001")
        await client.member("M100001")
        await scoped.aclose()  # the scoped client does not own the pool
        await client.member("M100001")
        await client.aclose()

    asyncio.run(calls())
    assert scoped._http is client._http
    assert [r.headers.get("X-Member-Number") for r in seen] == ["M100001", None, None]


def test_verify_and_guest_calls_name_the_client():
    seen = []
    client = _recording_client(seen)

    async def calls():
        await client.verify(
            date_of_birth="1985-04-12", zip_code="94612", account_number="1", client_id="conv-1"
        )
        await client.verify(date_of_birth="1985-04-12", zip_code="94612", account_number="1")
        await client.aclose()

    asyncio.run(calls())
    assert [r.headers.get("X-Client-Id") for r in seen] == ["conv-1", None]


MEMBER = {"member_number": "M1", "first_name": "A", "last_name": "B", "region": "CA", "accounts": []}


def _client_answering(answers, seen):
    """A billing service that answers each request with the next of `answers` (a status or an exception)."""
    pending = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = pending.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json=MEMBER if answer == 200 else {"reason": "database_unavailable"})

    return BillingClient("http://billing.test", transport=httpx.MockTransport(handler))


@pytest.fixture(autouse=True)
def no_retry_pauses(monkeypatch):
    monkeypatch.setattr(billing_client, "READ_RETRY_PAUSES", (0, 0))


def test_a_read_is_asked_again_after_a_503_or_a_timeout():
    seen = []
    client = _client_answering([503, httpx.ReadTimeout("slow"), 200], seen)
    member = asyncio.run(client.member("M1"))
    assert member.member_number == "M1" and seen == ["GET"] * 3


def test_a_read_that_keeps_failing_is_reported_unavailable_after_three_tries():
    seen = []
    client = _client_answering([503, 503, 503, 200], seen)
    with pytest.raises(BillingUnavailable):
        asyncio.run(client.member("M1"))
    assert seen == ["GET"] * 3


def test_a_verification_that_may_have_arrived_is_never_sent_again():
    """A timeout after sending: the service may have counted the attempt, so it is not repeated."""
    seen = []
    client = _client_answering([httpx.ReadTimeout("slow"), 200], seen)
    with pytest.raises(BillingUnavailable):
        asyncio.run(client.verify(date_of_birth="1985-04-12", zip_code="94612", account_number="1"))
    assert seen == ["POST"]


def test_a_503_to_a_verification_is_not_repeated():
    seen = []
    client = _client_answering([503, 200], seen)
    with pytest.raises(BillingUnavailable):
        asyncio.run(client.verify(date_of_birth="1985-04-12", zip_code="94612", account_number="1"))
    assert seen == ["POST"]


def test_a_call_that_never_connected_is_sent_once_more():
    seen = []
    client = _client_answering([httpx.ConnectError("refused"), 200], seen)
    member = asyncio.run(client.verify(date_of_birth="1985-04-12", zip_code="94612", account_number="1"))
    assert member.member_number == "M1" and seen == ["POST", "POST"]
