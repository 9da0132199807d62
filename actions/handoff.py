"""Handing a conversation to a person, misunderstandings, leaving a form, and numbers that must
not be typed into the chat."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused, BillingUnavailable
from assistant.event_redaction import redact_events

from .base import member_number
from .handoff_queue import (
    leave_queue,
    place_in_queue,
    restart_from_queue,
    restarting,
    tell_the_wait,
    wants_to_leave,
)
from .lookups import billing
from .slots import clear_form_slots
from .yes_no_answers import answer_events, worded_yes_or_no, yes_or_stop

SUMMARY_MESSAGES = 6


def conversation_summary(tracker: Tracker) -> str:
    """The member's last few messages, masked, for the agent who picks this up; payloads (the widget's
    /greet, buttons) are not the member's words and are left out. Answers to the verification questions
    (account number, date of birth, ZIP) are left out too: the agent sees who was verified, never the
    answers."""
    said = []
    verifying = False
    # Masked as the tracker store masks: numbers split over messages included.
    for event in redact_events(tracker.events):
        if event.get("event") == "active_loop":
            verifying = event.get("name") == "verification_form"
        elif event.get("event") == "user" and event.get("text"):
            if event["text"].startswith("/"):
                continue  # a payload (the widget's /greet on opening, a button), not words the member wrote
            said.append("[verification answers removed]" if verifying else event["text"])
    number = member_number(tracker)
    who = f"Verified member {number}" if number else "Unverified visitor"
    lines = [f"{who}. Last messages:"] + [f"- {text}" for text in said[-SUMMARY_MESSAGES:]]
    return "\n".join(lines)


async def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, *, leaving: Sequence[EventType] = ()
) -> list[EventType]:
    """Opens a handoff case for billing staff with a masked summary, leaving any form (`leaving`: the form
    slots to clear with it); from then on the member hears they are in the queue (handoff_case:
    assistant/policies/handoff_queue.py). The action and a payment that failed both hand off so."""
    events: list[EventType] = [SlotSet("handoff_reason", None), ActiveLoop(None), *leaving]
    try:
        case = await billing().handoff(
            conversation_id=tracker.sender_id,
            reason=reason,
            summary=conversation_summary(tracker),
            member_number=member_number(tracker),
        )
    except (BillingUnavailable, BillingRefused):
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return events
    dispatcher.utter_message(response="utter_handoff", case_id=case.id)
    await tell_the_wait(dispatcher, case.id, case.open_ahead)
    return events + [SlotSet("handoff_case", str(case.id))]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await hand_off(
            dispatcher,
            tracker,
            tracker.get_slot("handoff_reason") or "requested",
            leaving=clear_form_slots() if tracker.active_loop_name else [],
        )


class ActionInQueue(Action):
    """Any message while waiting for a specialist: still in the queue (with the place in it), and the line
    if it is urgent; or, when the member asks to stop waiting or restarts, out of the queue and back to the
    assistant."""

    def name(self) -> str:
        return "action_in_queue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        case_reference = str(tracker.get_slot("handoff_case") or "")
        if restarting(tracker):
            return await restart_from_queue(dispatcher, case_reference)
        if wants_to_leave(tracker):
            return await leave_queue(dispatcher, case_reference)
        place = await place_in_queue(int(case_reference)) if case_reference.isdigit() else None
        if place is None:
            dispatcher.utter_message(response="utter_still_in_queue_no_place", case_id=case_reference)
        else:
            dispatcher.utter_message(response="utter_still_in_queue", case_id=case_reference, place=place)
        return []


# Words that leave the conversation: a goodbye inside a form stops it only with one of these.
FAREWELL = re.compile(
    r"\b(?:bye|goodbye|good\s*bye|cya|see\s+(?:you|ya)|gotta\s+go|got\s+to\s+go|ttyl|take\s+care|"
    r"forget\s+(?:it|about\s+it)|never\s*mind|nvm|(?:do|pay)\s+it\s+later|(?:i'?m|im)\s+(?:all\s+)?done|"
    r"that'?s\s+all)\b",
    re.IGNORECASE,
)


class ActionStopForm(Action):
    def name(self) -> str:
        return "action_stop_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.active_loop_name:
            dispatcher.utter_message(response="utter_nothing_to_cancel")
            return [ActiveLoop(None)]
        if worded_yes_or_no(tracker) is True:
            # "ok yes cancel it" to "Turn off autopay?": a yes to the question, not a stop.
            return answer_events(tracker, True)
        if yes_or_stop(tracker):
            # "cancel it" to "Turn off autopay ...?" may be the yes or a stop: asked again, never guessed.
            dispatcher.utter_message(response="utter_not_understood_in_form")
            return [FollowupAction(tracker.active_loop_name)]
        said = tracker.latest_message.get("text") or ""
        leaving = (tracker.latest_message.get("intent") or {}).get("name") == "goodbye"
        if leaving and not FAREWELL.search(said):
            # Read as goodbye without a farewell in it ("later" to a date question): the form asks again.
            return [FollowupAction(tracker.active_loop_name)]
        dispatcher.utter_message(response="utter_cancelled_goodbye" if leaving else "utter_cancelled")
        return [ActiveLoop(None)] + clear_form_slots()


class ActionSensitiveNumber(Action):
    def name(self) -> str:
        return "action_sensitive_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.active_loop_name and not member_number(tracker):
            # Often someone offering an SSN to be found: the numbers that find them instead.
            dispatcher.utter_message(response="utter_sensitive_number_unverified")
            return []
        buttons = [{"title": "Send me a secure link", "payload": "/add_payment_method"}]
        dispatcher.utter_message(
            response="utter_sensitive_number", buttons=buttons if not tracker.active_loop_name else []
        )
        return []
