"""One simulated member's conversation over the REST channel: what they say, what each turn is, the words
the reply must hold for the turn to count as answered right, and the payment they saw confirmed."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import re
import time

import httpx

from billing_contract.money import dollars_to_cents, format_cents

# The demo member the seed data holds (services/billing/billing_service/seed.py).
ACCOUNT_NUMBER = "2000100001"
DATE_OF_BIRTH = "April 12, 1985"
ZIP_CODE = "94612"
# Small, so a whole run (1 + 10 + 50 + 200 members) stays under the demo medical balance ($140.90) even
# where the balance carries over between levels (a billing database on PostgreSQL is not reset).
PAYMENT_CENTS = 10
# utter_payment_succeeded (domain/forms/payment_form.yml): what a member keeps from the confirmation.
PAID = re.compile(r"Done\. (\$[\d,]+\.\d\d) was paid from .*? Confirmation number ([A-Z0-9]+)\.")


@dataclasses.dataclass(frozen=True)
class Turn:
    kind: str  # what the figures are grouped by
    message: str
    expect: str  # the reply holds these words, or the turn is an error
    calls_billing: bool = False


def billing_conversation(payment_cents: int = PAYMENT_CENTS) -> tuple[Turn, ...]:
    """Issue 11's member: an FAQ, verification, balance, part of the balance paid after the read-back, an
    autopay question, goodbye. Messages are ones the trained model reads right (data/nlu)."""
    payment = format_cents(payment_cents)
    return (
        Turn("faq", "who do I call about a claim?", "Customer Service"),
        Turn("form_step", "what's my balance?", "account number or medical record number"),
        Turn("form_step", ACCOUNT_NUMBER, "date of birth"),
        Turn("form_step", DATE_OF_BIRTH, "ZIP"),
        Turn("verify", ZIP_CODE, "you're verified", calls_billing=True),
        Turn("balance", "what's my balance?", "due by", calls_billing=True),
        Turn("form_step", "I'd like to make a payment", "Which account?", calls_billing=True),
        Turn("form_step", "the medical bill one", "How much would you like to pay?"),
        Turn("form_step", payment, "Which payment method?", calls_billing=True),
        Turn("read_back", "my visa", f"pay {payment} from your Visa ending 4242", calls_billing=True),
        Turn("pay", "yes", f"{payment} was paid", calls_billing=True),
        # The seeded demo member has no autopay (utter_autopay_status_off, said per account).
        Turn(
            "autopay", "is my autopay on", "Autopay is off on your medical bill account", calls_billing=True
        ),
        Turn("goodbye", "bye", ""),
    )


@dataclasses.dataclass
class TurnResult:
    kind: str
    seconds: float
    error: str | None


@dataclasses.dataclass(frozen=True)
class ConfirmedPayment:
    """A payment as the member was told it went through."""

    confirmation_number: str
    amount_cents: int


async def converse(
    client: httpx.AsyncClient, rasa_url: str, sender: str, script: tuple[Turn, ...], think_seconds: float = 0
) -> tuple[list[TurnResult], ConfirmedPayment | None]:
    """Plays the script; stops at the first wrong turn (what follows would only be noise). Returns the
    turns and the payment the member saw confirmed, if any. With `think_seconds` the member reads and types
    for half to one and a half times that before each message (spread, so members do not move in step)."""
    results: list[TurnResult] = []
    paid = None
    for turn in script:
        if think_seconds:
            await asyncio.sleep(think_seconds * random.uniform(0.5, 1.5))
        started = time.perf_counter()
        error = None
        try:
            answer = await client.post(
                f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.message}
            )
            answer.raise_for_status()
            reply = "\n".join(message.get("text", "") for message in answer.json())
            if turn.expect not in reply:
                error = f"unexpected reply to {turn.message!r}: {reply[:120]!r}"
            elif turn.kind == "pay":
                paid = confirmed_payment(reply)
                if paid is None:
                    error = f"no amount and confirmation number in {reply[:120]!r}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:160]
        results.append(TurnResult(turn.kind, time.perf_counter() - started, error))
        if error:
            break
    return results, paid


def confirmed_payment(reply: str) -> ConfirmedPayment | None:
    found = PAID.search(reply)
    if found is None:
        return None
    return ConfirmedPayment(found.group(2), dollars_to_cents(found.group(1)))
