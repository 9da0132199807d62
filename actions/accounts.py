"""Balances, statements and paperless billing for a verified member. Each answer is a plain function of
the member, so the gate and verification (actions/member_requests.py) give it as the action does."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from billing_contract import responses

from .base import MemberAction
from .formatting import account_label, format_cents, say_date
from .lookups import VerifiedMember


async def say_balances(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    for account in member.accounts:
        if account.balance_cents > 0:
            dispatcher.utter_message(
                response="utter_balance",
                account_label=account_label(account),
                balance=format_cents(account.balance_cents),
                due_date=say_date(account.due_date),
                minimum_due=format_cents(account.minimum_due_cents),
            )
        else:
            dispatcher.utter_message(
                response="utter_balance_nothing_owed", account_label=account_label(account)
            )
    if not tracker.active_loop_name and any(a.balance_cents > 0 for a in member.accounts):
        dispatcher.utter_message(response="utter_offer_payment")
    return []


async def say_statements(
    member: VerifiedMember, dispatcher: CollectingDispatcher, which: int
) -> list[EventType]:
    """Statement `which` of every account: 0 the latest, 1 the one before."""
    for account in member.accounts:
        statements = await member.billing.statements(account.account_number)
        label = account_label(account)
        if len(statements) <= which:
            dispatcher.utter_message(
                response="utter_no_statements" if not statements else "utter_no_older_statements",
                account_label=label,
            )
            continue
        say_statement(dispatcher, label, statements[which])
    dispatcher.utter_message(response="utter_statement_pdf")
    return []


async def say_latest_statements(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    return await say_statements(member, dispatcher, 0)


async def say_older_statements(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    return await say_statements(member, dispatcher, 1)


def say_statement(dispatcher: CollectingDispatcher, label: str, statement: responses.StatementOut) -> None:
    dispatcher.utter_message(
        response="utter_statement_summary",
        account_label=label,
        statement_date=say_date(statement.statement_date),
        balance_due=format_cents(statement.balance_due_cents),
        due_date=say_date(statement.due_date),
        minimum_due=format_cents(statement.minimum_due_cents),
    )
    for line in statement.lines:
        adjustments = (
            f" and adjustments were {format_cents(line.adjustments_cents)}" if line.adjustments_cents else ""
        )
        dispatcher.utter_message(
            response="utter_statement_line",
            service_date=say_date(line.service_date),
            procedure=line.procedure,
            provider=line.provider,
            charges=format_cents(line.charges_cents),
            plan_paid=format_cents(line.plan_paid_cents),
            adjustments=adjustments,
            member_owes=format_cents(line.member_owes_cents),
        )


class ActionCheckBalance(MemberAction):
    def name(self) -> str:
        return "action_check_balance"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await say_balances(member, dispatcher, tracker)


class ActionShowStatement(MemberAction):
    def name(self) -> str:
        return "action_show_statement"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await say_latest_statements(member, dispatcher, tracker)


class ActionOlderStatements(MemberAction):
    def name(self) -> str:
        return "action_older_statements"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await say_older_statements(member, dispatcher, tracker)
