"""The action server's one billing client, created on first use (never at import)."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from billing_contract import responses
from assistant.billing_client import BillingClient

from .identity_token import verified_member

_client: Optional[BillingClient] = None


class NotVerified(Exception):
    """An account action ran without a valid identity for this conversation."""


def billing() -> BillingClient:
    global _client
    if _client is None:
        _client = BillingClient.from_env()
    return _client


def member_billing(tracker: Tracker) -> BillingClient:
    """The client acting for this conversation's verified member: the billing service then refuses any
    account that is not theirs. Raises NotVerified when the conversation holds no valid identity."""
    number = verified_member(tracker)
    if not number:
        raise NotVerified()
    return billing().for_member(number)


async def current_member(tracker: Tracker) -> responses.MemberOut:
    """The verified member with their accounts (NotVerified without a valid identity)."""
    return await member_billing(tracker).member(verified_member(tracker) or "")


def use_billing_client(client: Optional[BillingClient]) -> None:
    """Points the actions at another client (tests: the in-process billing service)."""
    global _client
    _client = client
