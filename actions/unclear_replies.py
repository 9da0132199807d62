"""Replies with no form question pending that the rules cannot place: a plain yes or no (to the offer
of a person, or of a request with a button), and a message not understood or off topic."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parsing.verification_facts import verification_facts_in

from .base import member_number
from .handoff import hand_off
from .offers import names_a_payment, offered_request, take_up_offer
from .suggestions import suggested_intents, suggestion_buttons
from .yes_no_answers import answer_events, worded_yes_or_no


class ActionYesOrNo(Action):
    """A yes or no with no form question pending: "yes" right after the offer of a person hands off;
    otherwise there is nothing to answer yes or no to, so: anything else?"""

    def name(self) -> str:
        return "action_yes_or_no"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "affirm" and _person_just_offered(tracker):
            return await hand_off(dispatcher, tracker, "misunderstood")
        if intent == "affirm" and offered_request(tracker):
            if not member_number(tracker):
                return [FollowupAction("action_require_member")]  # verify first, then the offered request
            return await take_up_offer(dispatcher, tracker)  # "yes" to "Would you like to make a payment?"
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("person_offered", False)] if tracker.get_slot("person_offered") else []


def _person_just_offered(tracker: Tracker) -> bool:
    """Was the bot's last turn before this message the offer of a person?"""
    if not tracker.get_slot("person_offered"):
        return False
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
        elif users_seen == 1 and event.get("event") == "action" and event.get("name") != "action_listen":
            return bool(event.get("name") == "action_misunderstood")
    return False


class ActionMisunderstood(Action):
    """A message not understood, or off topic (said where such topics go). First miss: the requests the
    member most likely meant as buttons, or else ask to rephrase. A second miss in a row: offer a person.
    Inside a form, whose question is asked again next, only a word."""

    def name(self) -> str:
        return "action_misunderstood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop_name:
            worded = worded_yes_or_no(tracker)
            if worded is not None:
                return answer_events(tracker, worded)  # the form goes on with the answer
            # Inside a form its question comes next: a word, never a second question beside it.
            missed_twice = _missed_before(tracker)
            dispatcher.utter_message(
                response="utter_person_reminder_in_form" if missed_twice else "utter_not_understood_in_form"
            )
            return []
        if member_number(tracker) and names_a_payment(tracker):
            # "the whole premium" after "Would you like to make a payment?", or on its own: that payment.
            said = tracker.latest_message.get("text") or ""
            return await take_up_offer(dispatcher, tracker, said, "make_payment")
        if not member_number(tracker) and verification_facts_in(tracker.latest_message.get("text") or ""):
            # Someone giving their details unasked (after an FAQ that offers to look): they are verifying.
            return [FollowupAction("action_require_member")]
        off_topic = (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope"
        if off_topic:
            dispatcher.utter_message(response="utter_out_of_scope")  # where the topic goes
        if _missed_before(tracker):
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("handoff_reason", "misunderstood"), SlotSet("person_offered", True)]
        if not off_topic:
            suggested = suggested_intents(tracker)
            if suggested:
                dispatcher.utter_message(response="utter_did_you_mean", buttons=suggestion_buttons(suggested))
            else:
                dispatcher.utter_message(response="utter_ask_rephrase")
        return [SlotSet("person_offered", False)]


def _missed_before(tracker: Tracker) -> bool:
    """Did this action answer the member's previous message too?"""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return False
        elif (
            users_seen == 1 and event.get("event") == "action" and event.get("name") == "action_misunderstood"
        ):
            return True
    return False
