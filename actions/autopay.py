"""Autopay: set up, change and cancel, each with a read-back before anything is saved. What is set now is
said before the form starts (actions/form_registry.py)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parsing.amounts import AmountError, parse_amount
from assistant.parsing.days import LAST, LAST_DAY, parse_day_of_month
from assistant.parsing.negation import without_negated
from billing_contract import responses
from billing_contract.money import MAX_CENTS

from .base import BillingAction
from .form_setup import AccountFormValidation, ask_again_for_account
from .formatting import account_label, autopay_rule, format_cents, say_date
from .lookups import VerifiedMember, chosen_account, current_member, member_billing
from .payment_methods import asks_for_new_method, method_answer, method_change, method_in_request
from .read_backs import ReadBack
from .slots import clear_form_slots

# In a whole request a day is taken only as "the 5th", "day 12" or "end of the month": a bare number may
# be an amount or an account ending, and "first" a card.
DAY_IN_REQUEST = re.compile(r"\b[0-3]?\d(?:st|nd|rd|th)\b|\bday\s+[0-3]?\d\b", re.IGNORECASE)
MONEY_WORDS = re.compile(r"\$|\bdollars?\b|\bbucks\b|\busd\b", re.IGNORECASE)
STATEMENT_BALANCE = re.compile(r"\bstatement\b|\b(?:full|whole|entire)\s+balance\b", re.IGNORECASE)


async def autopay_answers_in(
    said: str, account: responses.AccountSummary | None, member: VerifiedMember
) -> dict[str, Any]:
    """The autopay form's answers the request already gives ("on the 5th with my visa for the statement
    balance"): the day, a saved method and the amount rule, each only when it is clear. A change to
    autopay that is on starts from what is set now ("change the day to the 20th" keeps the card and the
    amount), so only what the member changes is asked or read back."""
    answers: dict[str, Any] = {}
    current = (
        await member.billing.autopay(account.account_number) if account and account.autopay_enabled else None
    )
    if current is not None and current.enabled:
        answers.update(
            payment_method=current.payment_method.id,
            autopay_day=current.day_of_month,
            autopay_amount=current.amount_rule,
            autopay_fixed_cents=current.fixed_amount_cents,
        )
    answers.update(await method_in_request(said, member))
    days = {parse_day_of_month(match.group(0)) for match in DAY_IN_REQUEST.finditer(said)} - {None}
    if LAST.search(said):
        days.add(LAST_DAY)
    if len(days) == 1:
        answers["autopay_day"] = days.pop()
    if STATEMENT_BALANCE.search(said):
        answers["autopay_amount"] = "statement_balance"
    else:
        try:
            answer = parse_amount(DAY_IN_REQUEST.sub(" ", said))  # "day 12" is the day, not an amount
        except AmountError:
            answer = None
        cents = answer.cents if answer is not None and answer.kind == "cents" else None
        if cents and cents <= MAX_AMOUNT_CENTS:
            answers.update(autopay_amount="fixed", autopay_fixed_cents=cents)
    return answers


class ValidateAutopayForm(AccountFormValidation):
    read_back_slot = "autopay_confirmed"
    own_intents = frozenset({"setup_autopay", "change_autopay"})
    plain_answers = {"payment_method": asks_for_new_method}

    def name(self) -> str:
        return "validate_autopay_form"

    async def changes_at_read_back(
        self, said: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Another day, amount or method at the read-back ("make it the 20th", "use the bank instead",
        "a fixed $100"), read as in a request; only what differs from the read-back is a change."""
        account = await chosen_account(tracker)
        wanted = without_negated(said)
        heard = await autopay_answers_in(wanted, account, await current_member(tracker))
        heard.pop("payment_method", None)  # methods are read by method_change, which also offers a new one
        changes = {slot: value for slot, value in heard.items() if value != tracker.get_slot(slot)}
        if changes.get("autopay_amount") == "statement_balance":
            changes["autopay_fixed_cents"] = None
        return changes | await method_change(said, dispatcher, tracker)

    async def answers_to_other_questions(self, said: str, tracker: Tracker) -> dict[str, Any]:
        # As in a request: "statement balance" at the method question, "the 10th" at the amount question;
        # a bare number answers the question asked ("15" to the day question is no $15 amount).
        answers = await autopay_answers_in(said, None, await current_member(tracker))
        if answers.get("autopay_amount") == "fixed" and not MONEY_WORDS.search(said):
            answers.pop("autopay_amount")
            answers.pop("autopay_fixed_cents", None)
        return answers

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("autopay_amount") == "fixed":
            return domain_slots
        return [slot for slot in domain_slots if slot != "autopay_fixed_cents"]

    async def validate_payment_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await method_answer(value, dispatcher, tracker)

    def validate_autopay_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = parse_day_of_month(str(value or ""))
        if day is None:
            dispatcher.utter_message(response="utter_invalid_day")
        return {"autopay_day": day}

    def validate_autopay_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").lower()
        if value in ("statement_balance", "fixed"):
            return {"autopay_amount": value}
        if any(word in text for word in ("statement", "balance", "full", "whole", "all")):
            return {"autopay_amount": "statement_balance"}
        try:
            answer = parse_amount(text)
        except AmountError as error:
            dispatcher.utter_message(text=str(error))
            return {"autopay_amount": None}
        cents = answer.cents if answer is not None and answer.kind == "cents" else None
        if cents is not None and cents > 0:
            if too_large(cents, dispatcher):
                return {"autopay_amount": "fixed", "autopay_fixed_cents": None}
            return {"autopay_amount": "fixed", "autopay_fixed_cents": cents}
        if "fixed" in text or "set" in text or "same" in text:
            return {"autopay_amount": "fixed"}
        dispatcher.utter_message(response="utter_ask_autopay_amount")
        return {"autopay_amount": None}

    def validate_autopay_fixed_cents(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, int) and 0 < value <= MAX_AMOUNT_CENTS:
            return {"autopay_fixed_cents": value}
        try:
            answer = parse_amount(str(value or ""))
        except AmountError as error:
            dispatcher.utter_message(text=str(error))
            return {"autopay_fixed_cents": None}
        cents = answer.cents if answer is not None and answer.kind == "cents" else None
        if cents is None or cents <= 0:
            dispatcher.utter_message(response="utter_invalid_amount")
            return {"autopay_fixed_cents": None}
        if too_large(cents, dispatcher):
            return {"autopay_fixed_cents": None}
        return {"autopay_fixed_cents": cents}


