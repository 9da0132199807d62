"""One simulated member's conversation over the REST channel: what they say, what each turn is, and the
words the reply must hold for the turn to count as answered right."""

from __future__ import annotations

import dataclasses
import time

import httpx

# The demo member the seed data holds (services/billing/billing_service/seed.py).
ACCOUNT_NUMBER = "2000100001"
DATE_OF_BIRTH = "April 12, 1985"
ZIP_CODE = "94612"
PAYMENT = "$1.00"
PAYMENT_CENTS = 100


@dataclasses.dataclass(frozen=True)
class Turn:
    kind: str  # what the figures are grouped by
    message: str
    expect: str  # the reply holds these words, or the turn is an error
    calls_billing: bool = False


CONVERSATION = (
    Turn("faq", "who do I call about a claim?", "Customer Service"),
    Turn("form_step", "what's my balance?", "account number or medical record number"),
    Turn("form_step", ACCOUNT_NUMBER, "date of birth"),
    Turn("form_step", DATE_OF_BIRTH, "ZIP"),
    Turn("verify", ZIP_CODE, "you're verified", calls_billing=True),
    Turn("balance", "what's my balance?", "due by", calls_billing=True),
    Turn("form_step", "I'd like to make a payment", "Which account?", calls_billing=True),
    Turn("form_step", "the medical bill one", "How much would you like to pay?"),
    Turn("form_step", PAYMENT, "Which payment method?", calls_billing=True),
    Turn("read_back", "my visa", f"pay {PAYMENT} from your Visa ending 4242", calls_billing=True),
    Turn("pay", "yes", f"{PAYMENT} was paid", calls_billing=True),
    Turn("faq", "can I pay my bill over the phone", "automated prompts"),
    Turn("goodbye", "bye", ""),
)


@dataclasses.dataclass
class TurnResult:
    kind: str
    seconds: float
    error: str | None


async def converse(client: httpx.AsyncClient, rasa_url: str, sender: str) -> tuple[list[TurnResult], bool]:
    """Plays the conversation; stops at the first wrong turn (what follows would only be noise).
    Returns the turns and whether the member saw their payment confirmed."""
    results: list[TurnResult] = []
    paid = False
    for turn in CONVERSATION:
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
                paid = True
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:160]
        results.append(TurnResult(turn.kind, time.perf_counter() - started, error))
        if error:
            break
    return results, paid
