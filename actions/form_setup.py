"""Starting an account form the same way for every form (actions/form_registry.py says how they differ):
pick the account when only one fits, or explain why there is nothing to do; then ask for and check the
account the member chooses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from billing_contract import responses

from .base import BillingAction
from .choices import account_buttons, match_account
from .form_registry import FORMS, Accounts
from .form_validation import BillingFormValidation
from .lookups import VerifiedMember, current_member

# (the request's words, the account chosen or None, the member): the form's answers those words already give.
RequestAnswers = Callable[[str, responses.AccountSummary | None, VerifiedMember], Awaitable[dict[str, Any]]]


def accounts_for(form: str, accounts: Accounts) -> list[responses.AccountSummary]:
    """The accounts `form` can work on."""
    return [account for account in accounts if FORMS[form].works_on(account)]


async def prepare_form(
    form: str,
    member: VerifiedMember,
    dispatcher: CollectingDispatcher,
    said: str = "",
    answers_in: RequestAnswers | None = None,
) -> list[EventType]:
    """Sets next_step to the form (the rules start it), with the account chosen when only one fits or the
    request names one ("on my medical bill"), and the answers the request `said` already gives."""
    declared = FORMS[form]
    accounts = accounts_for(form, member.accounts)
    if not accounts:
        await declared.when_none(dispatcher, member.accounts, member.billing)
        return [SlotSet("pending_request", None), SlotSet("next_step", None)]
    events: list[EventType] = []
    account = accounts[0] if len(accounts) == 1 else match_account(said, accounts, by_position=False)
    if account is not None:
        events.append(SlotSet("account_number", account.account_number))
        if declared.before_start is not None:
            await declared.before_start(dispatcher, account, member.billing)
    if answers_in is not None and said:
        answers = await answers_in(said, account, member)
        events += [SlotSet(slot, value) for slot, value in answers.items()]
    return events + [SlotSet("request_text", None), SlotSet("next_step", form)]


class AccountFormValidation(BillingFormValidation):
    """The validator of an account form: the account the member names must be one this form can work on."""

    async def validate_account_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        member = await current_member(tracker)
        account = match_account(value, accounts_for(self.form_name(), member.accounts))
        if account is None:
            dispatcher.utter_message(response="utter_invalid_account")
        return {"account_number": account.account_number if account else None}


class ActionAskAccountNumber(BillingAction):
    """Which account, for whichever account form is asking: a button for each account it can work on."""

    def name(self) -> str:
        return "action_ask_account_number"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await ask_for_account(dispatcher, tracker)
        return []


# The question each account form asks; a payment's is the plain "Which account?".
ACCOUNT_QUESTIONS = {
    "autopay_form": "utter_ask_autopay_account",
    "autopay_cancel_form": "utter_ask_autopay_cancel_account",
    "plan_form": "utter_ask_plan_account",
    "dispute_form": "utter_ask_dispute_account",
}


async def ask_for_account(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    member = await current_member(tracker)
    accounts = accounts_for(tracker.active_loop_name, member.accounts)
    question = ACCOUNT_QUESTIONS.get(tracker.active_loop_name or "", "utter_ask_account_number")
    dispatcher.utter_message(response=question, buttons=account_buttons(accounts))


def answer_again(slot: str) -> list[EventType]:
    """From a form's question, events that make the member's next answer go to `slot` again (an answer
    given earlier that no longer holds): the form asks its questions after `slot` once it is filled."""
    return [SlotSet(slot, None), SlotSet("requested_slot", slot)]


async def ask_again_for_account(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A question needs the form's account and it is not chosen: which account, instead."""
    await ask_for_account(dispatcher, tracker)
    return answer_again("account_number")
