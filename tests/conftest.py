"""The billing service the assistant's tests talk to: the real one, from its own environment, over HTTP."""

from __future__ import annotations

import pytest

from tests.billing_server import BillingServer


@pytest.fixture(scope="session")
def billing_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("billing")
    server = BillingServer(folder)
    with server.serving(folder / "billing.log"):
        yield server


@pytest.fixture
def billing_url(billing_server):
    """The service's URL, its data as seeded: one test's payments never leak into the next."""
    billing_server.reset()
    return billing_server.url
