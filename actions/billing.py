"""The action server's one billing client, created on first use (never at import)."""
from __future__ import annotations

from typing import Optional

from bot.billing_client import BillingClient

_client: Optional[BillingClient] = None


def billing() -> BillingClient:
    global _client
    if _client is None:
        _client = BillingClient.from_env()
    return _client


def use_billing_client(client: Optional[BillingClient]) -> None:
    """Points the actions at another client (tests: the in-process billing service)."""
    global _client
    _client = client
