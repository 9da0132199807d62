"""Facts about the demo members (billing_service.seed) that the tests rely on, and requests made as them."""

MARIA = {
    "member": "M100001",
    "medical": "2000100001",
    "premium": "2000100002",
    "dob": "1985-04-12",
    "zip": "94612",
    "mrn": "11000001",
    "medical_balance": 14090,
    "premium_balance": 38900,
}
JAMES = {"member": "M100002", "medical": "2000200001", "dob": "1972-09-30", "zip": "20852", "balance": 8440}
LINDA = {"member": "M100003", "premium": "2000300001", "dob": "1990-01-25", "zip": "80203", "balance": 61200}
ROBERT = {"member": "M100004", "medical": "2000400001", "dob": "1958-06-03", "zip": "96813"}
SUSAN = {"member": "M100005", "medical": "2000500001", "balance": 12825}
DAVID = {"member": "M100006", "medical": "2000600001", "balance": 245000}


def method_id(client, member: str, last4: str) -> int:
    methods = client.get(f"/members/{member}/payment-methods", headers=acting_as(member)).json()
    return next(m["id"] for m in methods if m["last4"] == last4)


def pay(client, account: str, method: int, cents, key: str, member: str = ""):
    """A payment acting for `member`, by default the account's owner."""
    return client.post(
        "/payments",
        json={"account_number": account, "payment_method_id": method, "amount_cents": cents},
        headers={"Idempotency-Key": key, **acting_as(member or ACCOUNT_OWNERS.get(account, ""))},
    )


# Which member owns each demo account: the member a verified conversation acts for.
ACCOUNT_OWNERS = {
    person[key]: person["member"]
    for person in (MARIA, JAMES, LINDA, ROBERT, SUSAN, DAVID)
    for key in ("medical", "premium")
    if key in person
}


def acting_as(member: str) -> dict:
    """Headers of a request the assistant makes for a verified member."""
    return {"X-Member-Number": member}
