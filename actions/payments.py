"""One-time payments: which account, how much, which saved method (actions/payment_methods.py), a
read-back, and only then the charge, with an idempotency key tied to that read-back."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingClient, BillingRefused, BillingUnavailable
from assistant.parsing.amounts import AmountAnswer, AmountError, parse_amount
from assistant.parsing.negation import without_negated
from billing_contract import responses

from .base import BillingAction
from .choices import choose, match_account
from .form_setup import AccountFormValidation, accounts_for, ask_again_for_account
from .formatting import account_label, format_cents, say_date
from .handoff import hand_off
from .lookups import (
    VerifiedMember,
    chosen_account,
    current_member,
    member_billing,
)
from .payment_methods import asks_for_new_method, method_answer, method_change, method_in_request
from .read_backs import ReadBack
from .slots import clear_form_slots


class ValidatePaymentForm(AccountFormValidation):
    read_back_slot = "payment_confirmed"
    own_intents = frozenset({"make_payment", "add_payment_method"})
    plain_answers = {"payment_method": asks_for_new_method}

    def name(self) -> str:
        return "validate_payment_form"

    async def changes_at_read_back(
        self, said: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Another account, amount or method named at the read-back ("make it $20", "use the bank
        instead", "put it toward the premium"): taken, with a new idempotency key for the new read-back."""
        account = await chosen_account(tracker)
        if account is None:
            return {}
        changes: dict[str, Any] = {}
        member = await current_member(tracker)
        wanted = without_negated(said)
        named = match_account(wanted, accounts_for(self.form_name(), member.accounts), by_position=False)
        if named is not None and named.account_number != account.account_number:
            account = named
            changes["account_number"] = named.account_number
        amount = self._amount_change(said, tracker, account, dispatcher, bool(changes))
        changes.update(amount)
        changes.update(await method_change(said, dispatcher, tracker))
        if changes:
            changes["payment_idempotency_key"] = new_payment_key(tracker)
        return changes

    @staticmethod
    def _amount_change(
        said: str,
        tracker: Tracker,
        account: responses.AccountSummary,
        dispatcher: CollectingDispatcher,
        account_changed: bool,
    ) -> dict[str, Any]:
        current = tracker.get_slot("payment_amount")
        try:
            answer = parse_amount(said)
        except AmountError as error:
            dispatcher.utter_message(text=str(error))
            return {"payment_amount": None}
        # With a yes, only a figure changes the amount: "yes, that's all" confirms, it does not pay it all.
        is_yes = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        if answer is None or (is_yes and answer.kind != "cents"):
            if not account_changed:
                return {}
            answer = AmountAnswer("cents", current)  # the amount said before, on the other account now
        reading = read_amount(answer.cents if answer.kind == "cents" else answer.kind, account)
        if reading.reply:
            dispatcher.utter_message(**reading.reply)
        if reading.cents == current and not account_changed:
            return {}
        return {"payment_amount": reading.cents}

    async def validate_account_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = await super().validate_account_number(value, dispatcher, tracker, domain)
        if not chosen["account_number"]:
            return chosen
        account = await member_billing(tracker).account(chosen["account_number"])
        amount = tracker.get_slot("payment_amount")
        if not isinstance(amount, int):
            # "the whole premium": the amount (and a method) in the same answer are taken too.
            return {**chosen, **await self._also_said(value, tracker, account)}
        # An amount taken from the request before the account was known: checked against its balance now.
        reading = read_amount(amount, account)
        if reading.reply:
            dispatcher.utter_message(**reading.reply)
        return {**chosen, "payment_amount": reading.cents}

    async def validate_payment_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        account = await chosen_account(tracker)
        if account is None:
            # No account chosen yet: the form asks for it first; an amount taken from the request waits
            # for it (validate_account_number checks it then).
            return {"payment_amount": value if isinstance(value, int) and value > 0 else None}
        reading = read_amount(value, account)
        if reading.reply:
            dispatcher.utter_message(**reading.reply)
        if reading.cents is None:
            return {"payment_amount": None}
        # "the full amount with my visa": the method in the same answer is taken too.
        return {"payment_amount": reading.cents, **await self._also_said(value, tracker, account)}

    async def _also_said(
        self, value: Any, tracker: Tracker, account: responses.AccountSummary
    ) -> dict[str, Any]:
        """The payment answers an answer gives beyond the one asked, for questions not answered yet: a
        payable amount and a saved method (a new one is asked for at its own question)."""
        found = await payment_answers_in(str(value or ""), account, await current_member(tracker))
        also = {
            slot: answer
            for slot, answer in found.items()
            if tracker.get_slot(slot) is None and answer != "new" and slot != "account_number"
        }
        if "payment_method" in also:
            also["payment_idempotency_key"] = new_payment_key(tracker)
        return also

    async def validate_payment_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = await method_answer(value, dispatcher, tracker)
        if answer["payment_method"] is None:
            return answer
        return {**answer, "payment_idempotency_key": new_payment_key(tracker)}


