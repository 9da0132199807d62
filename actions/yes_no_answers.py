"""A plain yes or no to a form's confirming question, in words NLU was unsure of or placed elsewhere
("yes please stop it" as a fallback, "ok yes cancel it" as a cancel): taken as that answer by whichever
action the rules ran for the message, so the form goes on with it."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from assistant.parsing.yes_no import plain_yes_or_no

# The read-backs' yes/no slots (each form validator's `read_back_slot`; a test keeps them in step).
READ_BACK_SLOTS = frozenset(
    {"payment_confirmed", "autopay_confirmed", "plan_confirmed", "paperless_confirmed"}
)

# Read-backs that ask to turn something off (form, its read-back slot), where a bare "cancel it" could be
# either answer.
TURNING_OFF_READ_BACKS = frozenset({("autopay_cancel_form", "autopay_confirmed")})
BARE_TURN_OFF = re.compile(
    r"^\W*(?:cancel|stop|turn\s+(?:it\s+)?off|end|remove)(?:\s+(?:it|that|this|autopay))?(?:\s+off)?\W*$",
    re.IGNORECASE,
)


def worded_yes_or_no(tracker: Tracker) -> bool | None:
    """The member's plain yes (True) or no (False) to the read-back the form asked; None otherwise."""
    if not tracker.active_loop_name or tracker.get_slot("requested_slot") not in READ_BACK_SLOTS:
        return None
    return plain_yes_or_no(tracker.latest_message.get("text") or "")


def answer_events(tracker: Tracker, answer: bool) -> list[EventType]:
    return [SlotSet(str(tracker.get_slot("requested_slot")), answer), SlotSet("unusable_answers", 0)]


def yes_or_stop(tracker: Tracker) -> bool:
    """A bare "cancel it" to a read-back that asks to turn something off: the yes or a stop, not to guess."""
    asked = (tracker.active_loop_name, tracker.get_slot("requested_slot"))
    return asked in TURNING_OFF_READ_BACKS and bool(
        BARE_TURN_OFF.match(tracker.latest_message.get("text") or "")
    )
