"""The demo "Sign in as" choices. Signing in verifies the member with the billing service exactly as a
member does in the chat (account number, date of birth, ZIP code from the README's demo answers), so
the website never needs to know member numbers, which are random."""
from __future__ import annotations

import dataclasses
from typing import Dict, Optional

from ..billing.seed import DEMO_MEMBERS
from ..billing_client import BillingClient

CLIENT_PREFIX = "website:"  # names the caller for the billing service's per-client verification limits


@dataclasses.dataclass(frozen=True)
class DemoChoice:
    key: str
    name: str
    account_number: str
    date_of_birth: str
    zip_code: str


def demo_choices() -> Dict[str, DemoChoice]:
    choices = {}
    for member in DEMO_MEMBERS:
        key = f"{member.first_name}-{member.last_name}".lower()
        choices[key] = DemoChoice(key, f"{member.first_name} {member.last_name}", member.accounts[0].number,
                                  member.date_of_birth.isoformat(), member.zip_code)
    return choices


async def verified_member_number(client: BillingClient, choice: DemoChoice, client_address: Optional[str]) -> str:
    """The member number the billing service answers for this demo member's verification answers.
    Raises BillingRefused / BillingUnavailable like every billing call."""
    member = await client.verify(account_number=choice.account_number, date_of_birth=choice.date_of_birth,
                                 zip_code=choice.zip_code, client_id=CLIENT_PREFIX + (client_address or "unknown"))
    return member.member_number