def another_method_for(request: dict[str, Any]) -> list[EventType]:
    """After a declined card: the same payment, back at the method question without the declined one
    (a new read-back and a new idempotency key follow; the declined attempt's key is spent)."""
    return [
        SlotSet("account_number", request["account_number"]),
        SlotSet("payment_amount", request["amount_cents"]),
        SlotSet("declined_payment_method", request["payment_method_id"]),
        FollowupAction("payment_form"),
    ]


def new_payment_key(tracker: Tracker) -> str:
    """A new key for a new read-back: a repeated "yes" or a retry reuses it and never charges twice."""
    return f"{tracker.sender_id}:{uuid.uuid4()}"


@dataclass(frozen=True)
class AmountReading:
    """An amount the member can pay on an account, or what to tell them instead (utter_message's kwargs)."""

    cents: int | None = None
    reply: dict[str, Any] | None = None


def read_amount(value: Any, account: responses.AccountSummary) -> AmountReading:
    """What the member asked to pay on `account`: typed or clicked, or cents already read (an int)."""
    balance = format_cents(account.balance_cents)
    if value == "other":
        return AmountReading(reply={"response": "utter_ask_other_amount", "balance": balance})
    if isinstance(value, int):
        answer: AmountAnswer | None = AmountAnswer("cents", value)
    else:
        try:
            answer = parse_amount(str(value))
        except AmountError as error:
            # The parser's message says what was wrong (a fraction of a cent, a negative, an unclear amount).
            return AmountReading(reply={"text": str(error)})
    named = {"full": account.balance_cents, "minimum": account.minimum_due_cents}
    cents = named.get(answer.kind, answer.cents) if answer else None
    if answer is None or cents is None or (answer.kind == "cents" and cents <= 0):
        return AmountReading(reply={"response": "utter_invalid_amount"})
    if cents > account.balance_cents:
        return AmountReading(reply={"response": "utter_amount_over_balance", "balance": balance})
    return AmountReading(cents)


async def payment_answers_in(
    said: str, account: responses.AccountSummary | None, member: VerifiedMember
) -> dict[str, Any]:
    """The payment form's answers the request already gives ("pay $30 with my visa"): an amount that
    can be paid and a saved method it names. Nothing is said about what does not fit: the form asks."""
    answers: dict[str, Any] = {}
    if account is not None:
        answers["payment_amount"] = read_amount(said, account).cents
    else:
        try:
            answer = parse_amount(said)
        except AmountError:
            answer = None
        # Without the account only a figure is taken ("full" needs its balance); checked once it is chosen.
        if answer is not None and answer.kind == "cents" and answer.cents:
            answers["payment_amount"] = answer.cents
    answers.update(await method_in_request(said, member))
    return {slot: value for slot, value in answers.items() if value is not None}


