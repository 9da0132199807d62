"""Guest payers: the amount due and a secure payment link, nothing else."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused
from assistant.parsing.identifiers import parse_identifier

from .base import BillingAction
from .form_validation import BillingFormValidation
from .formatting import format_cents
from .lookups import billing
from .slots import clear_form_slots

# Words around a payer's details that are not the patient's last name ("paying my dad's bill, acct ...").
NOT_A_NAME = set(
    """a about account acct am an and as at bill can dad dads daughter father for from grandma grandpa
    guest gues her hi his husband i im is it its last login may mom moms mother my name no number of
    paying pay payment please pls she son the this to uncle aunt wife want with you your hello hey""".split()
)
LAST_NAME_SAID = re.compile(r"\blast\s*name\s*(?:is\s*)?:?\s*([A-Za-z][A-Za-z'-]+)", re.IGNORECASE)


def last_name_in(text: str) -> str | None:
    """The patient's last name in a message that may say more ("2000200001 Carter", "his account is
    2000200001, last name lopez"): after "last name", or else the last word that is no filler."""
    said = LAST_NAME_SAID.search(text)
    if said:
        return said.group(1)
    words = [
        w for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text) if w.lower().replace("'s", "") not in NOT_A_NAME
    ]
    return words[-1] if words else None


class ValidateGuestForm(BillingFormValidation):
    def name(self) -> str:
        return "validate_guest_form"

    def answers_in_request(self, said: str) -> dict[str, Any]:
        """The account number and last name a guest request already gives ("i'm paying for my father
        james carter, his account is 2000200001"): the form asks only for what is missing."""
        number = parse_identifier(said)
        if number is None:
            return {}
        name = last_name_in(said.replace(number, " "))
        return {"guest_account_number": number} | ({"guest_last_name": name} if name else {})

    def validate_guest_account_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        number = parse_identifier(value)
        if number is None:
            dispatcher.utter_message(response="utter_invalid_identifier")
            return {"guest_account_number": None}
        # "2000200001 Carter": the last name in the same answer is taken too.
        name = None if tracker.get_slot("guest_last_name") else last_name_in(str(value).replace(number, " "))
        return {"guest_account_number": number} | ({"guest_last_name": name} if name else {})

    def validate_guest_last_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        words = re.findall(r"[A-Za-z][A-Za-z'-]+", str(value or ""))
        return {"guest_last_name": words[-1] if words else None}


class ActionSubmitGuest(BillingAction):
    def name(self) -> str:
        return "action_submit_guest"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account, name = tracker.get_slot("guest_account_number"), tracker.get_slot("guest_last_name")
        try:
            due = await billing().guest_lookup(account, name, client_id=tracker.sender_id)
            if due.amount_due_cents <= 0:
                dispatcher.utter_message(response="utter_guest_nothing_owed")
                return clear_form_slots()
            link = await billing().guest_link(account, name, client_id=tracker.sender_id)
        except BillingRefused as refused:
            locked = refused.reason in ("verification_locked", "too_many_attempts")
            dispatcher.utter_message(
                response="utter_verification_locked" if locked else "utter_guest_not_found"
            )
            return clear_form_slots()
        dispatcher.utter_message(
            response="utter_guest_amount",
            amount=format_cents(due.amount_due_cents),
            url=link.url,
            expires=f"{link.expires_at:%H:%M} UTC",
        )
        return clear_form_slots()
