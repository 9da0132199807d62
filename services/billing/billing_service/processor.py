"""The payment processor interface and its sandbox.

Only this module ever sees a full card or bank account number: it turns one into a token
and forgets the number. The billing rules charge tokens.

Sandbox test numbers follow the convention of well-known processors' test cards:

    cards   4242 4242 4242 4242  Visa, succeeds
            5555 5555 5555 4444  Mastercard, succeeds
            3782 822463 10005    American Express, succeeds
            6011 1111 1111 1117  Discover, succeeds
            4000 0000 0000 0002  declined
            4000 0000 0000 9995  insufficient funds
            4000 0000 0000 0119  processing error (failed)
    banks   routing 110000000 with account 000123456789 succeeds,
            000111111116 is declined (account closed), 000222222227 has insufficient funds.
            Any other valid routing and account number succeeds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Protocol

from sqlalchemy.orm import Session

from billing_contract.card_numbers import card_brand, luhn_valid

from .errors import Unprocessable
from .models import PaymentMethod, SandboxVaultEntry

CARD_OUTCOMES = {
    "4000000000000002": "declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000119": "failed",
}
BANK_OUTCOMES = {
    "000111111116": "declined",
    "000222222227": "insufficient_funds",
}
BANK_NAMES = {"110000000": "Sandbox Bank", "021000021": "JPMorgan Chase", "011000015": "Federal Reserve Bank"}


@dataclasses.dataclass(frozen=True)
class Tokenized:
    token: str
    kind: str  # card | bank
    last4: str
    brand: str | None = None
    bank_name: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None


def store_method(
    session: Session, tokenized: Tokenized, *, member_id: int | None, now: dt.datetime
) -> PaymentMethod:
    """The processor's token kept as a payment method: in the member's wallet, or no one's (a guest's)."""
    method = PaymentMethod(
        member_id=member_id,
        processor_token=tokenized.token,
        kind=tokenized.kind,
        brand=tokenized.brand,
        bank_name=tokenized.bank_name,
        last4=tokenized.last4,
        exp_month=tokenized.exp_month,
        exp_year=tokenized.exp_year,
        created_at=now,
    )
    session.add(method)
    session.flush()
    return method


@dataclasses.dataclass(frozen=True)
class ChargeResult:
    status: str  # succeeded | declined | failed
    reason: str | None  # None | card_declined | insufficient_funds | processing_error
    reference: str


class PaymentProcessor(Protocol):
    def tokenize_card(
        self, session: Session, number: str, exp_month: int, exp_year: int, cvc: str, today: dt.date
    ) -> Tokenized: ...

    def tokenize_bank(self, session: Session, routing_number: str, account_number: str) -> Tokenized: ...

    def charge(
        self, session: Session, token: str, amount_cents: int, idempotency_key: str
    ) -> ChargeResult: ...


def routing_number_valid(routing: str) -> bool:
    """ABA checksum: 3-7-1 weights over the nine digits."""
    if len(routing) != 9 or not routing.isdigit():
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(routing, weights, strict=True)) % 10 == 0


class SandboxProcessor:
    """Deterministic processor for development and tests; keeps its vault in the database."""

    def tokenize_card(
        self, session: Session, number: str, exp_month: int, exp_year: int, cvc: str, today: dt.date
    ) -> Tokenized:
        number = "".join(ch for ch in number if ch.isdigit())
        if not 13 <= len(number) <= 19 or not luhn_valid(number):
            raise Unprocessable("invalid_card_number", "That card number is not valid.")
        if not 1 <= exp_month <= 12:
            raise Unprocessable("invalid_expiry", "The expiry month must be 1 to 12.")
        if (exp_year, exp_month) < (today.year, today.month):
            raise Unprocessable("card_expired", "That card has expired.")
        expected_cvc = 4 if card_brand(number) == "American Express" else 3
        if len(cvc) != expected_cvc or not cvc.isdigit():
            raise Unprocessable("invalid_cvc", f"The security code must be {expected_cvc} digits.")
        token = self._store(session, CARD_OUTCOMES.get(number, "succeeded"), "card")
        return Tokenized(
            token=token,
            kind="card",
            last4=number[-4:],
            brand=card_brand(number),
            exp_month=exp_month,
            exp_year=exp_year,
        )

    def tokenize_bank(self, session: Session, routing_number: str, account_number: str) -> Tokenized:
        routing_number = routing_number.strip()
        account_number = account_number.strip()
        if not routing_number_valid(routing_number):
            raise Unprocessable("invalid_routing_number", "That routing number is not valid.")
        if not (4 <= len(account_number) <= 17 and account_number.isdigit()):
            raise Unprocessable("invalid_bank_account", "A bank account number is 4 to 17 digits.")
        token = self._store(session, BANK_OUTCOMES.get(account_number, "succeeded"), "bank")
        return Tokenized(
            token=token,
            kind="bank",
            last4=account_number[-4:],
            bank_name=BANK_NAMES.get(routing_number, "Bank account"),
        )

    def charge(self, session: Session, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        entry = session.get(SandboxVaultEntry, token)
        outcome = entry.outcome if entry else "failed"
        reference = "ch_sandbox_" + secrets.token_hex(8)
        if outcome == "succeeded":
            return ChargeResult("succeeded", None, reference)
        if outcome == "declined":
            return ChargeResult("declined", "card_declined", reference)
        if outcome == "insufficient_funds":
            return ChargeResult("declined", "insufficient_funds", reference)
        return ChargeResult("failed", "processing_error", reference)

    def _store(self, session: Session, outcome: str, kind: str) -> str:
        token = f"tok_sandbox_{kind}_{secrets.token_hex(12)}"
        session.add(
            SandboxVaultEntry(
                token=token, outcome=outcome, created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
            )
        )
        return token
