"""Which accounts an account form can work on; before it starts, pick the account when only one
fits, or explain why there is nothing to do."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from billing_contract import responses
from assistant.billing_client import BillingClient

from .lookups import current_member, member_billing
from .choices import match_account
from .formatting import account_label, format_cents


async def eligible_accounts(form: str, accounts: Sequence[responses.AccountSummary],
                            client: BillingClient) -> List[responses.AccountSummary]:
    if form == "payment_form":
        return [a for a in accounts if a.balance_cents > 0]
    if form == "plan_form":
        return [a for a in accounts if a.balance_cents > 0
                and (await client.plan_eligibility(a.account_number)).eligible]
    if form == "autopay_cancel_form":
        return [a for a in accounts if a.autopay_enabled]
    return list(accounts)


async def member_accounts(form: str, tracker: Tracker) -> List[responses.AccountSummary]:
    client = member_billing(tracker)
    member = await current_member(tracker)
    return await eligible_accounts(form, member.accounts, client)


async def validate_account_choice(form: str, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker) -> Dict[str, Any]:
    account = match_account(value, await member_accounts(form, tracker))
    if account is None:
        dispatcher.utter_message(response="utter_invalid_account")
    return {"account_number": account.account_number if account else None}


async def prepare_form(form: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    client = member_billing(tracker)
    member = await current_member(tracker)
    accounts = await eligible_accounts(form, member.accounts, client)
    if not accounts:
        await _explain_nothing_to_do(form, dispatcher, member.accounts, client)
        return [SlotSet("pending_request", None), SlotSet("next_step", None)]
    events: List[EventType] = []
    if len(accounts) == 1:
        events.append(SlotSet("account_number", accounts[0].account_number))
        if form == "autopay_form":
            await _say_current_autopay(dispatcher, accounts[0], client)
    return events + [SlotSet("next_step", form)]  # the rules start the form next


async def _explain_nothing_to_do(form: str, dispatcher, accounts, client: BillingClient) -> None:
    owing = [a for a in accounts if a.balance_cents > 0]
    if form == "autopay_cancel_form":
        dispatcher.utter_message(response="utter_no_autopay", account_label="accounts")
    elif form == "plan_form" and owing:
        offer = await client.plan_eligibility(owing[0].account_number)
        if offer.reason == "plan_exists":
            dispatcher.utter_message(response="utter_plan_exists", account_label=account_label(owing[0]))
        else:
            dispatcher.utter_message(response="utter_plan_not_eligible", account_label=account_label(owing[0]),
                                     balance=format_cents(offer.balance_cents),
                                     min_balance=format_cents(offer.min_balance_cents))
    else:
        dispatcher.utter_message(response="utter_balance_nothing_owed", account_label="accounts")


async def _say_current_autopay(dispatcher, account, client: BillingClient) -> None:
    from .autopay import say_autopay

    current = await client.autopay(account.account_number)
    if current is not None and current.enabled:
        say_autopay(dispatcher, account, current)
        dispatcher.utter_message(response="utter_autopay_update_intro")
    else:
        dispatcher.utter_message(response="utter_autopay_setup_intro", account_label=account_label(account))
