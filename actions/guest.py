"""Guest payers: the amount due and a secure payment link, nothing else."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused
from assistant.parsing.verification_facts import parse_verification_facts

from .base import BillingAction
from .form_validation import BillingFormValidation
from .formatting import format_cents
from .lookups import billing
from .slots import clear_form_slots

# Words around a payer's details that are not the patient's last name ("paying my dad's bill, acct ...").
NOT_A_NAME = set(
    """a about account acct am an and as at bill can dad dads daughter father for from grandma grandpa
    birthday born guest gues her hi his husband i im is it its last login may mom moms mother my name no
    number of paying pay payment please pls she son the this to uncle aunt wife want with you your hello
    hey""".split()
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


def guest_answers_in(text: str) -> dict[str, Any]:
    """The account number and the check that goes with it (the patient's date of birth, or else their last
    name) in one message: "2000200001 Carter", "account 2000200001, his birthday is 9/30/1972"."""
    facts = parse_verification_facts(text, dt.date.today())
    found: dict[str, Any] = {}
    rest = text
    if facts.identifier:
        found["guest_account_number"] = facts.identifier
        rest = re.sub(r"[\d][\d\s/.-]*", " ", rest)
    if facts.birth_date:
        return found | {"guest_date_of_birth": facts.birth_date}
    if facts.identifier:
        name = last_name_in(rest)
        if name:
            found["guest_last_name"] = name
    return found


class ValidateGuestForm(BillingFormValidation):
    def name(self) -> str:
        return "validate_guest_form"

    def answers_in_request(self, said: str) -> dict[str, Any]:
        """The account number and last name or date of birth a guest request already gives ("i'm paying
        for my father james carter, his account is 2000200001"): the form asks only for what is missing."""
        return guest_answers_in(said)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # One check goes with the account number: the date of birth when the member gave it, else the name.
        skipped = "guest_last_name" if tracker.get_slot("guest_date_of_birth") else "guest_date_of_birth"
        return [slot for slot in domain_slots if slot != skipped]

    def validate_guest_account_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = guest_answers_in(str(value or ""))
        if "guest_account_number" not in found:
            dispatcher.utter_message(response="utter_invalid_identifier")
            return {"guest_account_number": None}
        # A check already given (in the request) is not overwritten by a guess from this answer.
        if tracker.get_slot("guest_last_name") or tracker.get_slot("guest_date_of_birth"):
            return {"guest_account_number": found["guest_account_number"]}
        return found

    def validate_guest_last_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        born = parse_verification_facts(str(value or ""), dt.date.today()).birth_date
        if born:
            return {"guest_last_name": None, "guest_date_of_birth": born}
        words = re.findall(r"[A-Za-z][A-Za-z'-]+", str(value or ""))
        return {"guest_last_name": words[-1] if words else None}


class ActionSubmitGuest(BillingAction):
    def name(self) -> str:
        return "action_submit_guest"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account = tracker.get_slot("guest_account_number")
        check = {
            "last_name": tracker.get_slot("guest_last_name"),
            "date_of_birth": tracker.get_slot("guest_date_of_birth"),
        }
        try:
            due = await billing().guest_lookup(account, **check, client_id=tracker.sender_id)
            if due.amount_due_cents <= 0:
                dispatcher.utter_message(response="utter_guest_nothing_owed")
                return clear_form_slots()
            link = await billing().guest_link(account, **check, client_id=tracker.sender_id)
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
