"""The forms that work on one of the member's accounts, each declared once: which accounts it can work on
(the billing service marks that on each account), what to say when none can, and what to say before it
starts on the one account that can. actions/form_setup.py does the rest the same way for every form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from rasa_sdk.executor import CollectingDispatcher

from assistant.billing_client import BillingClient
from billing_contract import responses

from .formatting import account_label, autopay_rule, format_cents, say_date

Accounts = Sequence[responses.AccountSummary]
# (dispatcher, the member's accounts, their billing client): explains why the form has nothing to do.
Explanation = Callable[[CollectingDispatcher, Accounts, BillingClient], Awaitable[None]]
# (dispatcher, the account the form will work on, the billing client): said before the form's first question.
Introduction = Callable[[CollectingDispatcher, responses.AccountSummary, BillingClient], Awaitable[None]]


async def say_nothing_owed(
    dispatcher: CollectingDispatcher, accounts: Accounts, client: BillingClient
) -> None:
    dispatcher.utter_message(response="utter_balance_nothing_owed", account_label="accounts")


async def say_no_autopay(dispatcher: CollectingDispatcher, accounts: Accounts, client: BillingClient) -> None:
    dispatcher.utter_message(response="utter_no_autopay", account_label="accounts")


async def say_why_no_plan(
    dispatcher: CollectingDispatcher, accounts: Accounts, client: BillingClient
) -> None:
    owing = [a for a in accounts if a.balance_cents > 0]
    if not owing:
        await say_nothing_owed(dispatcher, accounts, client)
    elif owing[0].plan_ineligible_reason == "plan_exists":
        dispatcher.utter_message(response="utter_plan_exists", account_label=account_label(owing[0]))
    else:
        offer = await client.plan_eligibility(owing[0].account_number)  # for the plan's minimum balance
        dispatcher.utter_message(
            response="utter_plan_not_eligible",
            account_label=account_label(owing[0]),
            balance=format_cents(offer.balance_cents),
            min_balance=format_cents(offer.min_balance_cents),
        )


def say_autopay(
    dispatcher: CollectingDispatcher, account: responses.AccountSummary, autopay: responses.AutopayOut
) -> None:
    dispatcher.utter_message(
        response="utter_autopay_current",
        account_label=account_label(account),
        rule=autopay_rule(autopay.amount_rule, autopay.fixed_amount_cents),
        method=autopay.payment_method.display,
        day=autopay.day_of_month,
        next_run=say_date(autopay.next_run_date),
    )


async def say_current_autopay(
    dispatcher: CollectingDispatcher, account: responses.AccountSummary, client: BillingClient
) -> None:
    """Changing autopay starts from what is set now; setting it up says so."""
    current = await client.autopay(account.account_number) if account.autopay_enabled else None
    if current is not None and current.enabled:
        say_autopay(dispatcher, account, current)
        dispatcher.utter_message(response="utter_autopay_update_intro")
    else:
        dispatcher.utter_message(response="utter_autopay_setup_intro", account_label=account_label(account))


def any_account(account: responses.AccountSummary) -> bool:
    return True


@dataclass(frozen=True)
class AccountForm:
    name: str
    works_on: Callable[[responses.AccountSummary], bool] = any_account
    when_none: Explanation = say_nothing_owed
    before_start: Introduction | None = None


FORMS: dict[str, AccountForm] = {
    form.name: form
    for form in (
        AccountForm("payment_form", works_on=lambda account: account.can_pay),
        AccountForm("autopay_form", before_start=say_current_autopay),
        AccountForm(
            "autopay_cancel_form", works_on=lambda account: account.autopay_enabled, when_none=say_no_autopay
        ),
        AccountForm("plan_form", works_on=lambda account: account.plan_eligible, when_none=say_why_no_plan),
        AccountForm("dispute_form"),
    )
}
