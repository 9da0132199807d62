"""The assistant's billing client: acting for a member and naming the caller."""

import asyncio

import httpx

from assistant.billing_client import BillingClient


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
