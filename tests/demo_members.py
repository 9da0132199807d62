"""The demo members the assistant's tests talk as: the README's answers for the billing service's seed
(services/billing/billing_service/seed.py), and what the seed makes them owe."""

MARIA = {
    "member": "M100001",
    "first_name": "Maria",
    "medical": "2000100001",
    "premium": "2000100002",
    "dob": "1985-04-12",
    "zip": "94612",
    "mrn": "11000001",
    "medical_balance": 14090,
    "premium_balance": 38900,
}
JAMES = {
    "member": "M100002",
    "first_name": "James",
    "medical": "2000200001",
    "dob": "1972-09-30",
    "zip": "20852",
    "balance": 8440,
}
LINDA = {
    "member": "M100003",
    "first_name": "Linda",
    "premium": "2000300001",
    "dob": "1990-01-25",
    "zip": "80203",
    "balance": 61200,
}
ROBERT = {
    "member": "M100004",
    "first_name": "Robert",
    "medical": "2000400001",
    "dob": "1958-06-03",
    "zip": "96813",
    "balance": 0,
}
SUSAN = {"member": "M100005", "first_name": "Susan", "medical": "2000500001", "balance": 12825}  # autopay on
DAVID = {"member": "M100006", "first_name": "David", "medical": "2000600001", "balance": 245000}
