"""Payment plans: eligibility, terms, a read-back, then the plan."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parsing.negation import without_negated
from assistant.parsing.number_words import number_word_runs
from billing_contract import responses

from .base import BillingAction
from .choices import choose
from .form_setup import AccountFormValidation
from .formatting import account_label, format_cents, say_date
from .lookups import VerifiedMember, member_billing
from .read_backs import ReadBack
from .slots import clear_form_slots


class ValidatePlanForm(AccountFormValidation):
    read_back_slot = "plan_confirmed"
    own_intents = frozenset({"payment_plan"})

    def name(self) -> str:
        return "validate_plan_form"

    async def changes_at_read_back(
        self, said: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Another number of months at the read-back ("make it 7 months", "yes but over 5"): checked like
        an answer to the months question, and read back again."""
        wanted = without_negated(said)
        if not re.search(r"\d|\bmonths?\b", wanted, re.IGNORECASE):
            return {}  # "yes, one question": no number of months said
        months = _months(wanted)
        if months is None or months == tracker.get_slot("plan_months"):
            return {}
        return await self.validate_plan_months(months, dispatcher, tracker, {})

    async def validate_plan_months(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        offer = await member_billing(tracker).plan_eligibility(tracker.get_slot("account_number"))
        months = _months(value)
        terms = [o.months for o in offer.options]
        if months not in terms:
            dispatcher.utter_message(
                response="utter_invalid_months", min_months=min(terms), max_months=max(terms)
            )
            return {"plan_months": None}
        return {"plan_months": months}


MONTHS_IN_REQUEST = re.compile(r"\b(\d{1,2}|[a-z]+(?:[ -][a-z]+)?)\s+months?\b", re.IGNORECASE)


async def plan_answers_in(
    said: str, account: responses.AccountSummary | None, member: VerifiedMember
) -> dict[str, Any]:
    """The number of months a plan request already gives ("a payment plan for 10 months"), when it is
    one of the terms offered; otherwise the form asks."""
    found = MONTHS_IN_REQUEST.search(said)
    months = _months(found.group(0)) if found else None
    if account is None or months is None:
        return {}
    offer = await member.billing.plan_eligibility(account.account_number)
    return {"plan_months": months} if months in [o.months for o in offer.options] else {}


def _months(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    text = str(value or "").lower()
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    runs = number_word_runs(text)
    return runs[0][0] if len(runs) == 1 else None


class ActionAskPlanMonths(BillingAction):
    def name(self) -> str:
        return "action_ask_plan_months"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        offer = await member_billing(tracker).plan_eligibility(tracker.get_slot("account_number"))
        shown = [o for o in offer.options if o.months in (3, 6, 9, 12)] or offer.options[:4]
        examples = ", ".join(f"{o.months} months at {format_cents(o.monthly_cents)}" for o in shown)
        dispatcher.utter_message(
            response="utter_ask_plan_months",
            balance=format_cents(offer.balance_cents),
            min_months=offer.options[0].months,
            max_months=offer.options[-1].months,
            examples=examples,
            buttons=[
                choose(f"{o.months} months ({format_cents(o.monthly_cents)}/month)", str(o.months))
                for o in shown
            ],
        )
        return []


class ActionAskPlanConfirmed(ReadBack):
    needs_method = False

    def name(self) -> str:
        return "action_ask_plan_confirmed"

    async def read_back(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        account: responses.AccountSummary,
        method: responses.PaymentMethodOut | None,
    ) -> None:
        offer = await member_billing(tracker).plan_eligibility(account.account_number)
        months = int(tracker.get_slot("plan_months"))
        term = next(o for o in offer.options if o.months == months)
        # The service says when the first payment falls due: by its clock, as the plan it creates will.
        dispatcher.utter_message(
            response="utter_ask_plan_confirmed",
            total=format_cents(offer.balance_cents),
            account_label=account_label(account),
            months=months,
            monthly=format_cents(term.monthly_cents),
            first_due=say_date(term.first_due_date),
        )


class ActionSubmitPlan(BillingAction):
    def name(self) -> str:
        return "action_submit_plan"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("plan_confirmed") is not True:
            dispatcher.utter_message(response="utter_plan_not_created")
            return clear_form_slots()
        plan = await member_billing(tracker).create_plan(
            tracker.get_slot("account_number"), int(tracker.get_slot("plan_months"))
        )
        first = plan.installments[0]
        dispatcher.utter_message(
            response="utter_plan_created",
            months=plan.months,
            first_amount=format_cents(first.amount_cents),
            first_due=say_date(first.due_date),
        )
        return clear_form_slots()
