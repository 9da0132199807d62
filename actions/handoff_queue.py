"""What a member waiting for a billing specialist hears about the wait: their place in the queue and an
expected wait when specialists are on and an agent is at the desk; else the specialists' hours and the
phone line (the case stays in the queue for when they are back). And leaving the queue for the assistant,
by asking to or by restarting the conversation; a new session (after an hour's silence) keeps the wait."""

from __future__ import annotations

import os
import re

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import business_hours
from assistant.billing_client import BillingRefused, BillingUnavailable
from assistant.desk_client import desk

from .lookups import billing

CASE_SLOT = "handoff_case"
RESTART_INTENT = "restart"  # Rasa's /restart, and "start over" as NLU reads it
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


def restarting(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") == RESTART_INTENT


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
    return [SlotSet(CASE_SLOT, None)]


async def restart_from_queue(dispatcher: CollectingDispatcher, case_reference: str) -> list[EventType]:
    """A /restart while waiting: out of the queue as when asking to leave (the case closed, so it leaves
    the desk's queue too), then Rasa's own restart. The queue policy sends /restart here first, since a
    restart alone would clear the slot and leave the case open for an agent to answer into nothing."""
    events = await leave_queue(dispatcher, case_reference)
    return events + [FollowupAction("action_restart")] if events else events


def still_waiting(tracker: Tracker) -> list[EventType]:
    """For a new session (the old one expired): a member waiting for a specialist still is, as the case is
    still in the desk's queue (kept for the morning outside hours); one an agent is answering stays paused,
    so the assistant does not talk over the agent. Read before the session resets the slots."""
    case_reference = tracker.get_slot(CASE_SLOT)
    if not case_reference:
        return []
    events: list[EventType] = [SlotSet(CASE_SLOT, case_reference)]
    return events + [ConversationPaused()] if tracker.is_paused() else events
