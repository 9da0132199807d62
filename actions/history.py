"""Payment history and the last receipt."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .base import MemberAction
from .formatting import account_label, format_cents, say_date
from .lookups import VerifiedMember

HISTORY_LENGTH = 5


async def say_payment_history(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    for account in member.accounts:
        payments = await member.billing.payments(account.account_number)
        if not payments:
            dispatcher.utter_message(response="utter_no_payments", account_label=account_label(account))
            continue
        dispatcher.utter_message(response="utter_payment_history_intro", account_label=account_label(account))
        for payment in payments[:HISTORY_LENGTH]:
            dispatcher.utter_message(
                response="utter_payment_history_entry",
                date=say_date(payment.created_at.date()),
                amount=format_cents(payment.amount_cents),
                method=payment.payment_method,
                status=payment.status,
                confirmation_number=payment.confirmation_number,
            )
    return []


async def say_last_receipt(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    latest = None
    for account in member.accounts:
        for payment in await member.billing.payments(account.account_number):
            newer = latest is None or payment.created_at > latest[1].created_at
            if payment.status == "succeeded" and newer:
                latest = (account, payment)
    if latest is None:
        dispatcher.utter_message(response="utter_no_payments", account_label="accounts")
        return []
    account, payment = latest
    receipt = await member.billing.receipt(account.account_number, payment.confirmation_number)
    dispatcher.utter_message(
        response="utter_receipt",
        amount=format_cents(receipt.amount_cents),
        date=say_date(receipt.created_at.date()),
        method=receipt.payment_method,
        account_label=account_label(account),
        confirmation_number=receipt.confirmation_number,
        email=receipt.email or "the email address on file",
    )
    return []


class ActionPaymentHistory(MemberAction):
    def name(self) -> str:
        return "action_payment_history"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await say_payment_history(member, dispatcher, tracker)


class ActionLastReceipt(MemberAction):
    def name(self) -> str:
        return "action_last_receipt"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await say_last_receipt(member, dispatcher, tracker)
