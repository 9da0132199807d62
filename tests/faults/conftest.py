"""Fixtures of the fault tests: a billing service of their own that can be stopped, and the client the
actions use pointed at it. The action-calling helpers are tests/actions/action_calls.py's."""

from __future__ import annotations

import os

import pytest

from actions.lookups import use_billing_client
from assistant.billing_client import BillingClient
from tests.faults.services import BillingProcess

# Account actions trust only a signed identity: tests sign in the way verification does.
os.environ.setdefault("IDENTITY_TOKEN_SECRET", "test-identity-token-secret-0123456789")


@pytest.fixture
def billing_process(tmp_path):
    """A seeded billing service on its own SQLite file, running; the test may stop and start it."""
    process = BillingProcess(f"sqlite:///{tmp_path}/billing.db", tmp_path / "billing.log")
    process.seed()
    process.start()
    yield process
    process.stop()


@pytest.fixture
async def actions_billing(billing_process):
    """The actions reach `billing_process` through the client they use in production."""
    client = BillingClient(billing_process.url)
    use_billing_client(client)
    yield client
    use_billing_client(None)
    await client.aclose()
