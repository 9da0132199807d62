"""A non-binding Medical Financial Assistance pre-screen: the form asks household size and yearly income,
and the billing service applies the plan's income rule (a share of the federal poverty guideline, its
settings). It never promises an award; only an application decides.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parsing.amounts import AmountError, parse_amount
from assistant.parsing.number_words import words_to_number

from .base import BillingAction
from .form_validation import BillingFormValidation
from .lookups import billing
from .slots import clear_form_slots

MONTHLY = re.compile(r"\b(?:a|per|each|every)\s+month\b|\bmonthly\b|/\s*mo(?:nth)?\b", re.I)
HOUSEHOLD = re.compile(
    r"\b(?:household|family|house)\s+(?:of|is)\s+(\w+)|\b(\w+)\s+(?:people|persons|of us)\b", re.I
)
KIDS = re.compile(r"\bme\s+and\s+(?:my\s+)?(\w+)\s+(?:kids|children|sons|daughters|grandkids)\b", re.I)
INCOME = re.compile(r"\b(?:income|make|makes|making|earn|earns|earning|salary|bring in)\b[^,;]*", re.I)


def parse_household_size(text: str) -> int | None:
    lowered = text.lower()
    if re.search(r"\b(just me|only me|myself|me alone|alone)\b", lowered):
        return 1
    digits = re.search(r"\d+", lowered)
    if digits:
        return int(digits.group())
    return words_to_number(re.findall(r"[a-z]+", lowered.replace("people", "").replace("of us", "")))


def parse_income_cents(text: str) -> int | None:
    """A yearly income; one said by the month ("about 1800 a month") is made yearly."""
    thousands = re.search(r"(\d+(?:\.\d+)?)\s*k\b", text.lower())
    if thousands:
        cents = int(float(thousands.group(1)) * 1000 * 100)
    else:
        try:
            answer = parse_amount(MONTHLY.sub(" ", text))
        except AmountError:
            return None
        if answer is None or answer.kind != "cents" or answer.cents is None:
            return None
        cents = answer.cents
    return cents * 12 if MONTHLY.search(text) else cents


def prescreen_answers_in(text: str) -> dict[str, Any]:
    """Household size and income a request already gives ("household of 4, income about 2800 a month",
    "just me and my 2 kids, i make 1800 a month")."""
    answers: dict[str, Any] = {}
    kids = KIDS.search(text)
    household = HOUSEHOLD.search(text)
    if kids:
        others = parse_household_size(kids.group(1))
        answers["household_size"] = others + 1 if others else None
    elif household:
        answers["household_size"] = parse_household_size(household.group(1) or household.group(2))
    income = INCOME.search(text)
    if income:
        answers["annual_income"] = parse_income_cents(income.group(0))
    return {slot: value for slot, value in answers.items() if value}


class ValidateFaForm(BillingFormValidation):
    def name(self) -> str:
        return "validate_fa_form"

    def answers_in_request(self, said: str) -> dict[str, Any]:
        return prescreen_answers_in(said)

    def validate_household_size(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        size = value if isinstance(value, int) else parse_household_size(str(value or ""))
        if size is None or not 1 <= size <= 20:
            dispatcher.utter_message(response="utter_invalid_household_size")
            return {"household_size": None}
        return {"household_size": size}

    def validate_annual_income(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        cents = value if isinstance(value, int) else parse_income_cents(str(value or ""))
        if cents is None or cents < 0:
            dispatcher.utter_message(response="utter_invalid_income")
            return {"annual_income": None}
        return {"annual_income": cents}


class ActionSubmitFaPrescreen(BillingAction):
    def name(self) -> str:
        return "action_submit_fa_prescreen"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        screen = await billing().assistance_prescreen(
            household_size=int(tracker.get_slot("household_size")),
            annual_income_cents=int(tracker.get_slot("annual_income")),
        )
        dispatcher.utter_message(
            response="utter_fa_may_qualify" if screen.within_guideline else "utter_fa_may_not_qualify"
        )
        return clear_form_slots()