# The billing contract's largest amount: checked here so the member hears it, not a refusal.
MAX_AMOUNT_CENTS = MAX_CENTS


def too_large(cents: int, dispatcher: CollectingDispatcher) -> bool:
    if cents <= MAX_AMOUNT_CENTS:
        return False
    dispatcher.utter_message(response="utter_amount_too_large", maximum=format_cents(MAX_AMOUNT_CENTS))
    return True


class ActionAskAutopayFixedCents(BillingAction):
    def name(self) -> str:
        return "action_ask_autopay_fixed_cents"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_autopay_fixed_cents")
        return []


class ActionAskAutopayConfirmed(ReadBack):
    def name(self) -> str:
        return "action_ask_autopay_confirmed"

    async def read_back(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        account: responses.AccountSummary,
        method: responses.PaymentMethodOut | None,
    ) -> None:
        dispatcher.utter_message(
            response="utter_ask_autopay_confirmed",
            account_label=account_label(account),
            rule=autopay_rule(tracker.get_slot("autopay_amount"), tracker.get_slot("autopay_fixed_cents")),
            method=method.display if method else "",
            day=tracker.get_slot("autopay_day"),
        )


class ActionSubmitAutopay(BillingAction):
    def name(self) -> str:
        return "action_submit_autopay"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("autopay_confirmed") is not True:
            dispatcher.utter_message(response="utter_autopay_not_saved")
            return clear_form_slots()
        saved = await member_billing(tracker).set_autopay(
            tracker.get_slot("account_number"),
            payment_method_id=int(tracker.get_slot("payment_method")),
            day_of_month=int(tracker.get_slot("autopay_day")),
            amount_rule=tracker.get_slot("autopay_amount"),
            fixed_amount_cents=tracker.get_slot("autopay_fixed_cents"),
        )
        dispatcher.utter_message(
            response="utter_autopay_saved",
            next_run=say_date(saved.next_run_date),
            method=saved.payment_method.display,
        )
        return clear_form_slots()


class ActionAskAutopayCancelConfirmed(BillingAction):
    def name(self) -> str:
        return "action_ask_autopay_cancel_form_autopay_confirmed"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account = await chosen_account(tracker)
        if account is None:
            return await ask_again_for_account(dispatcher, tracker)
        dispatcher.utter_message(response="utter_ask_autopay_cancel", account_label=account_label(account))
        return []


class ActionSubmitAutopayCancel(BillingAction):
    def name(self) -> str:
        return "action_submit_autopay_cancel"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("autopay_confirmed") is not True:
            dispatcher.utter_message(response="utter_autopay_not_saved")
            return clear_form_slots()
        account = await chosen_account(tracker)
        if account is None:  # no account chosen, so none to turn off: nothing changes
            dispatcher.utter_message(response="utter_autopay_not_saved")
            return clear_form_slots()
        await member_billing(tracker).cancel_autopay(account.account_number)
        dispatcher.utter_message(response="utter_autopay_cancelled", account_label=account_label(account))
        return clear_form_slots()


class ValidateAutopayCancelForm(AccountFormValidation):
    read_back_slot = "autopay_confirmed"

    def name(self) -> str:
        return "validate_autopay_cancel_form"
