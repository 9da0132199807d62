"""Who is talking: the verification form, the check with the billing service, and the gate that
every account conversation passes through."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused
from assistant.parsing.verification_facts import parse_verification_facts, verification_facts_in
from billing_contract import responses
from billing_contract.account_numbers import MEDICAL_RECORD, identifier_kind

from .base import BillingAction, answering_failures, ask_to_verify, member_number
from .form_validation import BillingFormValidation
from .identity_token import SLOT as IDENTITY_SLOT
from .identity_token import issue_identity
from .lookups import acting_for, billing, current_member
from .member_requests import do_request
from .offers import offered_request
from .request_intents import REQUEST_FOR_INTENT, request_for
from .suggestions import suggestions_just_offered

MAX_TRIES = 3
VERIFY_SLOTS = ("verify_identifier", "verify_birth_date", "verify_zip")


class ValidateVerificationForm(BillingFormValidation):
    def name(self) -> str:
        return "validate_verification_form"

    def validate_verify_identifier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answers("verify_identifier", value, dispatcher, tracker, "utter_invalid_identifier")

    def validate_verify_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answers("verify_birth_date", value, dispatcher, tracker, "utter_invalid_birth_date")

    def validate_verify_zip(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answers("verify_zip", value, dispatcher, tracker, "utter_invalid_zip")

    def _answers(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, invalid: str
    ) -> dict[str, Any]:
        """The answer to the question asked, and any other of the three facts the same message gives (in
        any order: "2000100001 / 04/12/1985 / 94612"), so the form asks only for what is still missing."""
        found = parse_verification_facts(str(value or ""), dt.date.today()).as_slots()
        if slot not in found and not found:
            dispatcher.utter_message(response=invalid)
        others = {name: fact for name, fact in found.items() if name != slot and not tracker.get_slot(name)}
        return {slot: found.get(slot), **others}


class ActionVerifyMember(BillingAction):
    """Checks the form's answers with the billing service, then does what the member asked for."""

    def name(self) -> str:
        return "action_verify_member"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        identifier = tracker.get_slot("verify_identifier") or ""
        # The form accepts only the two shapes; anything else is the service's to refuse (and count).
        kind = identifier_kind(identifier) or MEDICAL_RECORD
        clear = [SlotSet(slot, None) for slot in VERIFY_SLOTS]
        try:
            # The conversation is the client: the service's per-client limit holds across re-asking and
            # restarts.
            member = await billing().verify(
                date_of_birth=tracker.get_slot("verify_birth_date") or "",
                zip_code=tracker.get_slot("verify_zip") or "",
                client_id=tracker.sender_id,
                **{kind: identifier},
            )
        except BillingRefused as refused:
            return clear + self._refused(dispatcher, tracker, refused)
        dispatcher.utter_message(response="utter_verified", first_name=member.first_name)
        events = (
            clear
            + signed_in(member, tracker.sender_id)
            + [
                SlotSet("verification_failures", 0),
                SlotSet("pending_request", None),
                SlotSet("request_text", None),
                SlotSet("next_step", None),
            ]
        )
        pending = tracker.get_slot("pending_request")
        if not pending:
            dispatcher.utter_message(response="utter_anything_else")
            return events
        # The request that waited for verification, answered now for the member just verified; a billing
        # failure there is answered without undoing the verification.
        said = tracker.get_slot("request_text") or ""
        return events + await answering_failures(
            do_request(pending, acting_for(member), dispatcher, tracker, said), dispatcher, tracker
        )

    def _refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, refused: BillingRefused
    ) -> list[EventType]:
        done = [SlotSet("pending_request", None), SlotSet("request_text", None), SlotSet("next_step", None)]
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


class ActionRequireMember(BillingAction):
    """The gate before every account request: verified members get it, others verify first."""

    def name(self) -> str:
        return "action_require_member"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Inside a form this is the member switching task (actions/form_validation.py left it): the old
        # form ends here, so it does not come back when the new request needs no form.
        leaving: list[EventType] = [ActiveLoop(None)] if tracker.active_loop_name else []
        return leaving + await self._gate(dispatcher, tracker)

    async def _gate(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        request, said_words = _request_and_words(tracker)
        if not member_number(tracker):
            explanation = {
                "dispute_charge": "utter_dispute_unverified",
                "payment_plan": "utter_payment_plans_info",
            }
            if intent in explanation:
                dispatcher.utter_message(response=explanation[intent])
            # The request's own words wait with it: after verification its form starts with what they give.
            said = [SlotSet("request_text", said_words)] if request else []
            given = facts_already_given(tracker)
            # All three given already: verified at once, without first asking for what was just said.
            return ask_to_verify(dispatcher, request, explain=len(given) < len(VERIFY_SLOTS)) + given + said
        if request is None:
            dispatcher.utter_message(response="utter_greet_member", first_name=tracker.get_slot("first_name"))
            return [SlotSet("next_step", None)]
        return [SlotSet("next_step", None)] + await answering_failures(
            self._answer(request, dispatcher, tracker, said_words), dispatcher, tracker
        )

    async def _answer(
        self, request: str, dispatcher: CollectingDispatcher, tracker: Tracker, said: str
    ) -> list[EventType]:
        return await do_request(request, await current_member(tracker), dispatcher, tracker, said)


def _request_and_words(tracker: Tracker) -> tuple[str | None, str]:
    """The request and the words that carry its details. After "Did you mean ...?" a choice (a button, its
    title typed) is that request with the words of the message that was not placed; details given instead
    of a choice ("2000100001 04/12/1985 94612": only an account task needs them) take up the best
    suggestion with those words, which its form reads back before anything changes; and after an answer
    that offers one request with a button, a "yes" or the details take that request up."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    words = tracker.latest_message.get("text") or ""
    offered = suggestions_just_offered(tracker)
    if offered is not None and offered.chosen is not None:
        return REQUEST_FOR_INTENT.get(offered.chosen), offered.unplaced_words
    details_only = intent not in REQUEST_FOR_INTENT and (
        intent == "verify_identity" or verification_facts_in(words)
    )
    if offered is not None and details_only and offered.requests[0] in REQUEST_FOR_INTENT:
        return REQUEST_FOR_INTENT[offered.requests[0]], offered.unplaced_words
    # The one request the bot's last turn offered with a button ("Once you're verified I can read your
    # latest one here." [See my latest statement]), taken up by a "yes" or by verifying.
    offer = offered_request(tracker)
    if offer is not None and (details_only or intent == "affirm"):
        return REQUEST_FOR_INTENT[offer], ""
    return request_for(intent, words), words


def facts_already_given(tracker: Tracker) -> list[EventType]:
    """Verification answers in the message that asked for something ("my balance, acct 2000100001 dob
    4/12/85 zip 94612"): the form starts with them and asks only for the rest."""
    text = tracker.latest_message.get("text") or ""
    found = parse_verification_facts(text, dt.date.today()).as_slots()
    return [SlotSet(name, value) for name, value in found.items()]


def signed_in(member: responses.MemberOut, conversation_id: str) -> list[EventType]:
    """The slots of a verified member; the signed identity token is what account actions trust."""
    return [
        SlotSet(IDENTITY_SLOT, issue_identity(member.member_number, conversation_id)),
        SlotSet("verified", True),
        SlotSet("member_number", member.member_number),
        SlotSet("first_name", member.first_name),
    ]
