"""A request the bot offered with a button ("Would you like to make a payment?" [Make a payment]) taken up
in words: a typed "yes", or, for a payment, an answer to its first question ("the whole premium"), which
the form then starts with; such an answer said on its own by a verified member is a payment too."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.parsing.amounts import AmountError, parse_amount

from .base import answering_failures
from .lookups import current_member
from .member_requests import do_request
from .request_intents import REQUEST_FOR_INTENT
from .typed_buttons import last_turn_buttons, payload_intent


def offered_request(tracker: Tracker) -> str | None:
    """The request the bot's last turn offered: its one button that makes a request (/make_payment beside
    "Not now"). Several ("Did you mean ...?", a menu) offer a choice that a "yes" does not make."""
    requests = [
        intent
        for intent in (payload_intent(str(b.get("payload") or "")) for b in last_turn_buttons(tracker))
        if intent in REQUEST_FOR_INTENT
    ]
    return requests[0] if len(requests) == 1 else None


# What makes a number said on its own an amount to pay rather than a card's last digits, a ZIP code or a
# count ("4444", "50 a month"): a currency sign or the words of the payment question's answers.
PAYMENT_WORDS = re.compile(
    r"\$|\b(?:full|whole|entire|balance|premium|minimum|dollars?|bucks)\b", re.IGNORECASE
)


def names_a_payment(tracker: Tracker) -> bool:
    """Does the latest message name an amount (the payment form's first question) right after the offer
    of a payment, or on its own in a payment's words where nothing was asked ("the whole premium" read as
    a form answer, once verified)? Either way the payment's read-back comes before anything moves."""
    text = tracker.latest_message.get("text") or ""
    if offered_request(tracker) == "make_payment":
        try:
            return parse_amount(text) is not None
        except AmountError:
            return True  # an amount that cannot be paid ("-50"): the form says why
    alone = (
        (tracker.latest_message.get("intent") or {}).get("name") == "inform"
        and not last_turn_buttons(tracker)  # a question with choices was asked: the amount is no answer
        and PAYMENT_WORDS.search(text) is not None
    )
    try:
        return alone and parse_amount(text) is not None
    except AmountError:
        return False


async def take_up_offer(
    dispatcher: CollectingDispatcher, tracker: Tracker, said: str = "", intent: str | None = None
) -> list[EventType]:
    """Does the offered request (or `intent`) for the verified member; a form it prepares starts next."""
    intent = intent or offered_request(tracker)
    if intent is None:
        return []
    request = REQUEST_FOR_INTENT[intent]

    async def doing() -> list[EventType]:
        return await do_request(request, await current_member(tracker), dispatcher, tracker, said)

    events = await answering_failures(doing(), dispatcher, tracker)
    form = next(
        (e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == "next_step"), None
    )
    return events + ([FollowupAction(form)] if form else [])
