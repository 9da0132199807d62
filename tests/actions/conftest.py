"""Fixtures of the action tests: the real billing service (tests/conftest.py starts it) or one that is
down, behind the client the actions use. Helpers for calling actions are in action_calls.py."""

from __future__ import annotations

import os

import httpx
import pytest

from actions.lookups import use_billing_client
from assistant.billing_client import BillingClient

# Account actions trust only a signed identity: tests sign in the way verification does.
os.environ.setdefault("IDENTITY_TOKEN_SECRET", "test-identity-token-secret-0123456789")


@pytest.fixture
async def billing_client(billing_url):
    client = BillingClient(billing_url)
    use_billing_client(client)
    yield client
    use_billing_client(None)
    await client.aclose()


class Unreachable(httpx.AsyncBaseTransport):
    """A billing service that is down: every request fails to connect."""

    def __init__(self):
        self.requests = 0

    async def handle_async_request(self, request):
        self.requests += 1
        raise httpx.ConnectError("connection refused", request=request)


@pytest.fixture
async def billing_down():
    transport = Unreachable()
    use_billing_client(BillingClient("http://billing.test", transport=transport))
    yield transport
    use_billing_client(None)


@pytest.fixture
def payment_pages_url(billing_server) -> str:
    """Where the billing service's secure payment pages are: the links the assistant sends start with it."""
    return billing_server.env["BILLING_PUBLIC_URL"]