class ActionAskPaymentAmount(BillingAction):
    def name(self) -> str:
        return "action_ask_payment_amount"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account = await chosen_account(tracker)
        if account is None:
            return await ask_again_for_account(dispatcher, tracker)
        balance, minimum = format_cents(account.balance_cents), format_cents(account.minimum_due_cents)
        buttons = [choose(f"Full balance {balance}", "full")]
        if account.minimum_due_cents < account.balance_cents:
            buttons.append(choose(f"Minimum due {minimum}", "minimum"))
        buttons.append(choose("Another amount", "other"))
        dispatcher.utter_message(
            response="utter_ask_payment_amount", balance=balance, minimum_due=minimum, buttons=buttons
        )
        return []


class ActionAskPaymentConfirmed(ReadBack):
    def name(self) -> str:
        return "action_ask_payment_confirmed"

    async def read_back(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        account: responses.AccountSummary,
        method: responses.PaymentMethodOut | None,
    ) -> None:
        dispatcher.utter_message(
            response="utter_ask_payment_confirmed",
            amount=format_cents(tracker.get_slot("payment_amount")),
            method=method.display if method else "",
            account_label=account_label(account),
            date=say_date(dt.date.today()),
        )


class ActionSubmitPayment(BillingAction):
    """Moves money only on a "yes" to the read-back, with the read-back's idempotency key."""

    def name(self) -> str:
        return "action_submit_payment"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        confirmed = tracker.get_slot("payment_confirmed")
        key = tracker.get_slot("payment_idempotency_key")
        if confirmed is not True or not key:
            dispatcher.utter_message(
                response="utter_payment_not_confirmed" if confirmed is False else "utter_nothing_to_confirm"
            )
            return clear_form_slots()
        request = dict(
            account_number=tracker.get_slot("account_number"),
            payment_method_id=int(tracker.get_slot("payment_method")),
            amount_cents=int(tracker.get_slot("payment_amount")),
            idempotency_key=key,
        )
        try:
            payment = await self._pay_retrying(member_billing(tracker), request)
        except BillingUnavailable:
            dispatcher.utter_message(response="utter_payment_outcome_unknown")
            return clear_form_slots() + [SlotSet("handoff_reason", "billing_unavailable")]
        except BillingRefused as refused:
            return clear_form_slots() + await self._refused(dispatcher, tracker, domain, refused, request)
        return clear_form_slots() + await self._outcome(dispatcher, tracker, domain, payment, request)

    async def _pay_retrying(self, client: BillingClient, request: dict[str, Any]) -> responses.PaymentOut:
        """One retry with the same key is safe: the billing service answers it with the first result."""
        try:
            return await client.pay(**request)
        except BillingUnavailable:
            return await client.pay(**request)

    async def _outcome(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        payment: responses.PaymentOut,
        request: dict[str, Any],
    ) -> list[EventType]:
        if payment.status == "succeeded":
            dispatcher.utter_message(
                response="utter_payment_succeeded",
                amount=format_cents(payment.amount_cents),
                method=payment.payment_method,
                confirmation_number=payment.confirmation_number,
                balance_after=format_cents(payment.balance_after_cents or 0),
            )
            return []
        if payment.status == "pending":
            # The first request is still with the processor: not paid yet, and not to be paid again.
            dispatcher.utter_message(response="utter_payment_outcome_unknown")
            return []
        if payment.failure_reason == "insufficient_funds":
            dispatcher.utter_message(response="utter_payment_insufficient_funds")
            return []
        if payment.status == "declined":
            dispatcher.utter_message(response="utter_payment_declined")
            return another_method_for(request)
        return await self._hand_off(dispatcher, tracker, domain)

    async def _hand_off(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_payment_failed")
        return await hand_off(dispatcher, tracker, "payment_failed")

    async def _refused(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        refused: BillingRefused,
        request: dict[str, Any],
    ) -> list[EventType]:
        account = await member_billing(tracker).account(request["account_number"])
        if refused.reason == "amount_exceeds_balance":
            dispatcher.utter_message(
                response="utter_amount_over_balance", balance=format_cents(account.balance_cents)
            )
        elif refused.reason == "nothing_owed":
            dispatcher.utter_message(
                response="utter_nothing_owed_no_payment", account_label=account_label(account)
            )
        else:
            return await self._hand_off(dispatcher, tracker, domain)
        return []
