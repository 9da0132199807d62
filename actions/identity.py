"""Who is talking: the verification form, the check with the billing service, and the gate that
every account conversation passes through."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused
from assistant.parsing.dates import parse_birth_date
from assistant.parsing.identifiers import parse_identifier

from .base import RESUMABLE, BillingAction, BillingFormValidation, ask_to_verify, member_number
from .lookups import billing
from .form_setup import prepare_form
from .identity_token import SLOT as IDENTITY_SLOT
from .identity_token import issue_identity

MAX_TRIES = 3
VERIFY_SLOTS = ("verify_identifier", "verify_birth_date", "verify_zip")


class ValidateVerificationForm(BillingFormValidation):
    def name(self) -> Text:
        return "validate_verification_form"

    def validate_verify_identifier(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        number = parse_identifier(value)
        if number is None:
            dispatcher.utter_message(response="utter_invalid_identifier")
        return {"verify_identifier": number}

    def validate_verify_birth_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        born = parse_birth_date(str(value or ""), dt.date.today())
        if born:
            return {"verify_birth_date": born.isoformat()}
        dispatcher.utter_message(response="utter_invalid_birth_date")
        return {"verify_birth_date": None}

    def validate_verify_zip(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        match = re.search(r"\b(\d{5})(?:-\d{4})?\b", str(value or ""))
        if match:
            return {"verify_zip": match.group(1)}
        dispatcher.utter_message(response="utter_invalid_zip")
        return {"verify_zip": None}


class ActionVerifyMember(BillingAction):
    """Checks the form's answers with the billing service, then does what the member asked for."""

    def name(self) -> Text:
        return "action_verify_member"

    async def act(self, dispatcher, tracker, domain) -> List[EventType]:
        identifier = tracker.get_slot("verify_identifier") or ""
        # The plan's account numbers have 10 digits; medical record numbers are shorter.
        kind = "account_number" if len(identifier) == 10 else "medical_record_number"
        clear = [SlotSet(slot, None) for slot in VERIFY_SLOTS]
        try:
            # The conversation is the client: the service's per-client limit holds across re-asking and restarts.
            member = await billing().verify(date_of_birth=tracker.get_slot("verify_birth_date") or "",
                                            zip_code=tracker.get_slot("verify_zip") or "", client_id=tracker.sender_id,
                                            **{kind: identifier})
        except BillingRefused as refused:
            return clear + self._refused(dispatcher, tracker, refused)
        dispatcher.utter_message(response="utter_verified", first_name=member.first_name)
        events = clear + signed_in(member, tracker.sender_id) + [
            SlotSet("verification_failures", 0), SlotSet("pending_request", None), SlotSet("next_step", None)]
        pending = tracker.get_slot("pending_request")
        if not pending:
            dispatcher.utter_message(response="utter_anything_else")
            return events
        return events + await do_request(pending, dispatcher, _with_slots(tracker, events), domain)

    def _refused(self, dispatcher, tracker, refused: BillingRefused) -> List[EventType]:
        done = [SlotSet("pending_request", None), SlotSet("next_step", None)]
        if refused.reason == "verification_locked":
            dispatcher.utter_message(response="utter_verification_locked")
            return done
        failures = int(tracker.get_slot("verification_failures") or 0) + 1
        # too_many_attempts: this conversation used its tries, counted by the billing service (a restart
        # resets the slot, not the service's count).
        if failures >= MAX_TRIES or refused.reason == "too_many_attempts":
            dispatcher.utter_message(response="utter_verification_failed_final")
            return done + [SlotSet("verification_failures", failures)]
        dispatcher.utter_message(response="utter_verification_failed")
        return [SlotSet("verification_failures", failures), SlotSet("next_step", "verification_form")]


# What each account request does once the member is verified: a form to start or an action to run.
REQUEST_FOR_INTENT = {
    "make_payment": "payment_form",
    "setup_autopay": "autopay_form",
    "change_autopay": "autopay_form",
    "cancel_autopay": "autopay_cancel_form",
    "payment_plan": "plan_form",
    "dispute_charge": "dispute_form",
    "check_balance": "action_check_balance",
    "show_statement": "action_show_statement",
    "older_statements": "action_older_statements",
    "payment_history": "action_payment_history",
    "last_receipt": "action_last_receipt",
    "paperless_on": "action_set_paperless",
    "paperless_off": "action_set_paperless",
    "request_extension": "action_request_extension",
    "add_payment_method": "action_add_payment_method",
}


class ActionRequireMember(BillingAction):
    """The gate before every account request: verified members get it, others verify first."""

    def name(self) -> Text:
        return "action_require_member"

    async def act(self, dispatcher, tracker, domain) -> List[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        request = REQUEST_FOR_INTENT.get(intent)
        if not member_number(tracker):
            explanation = {"dispute_charge": "utter_dispute_unverified", "payment_plan": "utter_payment_plans_info"}
            if intent in explanation:
                dispatcher.utter_message(response=explanation[intent])
            return ask_to_verify(dispatcher, request)
        if request is None:
            dispatcher.utter_message(response="utter_greet_member", first_name=tracker.get_slot("first_name"))
            return [SlotSet("next_step", None)]
        return [SlotSet("next_step", None)] + await do_request(request, dispatcher, tracker, domain)


async def do_request(request: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: Dict[str, Any]) -> List[EventType]:
    """Prepares the form (the rules start it from next_step) or runs the action now."""
    if request.endswith("_form"):
        return await prepare_form(request, dispatcher, tracker)
    return await RESUMABLE[request]().run(dispatcher, tracker, domain)


def signed_in(member, conversation_id: str) -> List[EventType]:
    """The slots of a verified member; the signed identity token is what account actions trust."""
    return [SlotSet(IDENTITY_SLOT, issue_identity(member.member_number, conversation_id)),
            SlotSet("verified", True), SlotSet("member_number", member.member_number),
            SlotSet("first_name", member.first_name)]


def _with_slots(tracker: Tracker, events: List[EventType]) -> Tracker:
    """A copy of the tracker as it will be once `events` are applied (slots only)."""
    state = tracker.current_state()
    for event in events:
        if event.get("event") == "slot":
            state["slots"][event["name"]] = event["value"]
    return Tracker.from_dict(state)
