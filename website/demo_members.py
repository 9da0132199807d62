"""The demo "Sign in as" choices. Signing in verifies the member with the billing service exactly as a
member does in the chat (account number, date of birth, ZIP code from the README's demo answers), so
the website never needs to know member numbers, which are random."""

from __future__ import annotations

import dataclasses

from assistant.billing_client import BillingClient

CLIENT_PREFIX = "website:"  # names the caller for the billing service's per-client verification limits


@dataclasses.dataclass(frozen=True)
class DemoChoice:
    key: str
    name: str
    account_number: str
    date_of_birth: str
    zip_code: str


# The README's demo answers for the billing service's seeded members (its seed.py): the site signs in
# with them as a member would. A change to the seed shows up as failed sign-ins in tests/e2e.
DEMO_ANSWERS = (
    ("Maria Lopez", "2000100001", "1985-04-12", "94612"),
    ("James Carter", "2000200001", "1972-09-30", "20852"),
    ("Linda Nguyen", "2000300001", "1990-01-25", "80203"),
    ("Robert Kim", "2000400001", "1958-06-03", "96813"),
    ("Susan Patel", "2000500001", "1968-11-14", "30303"),
    ("David Johnson", "2000600001", "1979-03-08", "97201"),
)


def demo_choices() -> dict[str, DemoChoice]:
    choices = {}
    for name, account_number, date_of_birth, zip_code in DEMO_ANSWERS:
        key = name.replace(" ", "-").lower()
        choices[key] = DemoChoice(key, name, account_number, date_of_birth, zip_code)
    return choices


async def verified_member_number(
    client: BillingClient, choice: DemoChoice, client_address: str | None
) -> str:
    """The member number the billing service answers for this demo member's verification answers.
    Raises BillingRefused / BillingUnavailable like every billing call."""
    member = await client.verify(
        account_number=choice.account_number,
        date_of_birth=choice.date_of_birth,
        zip_code=choice.zip_code,
        client_id=CLIENT_PREFIX + (client_address or "unknown"),
    )
    return member.member_number
