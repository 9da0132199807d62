"""What a member waiting for a billing specialist hears about the wait: their place in the queue and an
expected wait when specialists are on and an agent is at the desk; else the specialists' hours and the
phone line (the case stays in the queue for when they are back). And leaving the queue for the assistant."""

from __future__ import annotations

import os
import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import business_hours
from assistant.billing_client import BillingRefused, BillingUnavailable
from assistant.desk_client import desk

from .lookups import billing

# The expected wait is this many minutes per place in the queue (HANDOFF_MINUTES_PER_PLACE): an estimate
# of one specialist's first answer per member ahead, not a measurement; a plan sets its own.
DEFAULT_MINUTES_PER_PLACE = 5
# Ways of asking out of the queue that NLU may read as something else ("back to the assistant" reads as a
# request for a person, the very thing being left). The answers say "never mind", not "cancel": by SMS,
# CANCEL is a carrier opt-out keyword that would stop every text.
_LEAVE_WORDS = re.compile(
    r"\b(never ?mind|back to the (bot|assistant)|stop waiting|(don'?t|do not) want to wait)\b", re.IGNORECASE
)


def minutes_per_place() -> int:
    try:
        minutes = int(os.environ.get("HANDOFF_MINUTES_PER_PLACE", DEFAULT_MINUTES_PER_PLACE))
    except ValueError:
        return DEFAULT_MINUTES_PER_PLACE
    return minutes if minutes > 0 else DEFAULT_MINUTES_PER_PLACE


async def place_in_queue(case_id: int) -> int | None:
    """1 for the oldest open handoff; None when the case is not open or the billing service cannot say."""
    try:
        waiting = await billing().handoffs("open")  # oldest first
    except (BillingUnavailable, BillingRefused):
        return None
    ids = [case.id for case in waiting]
    return ids.index(case_id) + 1 if case_id in ids else None


async def tell_the_wait(dispatcher: CollectingDispatcher, case_id: int, open_ahead: int) -> None:
    """Right after a handoff: the place and wait, or why nobody will answer soon."""
    hours = business_hours.from_environment()
    if not hours.is_open(business_hours.utc_now()):
        dispatcher.utter_message(response="utter_handoff_after_hours", hours=hours.words())
    elif await desk().agents_available() == 0:  # nobody signed in, or the desk does not answer
        dispatcher.utter_message(response="utter_handoff_nobody_free", hours=hours.words())
    else:
        place = await place_in_queue(case_id) or open_ahead + 1
        dispatcher.utter_message(
            response="utter_handoff_queue_place", place=place, wait_minutes=place * minutes_per_place()
        )


def wants_to_leave(tracker: Tracker) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "cancel" or bool(_LEAVE_WORDS.search(tracker.latest_message.get("text") or ""))


async def leave_queue(dispatcher: CollectingDispatcher, case_reference: str) -> list[EventType]:
    """Closes the case so no agent picks up a conversation that left, then back to the assistant. If the
    billing service cannot close it, the member stays in the queue rather than leave a case an agent
    would answer into a conversation that moved on."""
    if case_reference.isdigit():
        try:
            await billing().close_handoff(int(case_reference))
        except BillingUnavailable:
            dispatcher.utter_message(response="utter_handoff_cancel_failed", case_id=case_reference)
            return []
        except BillingRefused:
            pass  # no such open case (closed already): nothing left to close
    dispatcher.utter_message(response="utter_handoff_cancelled", case_id=case_reference)
    return [SlotSet("handoff_case", None)]
