"""The action server's one billing client (created on first use, never at import) and the look-ups the
actions share: the verified member, the account and saved payment method a form has chosen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk import Tracker

from assistant.billing_client import BillingClient
from billing_contract import responses

from .choices import match_method
from .identity_token import verified_member

_client: BillingClient | None = None


class NotVerified(Exception):
    """An account action ran without a valid identity for this conversation."""


def billing() -> BillingClient:
    global _client
    if _client is None:
        _client = BillingClient.from_env()
    return _client


def use_billing_client(client: BillingClient | None) -> None:
    """Points the actions at another client (tests: the billing service they started)."""
    global _client
    _client = client


def member_billing(tracker: Tracker) -> BillingClient:
    """The client acting for this conversation's verified member: the billing service then refuses any
    account that is not theirs. Raises NotVerified when the conversation holds no valid identity."""
    number = verified_member(tracker)
    if not number:
        raise NotVerified()
    return billing().for_member(number)


@dataclass(frozen=True)
class VerifiedMember:
    """A verified member: their profile with every account, and the billing client acting for them."""

    profile: responses.MemberOut
    billing: BillingClient

    @property
    def number(self) -> str:
        return self.profile.member_number

    @property
    def accounts(self) -> Sequence[responses.AccountSummary]:
        return self.profile.accounts


def acting_for(profile: responses.MemberOut) -> VerifiedMember:
    """The member the billing service has just verified (or a signed identity names)."""
    return VerifiedMember(profile, billing().for_member(profile.member_number))


async def current_member(tracker: Tracker) -> VerifiedMember:
    """The conversation's verified member (NotVerified without a valid identity)."""
    client = member_billing(tracker)
    return VerifiedMember(await client.member(verified_member(tracker) or ""), client)


async def chosen_account(tracker: Tracker) -> responses.AccountSummary | None:
    """The account the form is working on (its account_number slot)."""
    number = tracker.get_slot("account_number")
    return await member_billing(tracker).account(number) if number else None


async def saved_methods(tracker: Tracker) -> list[responses.PaymentMethodOut]:
    return await member_billing(tracker).payment_methods(verified_member(tracker) or "")


async def chosen_method(tracker: Tracker) -> responses.PaymentMethodOut | None:
    """The saved payment method the form's payment_method slot names."""
    return match_method(tracker.get_slot("payment_method"), await saved_methods(tracker))
